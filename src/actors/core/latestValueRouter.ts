/**
 * Latest-value backpressure per key. A fast stream (prices, pool snapshots) is routed to slow
 * consumers (actors) so that each key has at most one delivery in flight; while it is in flight,
 * newer values replace the waiting one instead of queueing. A consumer never works through stale
 * prices, and a burst costs one delivery per key, not one per event.
 */
export class LatestValueRouter<K, V> {
  private readonly waiting = new Map<K, V>();
  private readonly inFlight = new Set<K>();
  /** Values replaced before delivery (dropped as stale). */
  conflated = 0;
  delivered = 0;
  failed = 0;

  /**
   * @param deliver sends one value and resolves when the consumer has taken it.
   * @param onError called when a delivery rejects (the router goes on with the next value).
   */
  constructor(
    private readonly deliver: (key: K, value: V) => Promise<void>,
    private readonly onError: (key: K, err: unknown) => void,
  ) {}

  /** Offers a value for `key`. */
  push(key: K, value: V): void {
    if (this.inFlight.has(key)) {
      if (this.waiting.has(key)) this.conflated += 1;
      this.waiting.set(key, value);
      return;
    }
    this.send(key, value);
  }

  private send(key: K, value: V): void {
    this.inFlight.add(key);
    this.deliver(key, value).then(
      () => {
        this.delivered += 1;
        this.next(key);
      },
      (err: unknown) => {
        this.failed += 1;
        this.onError(key, err);
        this.next(key);
      },
    );
  }

  private next(key: K): void {
    this.inFlight.delete(key);
    if (this.waiting.has(key)) {
      const v = this.waiting.get(key) as V;
      this.waiting.delete(key);
      this.send(key, v);
    }
  }

  /** True when nothing is in flight or waiting. */
  get idle(): boolean {
    return this.inFlight.size === 0 && this.waiting.size === 0;
  }
}
