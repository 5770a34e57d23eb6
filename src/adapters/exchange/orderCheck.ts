/**
 * Pre-flight checks of an order against a market's precision and limits, so an order that cannot
 * be placed says why before it is sent (VenueError kind 'invalid-order' carrying the value).
 */
import { VenueError } from './errors.js';
import type { MarketInfo, OrderRequest } from './venue.js';

/** Venue limits on client order ids: Binance newClientOrderId and Bybit orderLinkId, <= 36 chars. */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** Relative tolerance when deciding whether an amount is a whole number of lot steps. */
const STEP_EPSILON = 1e-9;

/** Number of decimals needed to write `step` exactly (0.001 -> 3, 1 -> 0, 5e-7 -> 7). */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d <= 15; d += 1) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 15;
}

/** Rounds `value` to the nearest multiple of `step`, written with the step's decimals. */
export function roundToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  const n = Math.round(value / step);
  return Number((n * step).toFixed(stepDecimals(step)));
}

/** Rounds `value` down (towards zero) to a multiple of `step`. */
export function floorToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  const n = Math.floor(Math.abs(value) / step + STEP_EPSILON);
  return Math.sign(value) * Number((n * step).toFixed(stepDecimals(step)));
}

/** Why an order cannot be placed on this market, or null when it passes every check. */
export function orderProblem(market: MarketInfo, req: OrderRequest, price: number | null): string | null {
  if (!CLIENT_ORDER_ID_PATTERN.test(req.clientOrderId)) {
    return `client order id ${JSON.stringify(req.clientOrderId)} does not match ${CLIENT_ORDER_ID_PATTERN.source}`;
  }
  if (req.symbol !== market.symbol) return `order symbol ${req.symbol} is not market ${market.symbol}`;
  if (req.side !== 'buy' && req.side !== 'sell') return `side ${String(req.side)} is neither buy nor sell`;
  if (!Number.isFinite(req.amount) || req.amount <= 0) return `amount ${req.amount} must be a positive number`;
  if (req.amount < market.minAmount * (1 - STEP_EPSILON)) {
    return `amount ${req.amount} is below the minimum ${market.minAmount} ${market.base}`;
  }
  if (market.amountStep > 0) {
    const steps = req.amount / market.amountStep;
    if (Math.abs(steps - Math.round(steps)) > STEP_EPSILON * Math.max(1, steps)) {
      return `amount ${req.amount} is not a multiple of the lot size ${market.amountStep}`;
    }
  }
  if (price !== null && market.minNotional > 0 && req.amount * price < market.minNotional * (1 - STEP_EPSILON)) {
    return `notional ${(req.amount * price).toFixed(4)} ${market.quote} is below the minimum ${market.minNotional}`;
  }
  return null;
}

/**
 * Throws VenueError('invalid-order') naming the problem when `req` cannot be placed on `market`
 * (undefined: a symbol the venue does not list) at about `price` (null skips the notional check).
 */
export function assertOrderPlaceable(venue: string, market: MarketInfo | undefined, req: OrderRequest, price: number | null): void {
  if (market === undefined) throw new VenueError('invalid-order', venue, `unknown symbol ${JSON.stringify(req.symbol)} (not in the loaded markets)`, { cause: req });
  const problem = orderProblem(market, req, price);
  if (problem !== null) throw new VenueError('invalid-order', venue, `order ${req.clientOrderId} refused before sending: ${problem}`, { cause: req });
}
