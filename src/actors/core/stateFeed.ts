/**
 * state$: every actor publishes its state here after each change. The feed keeps the latest
 * state of each actor so a new subscriber (WebSocket client, dashboard) first gets a full picture,
 * then each change. States are plain JSON (bigints already turned into decimal strings).
 */
import { Subject, type Observable } from 'rxjs';

export type ActorKind = 'position' | 'hedge' | 'venues' | 'exchange' | 'risk' | 'ha';

/** One published actor state, as sent on the WebSocket feed. */
export interface StateEvent {
  /** Actor path or name, e.g. "risk/position-0x12ab…". */
  actor: string;
  kind: ActorKind;
  /** ms since epoch. */
  at: number;
  state: Record<string, unknown>;
}

export class StateFeed {
  private readonly latestByActor = new Map<string, StateEvent>();
  private readonly subject = new Subject<StateEvent>();
  /** Every change, as it happens (hot). */
  readonly changes$: Observable<StateEvent> = this.subject.asObservable();

  constructor(private readonly now: () => number = Date.now) {}

  /** Publishes an actor's new state. */
  publish(actor: string, kind: ActorKind, state: Record<string, unknown>): void {
    const e: StateEvent = { actor, kind, at: this.now(), state };
    this.latestByActor.set(actor, e);
    this.subject.next(e);
  }

  /** The latest state of every actor that has published, in actor-name order. */
  snapshot(): StateEvent[] {
    return [...this.latestByActor.values()].sort((a, b) => a.actor.localeCompare(b.actor));
  }

  /** Drops an actor's latest state (it stopped here: another process owns it now). */
  forget(actor: string): void {
    this.latestByActor.delete(actor);
  }

  /** The latest state of one actor. */
  latest(actor: string): StateEvent | undefined {
    return this.latestByActor.get(actor);
  }

  close(): void {
    this.subject.complete();
  }
}

/** Turns a value into JSON-safe data: bigint -> decimal string, Map -> object, drops functions. */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toJsonSafe(v)]));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const j = toJsonSafe(v);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
