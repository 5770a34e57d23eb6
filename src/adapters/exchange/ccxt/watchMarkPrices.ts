/**
 * A venue's mark prices as they change, through its public socket (ccxt.pro: Binance USDⓈ-M
 * `<symbol>@markPrice@1s`, Bybit linear `tickers.<SYMBOL>`). The stream never errors: a failed
 * socket is reconnected with backoff (doubling from `reconnectDelayMs`, capped at `maxDelayMs`),
 * and whoever needs a price meanwhile polls it. Stops on unsubscribe (closing the socket) or when
 * `signal` aborts (the venue closed); no timer outlives it.
 */
import type { Observable } from 'rxjs';
import type { Logger } from '../../../logging/logger.js';
import { reconnectDelayMs, socketLoop } from './socketLoop.js';

export interface MarkTick {
  /** Unified symbol, e.g. "ETH/USDT:USDT". */
  symbol: string;
  price: number;
  /** When it was received, ms epoch. */
  at: number;
}

export interface MarkPriceStreamOptions {
  /** The next mark prices by symbol; rejects when the socket fails. */
  next: () => Promise<Record<string, number>>;
  /** Closes the mark price socket (on unsubscribe). */
  close: () => Promise<void>;
  reconnectDelayMs: number;
  maxDelayMs: number;
  log: Logger;
  signal: AbortSignal;
}

export function markPriceStream(o: MarkPriceStreamOptions): Observable<MarkTick> {
  return socketLoop<MarkTick>({
    signal: o.signal,
    close: o.close,
    loop: async ({ subscriber, stopped, sleep }) => {
      let failures = 0;
      while (!stopped()) {
        try {
          const marks = await o.next();
          failures = 0;
          const at = Date.now();
          for (const [symbol, price] of Object.entries(marks)) if (!stopped() && Number.isFinite(price) && price > 0) subscriber.next({ symbol, price, at });
        } catch (err) {
          if (stopped()) return;
          failures += 1;
          const delayMs = reconnectDelayMs(o.reconnectDelayMs, o.maxDelayMs, failures);
          o.log.warn({ kind: err instanceof Error ? err.name : 'unknown', failures, delayMs }, 'mark price socket failed; reconnecting');
          await sleep(delayMs);
        }
      }
    },
  });
}
