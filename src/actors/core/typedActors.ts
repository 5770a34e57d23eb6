/**
 * The one typed layer over nact. nact's `Ref<T>` is an empty class, so `dispatch(ref, anything)`
 * compiles; everything in src/actors goes through this module instead, which ties a reference to
 * its protocol, requires a timeout on every query, and wraps supervision policies so they can
 * never throw (a throwing onCrash is an unhandled rejection that kills Node, see the notes).
 */
import { createRequire } from 'node:module';
import { dispatch, query, spawn, start, stop, type ActorContext, type Ref, type SupervisionContext } from 'nact';

/** A reference to an actor that accepts messages of type `M`. The brand keeps protocols apart. */
export interface ActorRef<M> {
  readonly raw: Ref<M>;
  readonly name: string;
  readonly path: string;
  readonly __protocol?: (m: M) => void;
}

/** The root of an actor tree. */
export interface ActorSystem {
  readonly root: Ref<never>;
  readonly name: string;
}

/** Thrown (as a rejected promise) when an `ask` gets no reply in time. */
export class AskTimeoutError extends Error {
  override readonly name = 'AskTimeoutError';
  constructor(readonly actor: string, readonly timeoutMs: number, readonly messageType: string) {
    super(`actor ${actor} did not answer "${messageType}" within ${timeoutMs} ms`);
  }
}

/** Thrown when a message is sent to an actor that has been stopped. */
export class ActorStoppedError extends Error {
  override readonly name = 'ActorStoppedError';
  constructor(readonly actor: string, readonly messageType: string) {
    super(`actor ${actor} is stopped; "${messageType}" not delivered`);
  }
}

/** The decision of a supervision policy, mapped onto nact's symbols in one place. */
export type CrashDecision = 'resume' | 'reset' | 'stop';

/** Context handed to a behaviour: its own reference and name. */
export interface BehaviourContext<M> {
  readonly self: ActorRef<M>;
  readonly name: string;
}

/** A behaviour: (state, message) -> next state, possibly async. Must not mutate `state`. */
export type Behaviour<S, M> = (state: S, msg: M, ctx: BehaviourContext<M>) => S | Promise<S>;

export interface SpawnOptions<S, M> {
  /** Called at first start and at every reset (restart): return the state to start from. */
  initialState: () => S;
  /** Supervision policy for a throw inside the behaviour. Errors thrown by it are caught (-> stop). */
  onCrash?: (msg: M | undefined, err: unknown) => CrashDecision;
  /** Called after the actor has stopped, with its last state. */
  afterStop?: (state: S) => void;
}

type AnyParent = Ref<unknown> | Ref<never>;

/** Starts an actor system. */
export function startSystem(name?: string): ActorSystem {
  const root = name === undefined ? start() : start({ name } as unknown as Parameters<typeof start>[0]);
  return { root, name: (root as unknown as { name: string }).name };
}

/** Stops a whole actor system (every actor in it). */
export function stopSystem(system: ActorSystem): void {
  stop(system.root);
}

function pathOf(ref: Ref<unknown>): string {
  const p = (ref as unknown as { path?: { toString(): string } }).path;
  return p === undefined ? '?' : p.toString();
}

function messageType(msg: unknown): string {
  if (typeof msg === 'object' && msg !== null && 'type' in msg) return String((msg as { type: unknown }).type);
  return typeof msg;
}

/** Spawns a child actor under `parent` with a typed behaviour and a never-throwing crash policy. */
export function spawnActor<S, M>(
  parent: ActorSystem | ActorRef<never>,
  name: string,
  behaviour: Behaviour<S, M>,
  opts: SpawnOptions<S, M>,
): ActorRef<M> {
  const parentRaw: AnyParent = 'root' in parent ? parent.root : parent.raw;
  let path: string | undefined;
  const f = (state: S, msg: M, ctx: ActorContext<M, Ref<unknown>>): S | Promise<S> => {
    path ??= pathOf(ctx.self);
    return behaviour(state, msg, { self: { raw: ctx.self, name, path }, name });
  };
  const onCrash = (msg: M | undefined, err: Error | undefined, ctx: SupervisionContext<M, Ref<unknown>>): symbol => {
    let decision: CrashDecision = 'stop';
    try {
      decision = opts.onCrash === undefined ? 'stop' : opts.onCrash(msg, err);
    } catch {
      decision = 'stop';
    }
    const sym = decision === 'resume' ? ctx.resume : decision === 'reset' ? ctx.reset : ctx.stop;
    return sym as symbol;
  };
  const raw = spawn(parentRaw as Ref<unknown>, f as never, name, {
    initialStateFunc: () => opts.initialState(),
    onCrash: onCrash as never,
    afterStop: opts.afterStop === undefined ? undefined : (state: S) => opts.afterStop!(state),
  } as never) as Ref<M>;
  return { raw, name, path: pathOf(raw) };
}

/** Sends a message without waiting. A message to a stopped actor is dropped by nact: we report it. */
export function tell<M>(ref: ActorRef<M>, msg: M): void {
  dispatch(ref.raw, msg);
}

/** A reply channel carried inside a query message. */
export interface ReplyTo<R> {
  readonly raw: Ref<R>;
}

/** Answers a query. */
export function reply<R>(to: ReplyTo<R>, value: R): void {
  dispatch(to.raw, value);
}

/**
 * Sends a query and waits at most `timeoutMs` for the answer. `make` builds the message from the
 * reply channel. Rejects with AskTimeoutError or ActorStoppedError, never hangs.
 */
export async function ask<M, R>(ref: ActorRef<M>, make: (replyTo: ReplyTo<R>) => M, timeoutMs: number): Promise<R> {
  let type = '?';
  try {
    return (await query(ref.raw, (tmp: Ref<R>) => {
      const m = make({ raw: tmp });
      type = messageType(m);
      return m;
    }, timeoutMs)) as R;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (text === 'Query Timeout') throw new AskTimeoutError(ref.path, timeoutMs, type);
    if (text.startsWith('Actor stopped')) throw new ActorStoppedError(ref.path, type);
    throw err;
  }
}

/** Stops one actor (and its children). */
export function stopActor(ref: ActorRef<never>): void {
  stop(ref.raw);
}

/** nact's live actor tree, as far as `systemIdle` reads it (nact 7: lib/system-map.js, lib/actor.js). */
interface ConcreteActor {
  busy?: boolean;
  mailbox?: { length: number };
  children: Map<string, ConcreteActor>;
}
interface ConcreteSystem {
  children: Map<string, ConcreteActor>;
  tempReferences: Map<unknown, unknown>;
}
const nactSystems = createRequire(import.meta.url)('nact/lib/system-map') as { find(name: string): ConcreteSystem | undefined };

/**
 * True when no actor of the system is handling a message or has one waiting, and no query is
 * waiting for its answer: everything sent so far has been worked through. A virtual-clock run
 * (a backtest) checks it between macrotasks to know the actors have settled, without asking each
 * of them (nact handles each message in its own setImmediate, so a check after one has run sees
 * any work the previous ones caused).
 */
export function systemIdle(system: ActorSystem): boolean {
  const root = nactSystems.find(system.name);
  if (root === undefined) return true;
  if (root.tempReferences.size > 0) return false;
  const stack = [...root.children.values()];
  for (let a = stack.pop(); a !== undefined; a = stack.pop()) {
    if (a.busy === true || (a.mailbox?.length ?? 0) > 0) return false;
    for (const c of a.children.values()) stack.push(c);
  }
  return true;
}
