/**
 * One cycle of the drill: start the agent on its data directory, check its books against the
 * chain once it is reconciled, and kill it (SIGKILL) at the planned moment — on the very log line
 * of that moment, synchronously, so it has no time to write anything after it. A reconcile kill
 * comes during start-up (no check then); swap, hedge and random moments are armed once the books
 * were checked. A moment that does not come within the timeout falls back to a kill at once
 * (reported as such).
 */
import type { SeededRandom } from '../../src/math/seededRandom.js';
import { checkAccounting, type AccountingContext, type AccountingSample } from './accountingCheck.js';
import { LOG } from './agentLog.js';
import { AgentProcess } from './agentProcess.js';
import type { Moment } from './killPlan.js';

export interface CycleOptions {
  configFile: string;
  privateKey: string;
  /** The accounting context without the state URL (learnt from the agent's running line). */
  accounting: Omit<AccountingContext, 'stateUrl'>;
  /** How long a swap or hedge moment is waited for, ms. */
  momentTimeoutMs: number;
  /** How long the agent may take to start (reconcile and serve its state), ms. */
  startTimeoutMs: number;
  rng: SeededRandom;
}

export interface CycleResult {
  planned: Moment;
  /** The moment the kill came at: the planned one, or 'timeout' when it did not come in time. */
  actual: Moment | 'timeout' | 'exited';
  /** What the agent logged last before the kill (the moment's line). */
  trigger: string;
  /** ms from the spawn to the running line (the agent reconciled and serving), null if killed before. */
  startMs: number | null;
  /** ms from the spawn to the kill. */
  killedAfterMs: number;
  /** The books check after this start's reconciliation; null when killed before or during it. */
  accounting: AccountingSample | null;
  /** Why the books could not be checked, if they could not. */
  accountingError: string | null;
  /** The agent's last lines, when it exited on its own. */
  tail: string[];
  /** The chain's block number right after the kill (to tell which swaps a kill came between). */
  killBlock: number | null;
  /** 'roll failed' lines the agent logged in this run. */
  rollFailures: number;
}

const RECONCILE_LINES: ReadonlySet<string> = new Set([LOG.reconciled, LOG.minted]);

/** Runs one start → check → kill cycle (see the module comment). */
export async function runCycle(planned: Moment, o: CycleOptions): Promise<CycleResult> {
  const agent = AgentProcess.start(o.configFile, o.privateKey);
  const t0 = agent.startedAt;
  let running = false;
  /** Swap, hedge and random moments count only once the books were checked. */
  let armed = false;
  let killedAt: number | null = null;
  let actual: CycleResult['actual'] = planned;
  let trigger = '';
  const killNow = (why: CycleResult['actual'], line: string): void => {
    if (killedAt !== null || !agent.child.running) return;
    killedAt = Date.now();
    actual = why;
    trigger = line;
    process.kill(agent.child.pid, 'SIGKILL');
  };
  let rollFailures = 0;
  const off = agent.onLog((l) => {
    if (l.msg === LOG.rollFailed) rollFailures += 1;
    if (armed && planned === 'swap' && l.msg === LOG.rebalancingSwap) killNow('swap', l.msg);
    else if (armed && planned === 'hedge' && l.msg === LOG.hedgeOrderPlaced) killNow('hedge', l.msg);
    else if (planned === 'reconcile' && !running && RECONCILE_LINES.has(l.msg)) killNow('reconcile', l.msg);
  });
  let startMs: number | null = null;
  let accounting: AccountingSample | null = null;
  let accountingError: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const stateUrl = await agent.running(o.startTimeoutMs);
    running = true;
    startMs = Date.now() - t0;
    // the books are checked before the later moments are armed: every start that gets this far is checked
    try {
      accounting = await checkAccounting({ ...o.accounting, stateUrl });
    } catch (err) {
      accountingError = err instanceof Error ? err.message : String(err);
    }
    armed = true;
    if (planned === 'random') {
      const delay = 1_000 + o.rng.next() * 14_000;
      timer = setTimeout(() => killNow('random', `${(delay / 1000).toFixed(1)} s after the check`), delay);
    } else {
      // a reconcile moment the start-up passed without (nothing logged), or a moment that does not come
      const wait = planned === 'reconcile' ? 0 : o.momentTimeoutMs;
      timer = setTimeout(() => killNow('timeout', `no ${planned} moment within ${wait / 1000} s`), wait);
    }
  } catch (err) {
    if (killedAt === null) {
      accountingError = err instanceof Error ? err.message : String(err);
      if (agent.child.running) killNow('timeout', `not started within ${o.startTimeoutMs / 1000} s`);
      else actual = 'exited';
    }
  }
  const exit = await agent.child.exited;
  const killBlock = killedAt === null ? null : await o.accounting.reader.provider.getBlockNumber();
  clearTimeout(timer);
  off();
  if (killedAt === null) actual = 'exited';
  // a check interrupted by the kill says nothing about the books
  if (accounting === null && killedAt !== null && accountingError !== null && startMs !== null) accountingError = `interrupted by the kill (${accountingError})`;
  return {
    planned, actual, trigger, startMs, killedAfterMs: (killedAt ?? Date.now()) - t0, accounting, accountingError,
    tail: exit.signal === 'SIGKILL' ? [] : agent.tail(),
    killBlock, rollFailures,
  };
}
