/**
 * The work the kill switch gates that is running right now: chain calls (mint, roll, withdraw)
 * and orders, each with its pool or venue. A halt stops what has not started; this says what had
 * started and was still running when the halt came, and lets a caller wait until it is done.
 */

export type InFlightKind = 'mint' | 'roll' | 'withdraw' | 'order';

export interface InFlightWork {
  /** Sequence number, unique for the process. */
  readonly id: number;
  readonly kind: InFlightKind;
  /** The pool id (chain calls) or the venue id (orders). */
  readonly target: string;
  /** What exactly: the position's token id, the order's side, amount, symbol and client order id. */
  readonly detail: string;
  /** ms since epoch. */
  readonly startedAt: number;
}

export class InFlight {
  private readonly running = new Map<number, InFlightWork>();
  private readonly settledListeners = new Set<() => void>();
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs `fn`, listed as in flight until its promise settles. */
  async run<T>(work: Pick<InFlightWork, 'kind' | 'target' | 'detail'>, fn: () => Promise<T>): Promise<T> {
    const entry: InFlightWork = { ...work, id: this.nextId++, startedAt: this.now() };
    this.running.set(entry.id, entry);
    try {
      return await fn();
    } finally {
      this.running.delete(entry.id);
      for (const listener of [...this.settledListeners]) listener();
    }
  }

  /** Everything running now, oldest first. */
  list(): InFlightWork[] {
    return [...this.running.values()];
  }

  /**
   * Resolves once nothing is running (at once when nothing is), or after `timeoutMs`, with what is
   * still running then (empty: idle). While halted nothing new that adds risk can start, so this is
   * the moment the halt is in full effect (the halt's own unwind, if any, included).
   */
  idle(timeoutMs: number): Promise<InFlightWork[]> {
    if (this.running.size === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.settledListeners.delete(check);
        resolve(this.list());
      };
      const check = (): void => {
        if (this.running.size === 0) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.settledListeners.add(check);
    });
  }
}
