/**
 * How a long-running command (start, run) is told to stop or halt, from the moment it begins:
 *
 * - SIGTERM, SIGINT, SIGHUP, or the launcher above us going away (see parentWatch.ts): stop.
 *   One arriving during start-up is honoured as soon as start-up finishes.
 * - A second one while stopping: exit at once (exit code 128 + signal number), saying so. Anvil
 *   dies with us (its guardian and the exit hook see to that).
 * - SIGUSR2: the manual kill switch, never a reason to die; one arriving during start-up (from
 *   the launcher's first moment, see earlySignals.ts) halts the agent as soon as it exists.
 */
import { constants } from 'node:os';
import type { Agent } from '../actors/agent.js';
import type { Logger } from '../logging/logger.js';
import { releaseEarlySignals, takeEarlySignals } from './earlySignals.js';
import { watchParent } from './parentWatch.js';
import type { UnwindReport } from './shutdownSteps.js';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** After a clean stop, how long the process may take to exit on its own before it is made to. */
const IDLE_EXIT_MS = 1_000;

export class StopSignals {
  /** Resolves with the reason to stop: the signal's name, or which launcher went away. */
  readonly requested: Promise<string>;
  private resolveRequested!: (reason: string) => void;
  private reason: string | undefined;
  private agent: Agent | undefined;
  private haltPending = false;
  private readonly unwatch: () => void;

  constructor(private readonly log: Logger, private readonly exit: (code: number) => void = (code) => process.exit(code)) {
    this.requested = new Promise((r) => (this.resolveRequested = r));
    for (const s of STOP_SIGNALS) process.on(s, this.onStopSignal);
    process.on('SIGUSR2', this.onHaltSignal);
    releaseEarlySignals();
    for (const s of takeEarlySignals()) if (s === 'SIGUSR2') this.onHaltSignal();
    this.unwatch = watchParent((gone) => {
      if (this.reason !== undefined) return;
      this.log.warn({ launcher: gone }, 'launcher gone: stopping');
      this.request(`launcher pid ${gone.pid} gone`);
    });
  }

  /** The agent SIGUSR2 halts; halts it now when SIGUSR2 came during start-up. */
  attach(agent: Agent): void {
    this.agent = agent;
    if (this.haltPending) this.halt();
  }

  /** Removes the handlers (after the stop). */
  dispose(): void {
    for (const s of STOP_SIGNALS) process.off(s, this.onStopSignal);
    process.off('SIGUSR2', this.onHaltSignal);
    this.unwatch();
  }

  /**
   * Ends the process after the stop: at once (exit code 1) when a shutdown step was still
   * running at the deadline; otherwise it is left to exit by itself, and made to if something
   * still holds it open after a second.
   */
  finish(report: UnwindReport): void {
    this.dispose();
    if (report.timedOut.length > 0) {
      this.log.error({ unfinished: report.timedOut }, 'exiting with shutdown steps unfinished');
      this.exit(1);
      return;
    }
    setTimeout(() => {
      this.log.warn({ afterMs: IDLE_EXIT_MS }, 'still running after the stop; exiting');
      this.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
    }, IDLE_EXIT_MS).unref();
  }

  private request(reason: string): void {
    this.reason = reason;
    this.unwatch();
    this.resolveRequested(reason);
  }

  private readonly onStopSignal = (signal: NodeJS.Signals): void => {
    if (this.reason !== undefined) {
      this.log.error({ signal, stopping: this.reason }, 'second stop signal: exiting now');
      this.exit(128 + (constants.signals[signal] ?? 0));
      return;
    }
    this.log.info({ signal }, 'stop signal received');
    this.request(signal);
  };

  private readonly onHaltSignal = (): void => {
    if (this.reason !== undefined) {
      this.log.warn('SIGUSR2 while stopping: trading has already stopped');
      return;
    }
    if (this.agent === undefined) {
      this.log.warn('SIGUSR2 during start-up: the agent is halted as soon as it runs');
      this.haltPending = true;
      return;
    }
    this.halt();
  };

  private halt(): void {
    this.haltPending = false;
    this.agent?.halt('manual halt (SIGUSR2)', 'signal').catch((err: unknown) => this.log.error({ err }, 'halt failed'));
  }
}
