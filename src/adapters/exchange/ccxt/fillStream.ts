/**
 * A venue's fills as one Observable: from the socket (watchMyTrades) when the venue has one and
 * the config allows it, polling fetchMyTrades otherwise.
 *
 * - Socket mode: every time the socket becomes live (the first connect and each reconnect) one
 *   catch-up poll fetches the trades since the newest one seen, so fills made while it was down
 *   are not lost; trades are de-duplicated by id (SeenTrades), so none is emitted twice.
 * - A socket that fails `maxSocketFailures` times within `socketRetryMs` (or whose catch-up fails)
 *   is closed and the stream polls every `pollMs`; after `socketRetryMs` it tries the socket again.
 * - Stops on unsubscribe or when `signal` aborts (the venue closed); no timer outlives it.
 */
import type { Trade as CcxtTrade } from 'ccxt';
import type { Observable } from 'rxjs';
import type { Logger } from '../../../logging/logger.js';
import { VenueError } from '../errors.js';
import type { Fill } from '../venue.js';
import { pollRound, type TradeFetcher } from './pollFills.js';
import { SeenTrades } from './seenTrades.js';
import { reconnectDelayMs, socketLoop, type SocketLoopContext } from './socketLoop.js';
import type { TradeSocket } from './watchFills.js';

export interface FillStreamTiming {
  /** Polling interval (polling mode). */
  pollMs: number;
  /** Window in which `maxSocketFailures` failures send the stream to polling, and how long it polls before trying the socket again. */
  socketRetryMs: number;
  maxSocketFailures: number;
  /** Wait before reconnecting after a socket failure (doubles per failure in the window, capped at socketRetryMs). */
  reconnectDelayMs: number;
}

export interface FillStreamOptions {
  fetcher: TradeFetcher;
  /** null: polling only (the venue has no socket, or the config turned it off). */
  socket: TradeSocket | null;
  toFill: (t: CcxtTrade) => Fill;
  timing: FillStreamTiming;
  log: Logger;
  /** Aborted when the venue closes. */
  signal: AbortSignal;
}

/** How often `live()` is checked while a (re)connecting socket is awaited before its catch-up. */
const LIVE_CHECK_MS = 10;

function errKind(err: unknown): string {
  return err instanceof VenueError ? err.kind : err instanceof Error ? err.name : 'unknown';
}

export function fillStream(o: FillStreamOptions): Observable<Fill> {
  const socket = o.socket;
  const loop = async ({ subscriber, stopped, sleep }: SocketLoopContext<Fill>): Promise<void> => {
    const seen = new SeenTrades(o.fetcher.symbols, Date.now());

    const emit = (trades: CcxtTrade[]): void => {
      for (const t of trades) if (!stopped()) subscriber.next(o.toFill(t));
    };

    const poll = async (what: 'poll' | 'catch-up'): Promise<boolean> => {
      const round = await pollRound(
        o.fetcher,
        seen,
        (symbol, err) => o.log.warn({ op: 'fetchMyTrades', symbol, kind: errKind(err), mode: what }, what === 'poll' ? 'fill poll failed; will poll again' : 'fill catch-up failed; polling instead'),
        stopped,
      );
      emit(round.trades);
      return round.complete;
    };

    /** Polls until `until` (ms epoch; Infinity = for good) or the stream stops. */
    const pollUntil = async (until: number): Promise<void> => {
      while (!stopped() && Date.now() < until) {
        await sleep(Math.min(o.timing.pollMs, Math.max(0, until - Date.now())));
        if (stopped()) return;
        await poll('poll');
      }
    };

    /** Waits until the socket is live or `pending` settles; false when the stream stopped first. */
    const awaitLive = async (socket: TradeSocket, pending: Promise<unknown>): Promise<boolean> => {
      let settled = false;
      void pending.then(
        () => (settled = true),
        () => (settled = true),
      );
      while (!stopped() && !settled && !socket.live()) await sleep(LIVE_CHECK_MS);
      return !stopped();
    };

    /** Socket mode; returns when the socket failed too often (the caller polls) or the stream stopped. */
    const watch = async (socket: TradeSocket): Promise<void> => {
      const failures: number[] = [];
      let needCatchUp = true;
      while (!stopped()) {
        const pending = socket.next();
        pending.catch(() => undefined);
        if (needCatchUp) {
          if (!(await awaitLive(socket, pending))) return;
          if (socket.live()) {
            if (!(await poll('catch-up'))) {
              await socket.reset();
              return;
            }
            needCatchUp = false;
            o.log.info({ mode: 'socket', failures: failures.length }, 'fill socket live, caught up');
          }
        }
        try {
          const trades = await pending;
          seen.prune();
          emit(trades.filter((t) => o.fetcher.symbols.includes(t.symbol ?? '') && seen.admit(t)));
        } catch (err) {
          if (stopped()) return;
          needCatchUp = true;
          const now = Date.now();
          failures.push(now);
          while (failures.length > 0 && (failures[0] ?? 0) < now - o.timing.socketRetryMs) failures.shift();
          if (failures.length >= o.timing.maxSocketFailures) {
            o.log.warn({ kind: errKind(err), failures: failures.length, retryInMs: o.timing.socketRetryMs }, 'fill socket keeps failing; polling fills');
            await socket.reset();
            return;
          }
          const delayMs = reconnectDelayMs(o.timing.reconnectDelayMs, o.timing.socketRetryMs, failures.length);
          o.log.warn({ kind: errKind(err), failures: failures.length, delayMs }, 'fill socket failed; reconnecting');
          await sleep(delayMs);
        }
      }
    };

    if (socket === null) {
      await pollUntil(Number.POSITIVE_INFINITY);
      return;
    }
    while (!stopped()) {
      await watch(socket);
      if (stopped()) return;
      await pollUntil(Date.now() + o.timing.socketRetryMs);
      if (!stopped()) o.log.info({ mode: 'socket' }, 'trying the fill socket again');
    }
  };
  return socketLoop<Fill>(socket === null ? { signal: o.signal, loop } : { signal: o.signal, loop, close: () => socket.reset() });
}
