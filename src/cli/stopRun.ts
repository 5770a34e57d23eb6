import type { Agent } from '../actors/agent.js';
import type { Logger } from '../logging/logger.js';
import type { ShutdownSteps, UnwindReport } from './shutdownSteps.js';

/**
 * How long a stop may take, trading stopped to state server closed. Docker sends SIGKILL 10 s
 * after SIGTERM; a stop that needs longer (a client that never reads, a hung peer) leaves the
 * late step behind and says so.
 */
export const STOP_DEADLINE_MS = 5_000;

/**
 * The stop of a run: trading stops first (the kill-switch gate closes for good in the same tick
 * that "stopping" is logged, so no order or transaction starts after it), then everything the
 * run started is undone last-first within STOP_DEADLINE_MS, the state server last. Calling it
 * again returns the same stop.
 */
export function stopRun(agent: Agent, cleanup: ShutdownSteps, log: Logger): (reason?: string) => Promise<UnwindReport> {
  let stopping: Promise<UnwindReport> | undefined;
  return (reason = 'stop requested') => {
    stopping ??= (() => {
      agent.killSwitch.stopTrading(reason);
      log.info({ reason }, 'stopping');
      return cleanup.unwind(STOP_DEADLINE_MS);
    })();
    return stopping;
  };
}
