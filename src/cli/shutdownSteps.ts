import type { Logger } from '../logging/logger.js';

/**
 * What a run has started, undone last-first: on stop, or when start-up fails halfway so nothing
 * it already opened (a chain, a store lock, a venue's sockets) is left behind. A failing step is
 * logged and the others still run.
 */
export class ShutdownSteps {
  private readonly steps: (() => Promise<void> | void)[] = [];

  constructor(private readonly log: Logger) {}

  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  async unwind(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        this.log.error({ err }, 'shutdown step failed');
      }
    }
  }
}
