/**
 * The one interface every exchange venue implements: the paper exchange (devnet, backtests) and
 * the ccxt venues (Binance USDⓈ-M, Bybit linear). Only the ExchangeActor calls it.
 *
 * Sizes are in base-asset units (e.g. ETH), prices in quote (USDT) per base, as float64 rounded
 * by the venue to its lot size and tick; every order carries a deterministic client order id so
 * that createOrder is idempotent: sending the same clientOrderId twice never opens two orders.
 */
import type { Observable } from 'rxjs';

export type OrderSide = 'buy' | 'sell';
export type OrderStatus = 'open' | 'closed' | 'canceled' | 'rejected';

export interface MarketInfo {
  /** Unified symbol, e.g. "ETH/USDT:USDT". */
  symbol: string;
  base: string;
  quote: string;
  /** Smallest order size step in base units. */
  amountStep: number;
  minAmount: number;
  /** Minimum order notional in quote units (0 when the venue has none). */
  minNotional: number;
  priceStep: number;
  maxLeverage: number;
  /** Taker fee as a fraction of the fill notional (0.0004 = 4 bps): what a market hedge order pays here. */
  takerFee: number;
}

export interface OrderRequest {
  /** Deterministic id derived from the intent (see clientOrderId.ts); at most 36 chars, [A-Za-z0-9_-]. */
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  /** Base units, > 0. */
  amount: number;
  type: 'market';
  reduceOnly?: boolean;
}

export interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  amount: number;
  filled: number;
  /** Average fill price, null while nothing filled. */
  average: number | null;
  status: OrderStatus;
  /** Fee paid in quote units. */
  fee: number;
  reduceOnly: boolean;
  timestamp: number;
}

export interface Fill {
  venue: string;
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  amount: number;
  price: number;
  fee: number;
  timestamp: number;
}

export interface PerpPosition {
  symbol: string;
  /** Signed size in base units: > 0 long, < 0 short. */
  size: number;
  entryPrice: number;
  markPrice: number;
  unrealizedPnl: number;
  leverage: number;
  /** Margin held for this position, quote units. */
  margin: number;
  /** Maintenance margin of this position, quote units (what the venue liquidates at). */
  maintenanceMargin: number;
  liquidationPrice: number | null;
}

export interface Balance {
  currency: string;
  /** Equity: wallet balance plus unrealized PnL (Binance marginBalance, Bybit coin equity, paper cash + uPnL). */
  total: number;
  free: number;
  used: number;
}

export interface FundingRate {
  symbol: string;
  /** Rate per funding interval (0.0001 = 0.01%). */
  rate: number;
  nextFundingTime: number | null;
}

/** One funding settlement on the account. */
export interface FundingPayment {
  /** The venue's id of the payment (unique per venue account). */
  id: string;
  symbol: string;
  /** Quote units, signed: > 0 received, < 0 paid. */
  amount: number;
  /** The rate it settled at, when the venue says. */
  rate: number | null;
  timestamp: number;
}

export interface ExchangeVenue {
  /** Venue account id, e.g. "paper", "binanceusdm:main". */
  readonly id: string;
  loadMarkets(): Promise<MarketInfo[]>;
  fetchBalance(): Promise<Balance>;
  fetchPositions(symbols?: string[]): Promise<PerpPosition[]>;
  fetchOpenOrders(symbol?: string): Promise<Order[]>;
  /** The order placed with this client id, or null if the venue never accepted one. */
  fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | null>;
  setLeverage(symbol: string, leverage: number): Promise<void>;
  /** Places a market order; idempotent by clientOrderId. Throws a typed VenueError on rejection. */
  createOrder(req: OrderRequest): Promise<Order>;
  /**
   * Cancels one open order (by venue order id). An order that is no longer open (filled,
   * cancelled, unknown to the venue) is not an error: resolves false; true when it was cancelled.
   */
  cancelOrder(symbol: string, orderId: string): Promise<boolean>;
  /** Cancels every open order (of one symbol, or all); returns how many were cancelled. */
  cancelAllOrders(symbol?: string): Promise<number>;
  fetchFundingRate(symbol: string): Promise<FundingRate>;
  /**
   * Funding paid and received on `symbol` since `since` (ms, inclusive; all the venue keeps when
   * absent), oldest first: the paper venue's settlements, Binance's FUNDING_FEE income, Bybit's
   * executions of type Funding.
   */
  fetchFundingHistory(symbol: string, since?: number): Promise<FundingPayment[]>;
  /**
   * Fills as they happen, each once: websocket where the venue has one (with a catch-up fetch
   * after every reconnect), polling otherwise or while the socket is down.
   */
  readonly fills$: Observable<Fill>;
  close(): Promise<void>;
}
