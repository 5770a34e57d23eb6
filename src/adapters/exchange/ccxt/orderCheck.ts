/**
 * Market limits from ccxt's loaded markets (lot size, minimum amount, minimum notional, price
 * tick) as MarketInfo, and the pre-flight check that refuses, before sending, an order the venue
 * would reject, saying why (VenueError 'invalid-order' naming the value).
 */
import type { Market } from 'ccxt';
import { VenueError } from '../errors.js';
import { orderProblem } from '../orderCheck.js';
import type { MarketInfo, OrderRequest } from '../venue.js';

/** MarketInfo of a ccxt market (precision in TICK_SIZE mode, as binanceusdm and bybit use). */
export function marketInfoOf(m: NonNullable<Market>, fallbackMaxLeverage: number): MarketInfo {
  const amountStep = m.precision.amount ?? 0;
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    amountStep,
    minAmount: m.limits.amount?.min ?? amountStep,
    minNotional: m.limits.cost?.min ?? 0,
    priceStep: m.precision.price ?? 0,
    maxLeverage: m.limits.leverage?.max ?? fallbackMaxLeverage,
  };
}

/**
 * Throws VenueError('invalid-order') when `req` cannot be placed on `market` at about `price`
 * (null skips the notional check).
 */
export function assertOrderPlaceable(venue: string, market: MarketInfo | undefined, req: OrderRequest, price: number | null): void {
  if (market === undefined) throw new VenueError('invalid-order', venue, `unknown symbol ${JSON.stringify(req.symbol)} (not in the loaded markets)`);
  const problem = orderProblem(market, req, price);
  if (problem !== null) throw new VenueError('invalid-order', venue, `order ${req.clientOrderId} refused before sending: ${problem}`);
}
