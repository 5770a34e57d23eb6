/**
 * One polling round of a fill stream: fetchMyTrades for every symbol from its newest trade seen,
 * keeping only trades not emitted before. Used for the polling mode and for the one catch-up
 * after the socket (re)connects.
 */
import type { Trade as CcxtTrade } from 'ccxt';
import type { SeenTrades } from './seenTrades.js';

export interface TradeFetcher {
  readonly symbols: readonly string[];
  /** The account's trades of `symbol` from `since` (ms); throws a VenueError on failure. */
  fetchMyTrades(symbol: string, since: number): Promise<CcxtTrade[]>;
}

export interface PollRound {
  /** New trades, oldest first per symbol, already admitted to `seen`. */
  trades: CcxtTrade[];
  /** False when a symbol's fetch failed (its trades come with a later round). */
  complete: boolean;
}

/** Polls every symbol once; a failing symbol is reported through `onError` and skipped. */
export async function pollRound(fetcher: TradeFetcher, seen: SeenTrades, onError: (symbol: string, err: unknown) => void, stopped: () => boolean): Promise<PollRound> {
  seen.prune();
  const trades: CcxtTrade[] = [];
  let complete = true;
  for (const symbol of fetcher.symbols) {
    if (stopped()) return { trades, complete: false };
    try {
      const fetched = await fetcher.fetchMyTrades(symbol, seen.since(symbol));
      for (const t of fetched) if (seen.admit(t)) trades.push(t);
    } catch (err) {
      complete = false;
      onError(symbol, err);
    }
  }
  return { trades, complete };
}
