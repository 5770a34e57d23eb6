/**
 * ccxt.pro schedules follow-up work with `exchange.delay(ms, method, ...args)`: a bare
 * `setTimeout` nobody can cancel. Binance's user data stream uses it to renew its listenKey every
 * 20 minutes (`keepAliveListenKey`), so a closed Binance venue kept Node alive for that long.
 * `leashDelayedCalls` replaces the instance's `delay` with one whose timers are unref'd (they
 * never hold the process open) and tracked, so `clear()` on close cancels every one still pending.
 */
import type { Exchange } from 'ccxt';

export interface DelayedCalls {
  /** Timers scheduled and not yet fired or cleared. */
  readonly pending: number;
  /** Cancels every pending call; later `delay` calls are dropped. */
  clear(): void;
}

export function leashDelayedCalls(exchange: Exchange): DelayedCalls {
  const timers = new Set<NodeJS.Timeout>();
  let cleared = false;
  exchange.delay = (timeout: unknown, method: unknown, ...args: unknown[]): void => {
    if (cleared) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      // spawn settles its own future (a failed renewal is handled by ccxt and never rejects unhandled).
      void exchange.spawn(method, ...args);
    }, Number(timeout));
    timer.unref();
    timers.add(timer);
  };
  return {
    get pending() {
      return timers.size;
    },
    clear() {
      cleared = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
