import type { Logger } from '../logging/logger.js';

/** What an unwind left undone: steps that failed, and steps still running at the deadline. */
export interface UnwindReport {
  failed: string[];
  timedOut: string[];
}

/** Once the deadline has passed, each remaining step still gets this long (anvil must still be stopped). */
const GRACE_AFTER_DEADLINE_MS = 500;

type Step = () => Promise<void> | void;

/**
 * What a run has started, undone last-first: on stop, or when start-up fails halfway so nothing
 * it already opened (a chain, a store lock, a venue's sockets) is left behind. Steps pushed with
 * pushLast run after all the others (the state server: it answers until everything else is
 * down). A failing step is logged and the others still run; a step still running when the
 * deadline passes is logged and left behind, so an unwind never waits on a client or a hung peer.
 */
export class ShutdownSteps {
  private readonly steps: { name: string; run: Step }[] = [];
  private readonly last: { name: string; run: Step }[] = [];

  constructor(private readonly log: Logger) {}

  push(name: string, run: Step): void {
    this.steps.push({ name, run });
  }

  /** A step that runs after every push()ed one (last pushed, first run among them). */
  pushLast(name: string, run: Step): void {
    this.last.push({ name, run });
  }

  /** Runs every step once; resolves within about `deadlineMs` (plus a short grace per late step). */
  async unwind(deadlineMs = Number.POSITIVE_INFINITY): Promise<UnwindReport> {
    const end = Date.now() + deadlineMs;
    const report: UnwindReport = { failed: [], timedOut: [] };
    const order = [...this.steps.splice(0).reverse(), ...this.last.splice(0).reverse()];
    for (const step of order) {
      const t0 = Date.now();
      const budget = Math.max(end - t0, GRACE_AFTER_DEADLINE_MS);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        Promise.resolve().then(step.run).then(() => 'done' as const, (err: unknown) => {
          this.log.error({ err, step: step.name }, 'shutdown step failed');
          return 'failed' as const;
        }),
        Number.isFinite(budget) ? new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), budget))) : new Promise<never>(() => undefined),
      ]);
      clearTimeout(timer);
      const ms = Date.now() - t0;
      if (outcome === 'late') {
        this.log.error({ step: step.name, ms }, 'shutdown step still running at the deadline; going on without it');
        report.timedOut.push(step.name);
      } else {
        if (outcome === 'failed') report.failed.push(step.name);
        this.log.info({ step: step.name, ms }, 'shutdown step done');
      }
    }
    return report;
  }
}
