/**
 * A Scheduler whose time moves only when told to (backtests, tests): `advance`/`advanceTo` fire
 * every timer that falls due on the way, in due-time order (timers due at the same time in the
 * order they were set), with the clock standing at each timer's due time while it fires, so what
 * a timer's work reads from `now()` is the time it was meant to run at. A timer set while firing
 * that falls due before the target fires in the same advance. Nothing waits on the wall clock.
 */
import type { CancelTimer, Scheduler } from './scheduler.js';

interface PendingTimer {
  at: number;
  seq: number;
  fire: () => void;
}

export class VirtualClock implements Scheduler {
  private t: number;
  private seq = 0;
  private readonly timers: PendingTimer[] = [];

  /** Starts at `start` ms since the epoch. */
  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`VirtualClock: start must be finite, got ${start}`);
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(delayMs: number, fire: () => void): CancelTimer {
    const timer: PendingTimer = { at: this.t + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0), seq: this.seq++, fire };
    this.timers.push(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number {
    return this.timers.length;
  }

  /** When the next timer falls due, null when none is pending. */
  nextDue(): number | null {
    return this.next()?.at ?? null;
  }

  /**
   * Moves the clock to `at` (never backwards), firing the timers due by then. `settle`, when
   * given, is awaited after each timer fires (e.g. until the actors have handled what the timer
   * sent them), before the next one. Returns the due times of the timers fired, in order.
   */
  async advanceTo(at: number, settle?: () => Promise<void>): Promise<number[]> {
    return this.fireUntil(at, true, settle);
  }

  /**
   * advanceTo, but a timer due exactly at `at` stays pending (it fires on the next advance, at its
   * due time): what happens at `at` itself (a backtest's market step) comes before the timers due
   * then, which then see it.
   */
  async advanceBefore(at: number, settle?: () => Promise<void>): Promise<number[]> {
    return this.fireUntil(at, false, settle);
  }

  private async fireUntil(at: number, inclusive: boolean, settle: (() => Promise<void>) | undefined): Promise<number[]> {
    if (!Number.isFinite(at)) throw new RangeError(`VirtualClock: cannot advance to ${at}`);
    const fired: number[] = [];
    for (let timer = this.next(); timer !== undefined && (timer.at < at || (inclusive && timer.at === at)); timer = this.next()) {
      this.timers.splice(this.timers.indexOf(timer), 1);
      this.t = Math.max(this.t, timer.at);
      fired.push(timer.at);
      timer.fire();
      if (settle !== undefined) await settle();
    }
    this.t = Math.max(this.t, at);
    return fired;
  }

  /** advanceTo(now + ms). */
  async advance(ms: number, settle?: () => Promise<void>): Promise<number[]> {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock: cannot advance by ${ms} ms`);
    return this.advanceTo(this.t + ms, settle);
  }

  private next(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers) if (best === undefined || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    return best;
  }
}
