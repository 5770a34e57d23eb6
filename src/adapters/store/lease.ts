/**
 * One writer per agent: the holder of a lease acts, everyone else waits. A lease carries a
 * fencing token, strictly increasing over every holder there ever was, and the store refuses a
 * write that carries a token older than the newest one issued (FencedOutError), so a holder that
 * was paused past its lease (SIGSTOP, a long GC, a partition) cannot overwrite its successor's
 * checkpoints or journal entries. Side effects the store cannot fence (an order to a venue, a
 * transaction to the chain) are gated on the holder's own view of its lease: each send first
 * asks {@link LeaseGuard.assertHeld}, which refuses once the lease may have expired (its expiry
 * measured on a monotonic clock from before the request that set it, less a safety margin).
 */

/** What the agent's gates ask before a side effect, and what the store tells on a refusal. */
export interface LeaseGuard {
  /** The fencing token this holder writes with. */
  readonly token: number;
  /** Throws LeaseLostError unless the lease is held and still fresh for at least the margin. */
  assertHeld(operation: string): void;
  /** The store refused a write of ours: a newer holder exists. The lease is lost for good. */
  fencedOut(err: FencedOutError): void;
}

/** A side effect refused because this process does not (or may no longer) hold the lease. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(readonly lease: string, readonly operation: string, readonly why: string) {
    super(`lease ${lease}: ${operation} refused (${why})`);
  }
}

/** A store write refused because it carries a fencing token older than the newest one issued. */
export class FencedOutError extends Error {
  override readonly name = 'FencedOutError';
  constructor(readonly key: string, readonly token: number, readonly newest: number) {
    super(`store: write to "${key}" with fencing token ${token} refused: token ${newest} was issued since`);
  }
}

/** What a store needs to fence a writer: the lease's name, the writer's token, who to tell on a refusal. */
export interface Fence {
  name: string;
  token: number;
  onFencedOut?: (err: FencedOutError) => void;
}
