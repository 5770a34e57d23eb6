/**
 * state$: every actor publishes its state here after each change. The feed keeps the latest
 * state of each actor so a new subscriber (WebSocket client, dashboard) first gets a full picture,
 * then each change. States are plain JSON (bigints already turned into decimal strings).
 *
 * Two ways to follow the changes. `changes$` runs its subscribers inside the publishing actor's
 * turn: only for what must see each state before the next turn and is cheap (the backtest's ledger,
 * the WebSocket broadcast, which encodes each change once, the scale-out feed mirror, the test
 * harness). `deferred$` is for observers that may be slow (metrics, history, alerts): the
 * events are queued and handed over, in order, from a later macrotask and only while the actors
 * are idle (`idle`), so a slow observer neither lengthens a turn nor runs between an event and the
 * decisions it leads to (snapshot → position → hedge → order). A busy agent still delivers: once
 * the oldest queued event has waited `maxWaitMs` or `maxQueued` are queued, the queue is drained
 * regardless; beyond `maxQueued` × 4 the oldest are dropped (counted in `dropped`).
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

/** When deferred$ hands events over (see the module comment). */
export interface DeferredDelivery {
  /** True while no actor has work (default: always). */
  idle: () => boolean;
  maxWaitMs: number;
  maxQueued: number;
}

export class StateFeed {
  private readonly latestByActor = new Map<string, StateEvent>();
  private readonly subject = new Subject<StateEvent>();
  private readonly deferredSubject = new Subject<StateEvent>();
  private queue: { e: StateEvent; queuedAt: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private readonly delivery: DeferredDelivery;
  /** Events deferred$ dropped because its observers fell too far behind. */
  dropped = 0;
  /** Every change, inside the publishing actor's turn (hot): keep its subscribers cheap. */
  readonly changes$: Observable<StateEvent> = this.subject.asObservable();
  /** Every change, in order, after the actors' turns (hot): for observers that may be slow. */
  readonly deferred$: Observable<StateEvent> = this.deferredSubject.asObservable();

  constructor(private readonly now: () => number = Date.now, delivery: Partial<DeferredDelivery> = {}) {
    this.delivery = { idle: () => true, maxWaitMs: 1_000, maxQueued: 1_000, ...delivery };
  }

  /** Sets when deferred$ hands events over (the agent passes its actors' idleness once they exist). */
  deliverWhen(idle: () => boolean): void {
    this.delivery.idle = idle;
  }

  /** Publishes an actor's new state. */
  publish(actor: string, kind: ActorKind, state: Record<string, unknown>): void {
    const e: StateEvent = { actor, kind, at: this.now(), state };
    this.latestByActor.set(actor, e);
    this.subject.next(e);
    if (!this.deferredSubject.observed || this.deferredSubject.closed) return;
    this.queue.push({ e, queuedAt: Date.now() });
    if (this.queue.length > this.delivery.maxQueued * 4) {
      this.queue.shift();
      this.dropped += 1;
    }
    this.schedule(0);
  }

  /** Events queued for deferred$ and not yet handed over. */
  get queued(): number {
    return this.queue.length;
  }

  private schedule(delayMs: number): void {
    if (this.immediate !== null || this.timer !== null) return;
    // a macrotask: never inside the turn that published, and after the turns already scheduled
    if (delayMs === 0) this.immediate = setImmediate(() => this.drain());
    else this.timer = setTimeout(() => this.drain(), delayMs);
  }

  private drain(): void {
    this.immediate = null;
    this.timer = null;
    while (this.queue.length > 0) {
      const overdue = Date.now() - this.queue[0]!.queuedAt >= this.delivery.maxWaitMs || this.queue.length >= this.delivery.maxQueued;
      if (!overdue && !this.delivery.idle()) {
        // the actors are working on something: look again shortly (a timer, not a spin)
        this.schedule(1);
        return;
      }
      const { e } = this.queue.shift()!;
      try {
        this.deferredSubject.next(e);
      } catch {
        // an observer's error is its own: the feed and the agent go on
      }
    }
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

  /** Hands over what is still queued, then completes both streams. */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    for (const { e } of this.queue.splice(0)) this.deferredSubject.next(e);
    this.subject.complete();
    this.deferredSubject.complete();
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
