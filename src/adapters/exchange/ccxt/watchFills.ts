/**
 * The socket side of a fill stream: the account's trades through ccxt.pro `watchMyTrades` (Binance
 * USDⓈ-M user data stream, Bybit v5 private `execution` topic). ccxt connects, authenticates and
 * subscribes on the first call and reconnects on the next call after a drop.
 */
import type { Exchange, Trade as CcxtTrade } from 'ccxt';
import { closeWsClients } from './wsClients.js';

export interface TradeSocket {
  /** The next batch of the account's trades (any symbol); rejects when the socket fails. */
  next(): Promise<CcxtTrade[]>;
  /** True once the socket is open and subscribed: trades from now on come through it. */
  live(): boolean;
  /** Closes the socket (pending `next` calls reject); the next `next` opens and authenticates a new one. */
  reset(): Promise<void>;
}

export interface CcxtTradeSocketOptions {
  /** Runs before every watch: markets loaded (through the venue's retrying reader), ccxt ready to dial. */
  prepare: () => Promise<void>;
  /**
   * Key ccxt puts in a client's `subscriptions` once the trade subscription is sent on it:
   * Binance keys the user data stream by market type ("future"), Bybit by message hash ("myTrades").
   */
  subscriptionKey: string;
  /** Drops cached socket credentials (Binance's listenKey) so a reset socket authenticates anew. */
  forgetAuth: () => void;
}

export function ccxtTradeSocket(exchange: Exchange, opts: CcxtTradeSocketOptions): TradeSocket {
  return {
    async next() {
      await opts.prepare();
      return exchange.watchMyTrades();
    },
    live() {
      // Some clients are never dialed (Binance parks its listenKey fetch on one): no connection, not open.
      return Object.values(exchange.clients).some((c) => (c as { connection?: unknown }).connection !== undefined && opts.subscriptionKey in c.subscriptions && c.isOpen());
    },
    async reset() {
      opts.forgetAuth();
      await closeWsClients(exchange, (key) => key === opts.subscriptionKey);
    },
  };
}

/** True when the ccxt exchange object implements watchMyTrades (a ccxt.pro class of a venue with it). */
export function canWatchMyTrades(exchange: Exchange): boolean {
  return exchange.has['watchMyTrades'] === true && typeof exchange.watchMyTrades === 'function';
}
