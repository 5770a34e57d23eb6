/**
 * Sleeps a stream loop can be woken from: `stop()` resolves every pending sleep at once and makes
 * later ones resolve immediately, and clears their timers, so a stopped stream leaves none behind.
 */
export class Sleeper {
  private readonly pending = new Set<() => void>();
  private stopped = false;

  /** Resolves after `ms`, or at once when stopped. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.stopped) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const done of [...this.pending]) done();
  }
}
