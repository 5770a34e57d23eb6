/**
 * The agent's clock and timers, injected: every decision the actors take reads the time from a
 * Scheduler and waits on it, never on Date.now or setTimeout directly. A live agent runs on
 * `systemScheduler` (wall clock); a backtest or a test runs on a VirtualClock (virtualClock.ts),
 * whose time moves only when it is told to, so a decision that waits 15 minutes is checked in
 * microseconds and is the same on every run.
 */

/** Cancels a timer; calling it after the timer fired (or twice) does nothing. */
export type CancelTimer = () => void;

export interface Scheduler {
  /** Current time, ms since the epoch. */
  now(): number;
  /** Runs `fire` once `delayMs` have passed on this clock (0 or less: at the next chance). */
  setTimer(delayMs: number, fire: () => void): CancelTimer;
}

/**
 * Wall-clock scheduler. Its timers do not keep the process alive on their own (unref'd): a live
 * agent is kept alive by its servers and streams, and a timer still pending when it stops must
 * not hold the process open.
 */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer: (delayMs, fire) => {
    const timer = setTimeout(fire, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** Runs `fire` every `periodMs` on `scheduler` (the first time one period from now) until cancelled. */
export function every(scheduler: Scheduler, periodMs: number, fire: () => void): CancelTimer {
  if (!(periodMs > 0)) throw new RangeError(`every: the period must be > 0 ms, got ${periodMs}`);
  let stopped = false;
  let cancel: CancelTimer = () => undefined;
  const tick = (): void => {
    if (stopped) return;
    cancel = scheduler.setTimer(periodMs, tick);
    fire();
  };
  cancel = scheduler.setTimer(periodMs, tick);
  return () => {
    stopped = true;
    cancel();
  };
}
