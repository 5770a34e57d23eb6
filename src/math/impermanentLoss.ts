/**
 * Impermanent loss of a concentrated-liquidity position against holding its entry amounts.
 *
 *   IL(P) = V(P) / (x0*P + y0) - 1
 *
 * where (x0, y0) are the amounts the position held at the entry price P0 and V(P) its value at
 * P (see positionValue.ts). IL is a fraction, <= 0 everywhere (V is concave in P and the hold
 * value is its tangent at P0), 0 at P = P0, and it does not depend on the liquidity L. Outside
 * the range IL keeps changing with P and never reaches -100% (the position still holds tokens);
 * the "100% when out of range" of the original spec is wrong.
 */
import { AnalyticsInputError, requireInRange, requireInteger, requireNonNegative, requirePositive } from './analyticsInput.js';
import { positionAmounts, positionValue, validatePriceRange } from './positionValue.js';

/** A range, the entry price at which its amounts were fixed, and the current price (raw prices). */
export interface ImpermanentLossInput {
  /** Pa, raw price at tickLower. */
  priceLower: number;
  /** Pb, raw price at tickUpper. */
  priceUpper: number;
  /** P0, raw price when the position was opened (its amounts x0, y0 are those at P0). */
  entryPrice: number;
  /** P, current raw price. */
  price: number;
}

/**
 * IL as a fraction (<= 0; -0.05 means the position is worth 5% less than holding x0, y0).
 * Float rounding can leave a result of a few ulps above 0; it is clamped to 0 since the exact
 * value cannot be positive.
 */
export function impermanentLoss(input: ImpermanentLossInput): number {
  const { priceLower, priceUpper, entryPrice, price } = input;
  validatePriceRange(priceLower, priceUpper);
  requirePositive('entryPrice', entryPrice);
  requirePositive('price', price);
  const entry = positionAmounts({ liquidity: 1, priceLower, priceUpper, price: entryPrice });
  const hold = entry.amount0 * price + entry.amount1;
  if (!(hold > 0) || !Number.isFinite(hold)) {
    // only when sqrt(Pa) and sqrt(Pb) round to the same double, or the amounts overflow
    throw new AnalyticsInputError('INVALID_RANGE', 'priceUpper', priceUpper,
      `range [${priceLower}, ${priceUpper}] is too narrow or too extreme for float64 (hold value ${hold})`);
  }
  const lp = positionValue({ liquidity: 1, priceLower, priceUpper, price });
  return Math.min(0, lp / hold - 1);
}

/** Inputs of the spec's ILMetrics: a position, its entry, the token1 USD price and fees earned. */
export interface ILMetricsInput extends ImpermanentLossInput {
  /** Liquidity L (raw), >= 0. */
  liquidity: number;
  /** Decimals of token1 (raw token1 / 10^decimals1 = whole token1). */
  token1Decimals: number;
  /** USD per whole token1, > 0. */
  token1PriceUsd: number;
  /** Fees the position has earned since entry, in USD, >= 0. */
  feesEarnedUsd: number;
}

/**
 * The spec's ILMetrics, with one sign convention throughout: losses are negative.
 * (The spec reported IL as a positive loss and netIL = ilUSD - fees; here netIL = ilUSD + fees,
 * so a positive netIL means fees more than paid for the IL.)
 */
export interface ILMetrics {
  /** IL x 100, <= 0. */
  ilPercent: number;
  /** Position value minus hold value, in USD, <= 0. */
  ilUSD: number;
  /** Fees earned, USD (input echoed). */
  feesEarned: number;
  /** ilUSD + feesEarned, USD: negative = still behind holding after fees. */
  netIL: number;
  /** P / P0. */
  priceRatio: number;
  /** Value of the entry amounts at P, USD. */
  holdValueUsd: number;
  /** Value of the position at P, USD. */
  positionValueUsd: number;
}

/** Computes the spec's ILMetrics for a position (see ILMetrics for the sign conventions). */
export function ilMetrics(input: ILMetricsInput): ILMetrics {
  requireNonNegative('liquidity', input.liquidity);
  requirePositive('token1PriceUsd', input.token1PriceUsd);
  requireNonNegative('feesEarnedUsd', input.feesEarnedUsd);
  requireInteger('token1Decimals', input.token1Decimals);
  requireInRange('token1Decimals', input.token1Decimals, 0, 255);
  const il = impermanentLoss(input);
  const { liquidity, priceLower, priceUpper, entryPrice, price } = input;
  const entry = positionAmounts({ liquidity, priceLower, priceUpper, price: entryPrice });
  const usdPerRaw1 = input.token1PriceUsd / Math.pow(10, input.token1Decimals);
  const holdValueUsd = (entry.amount0 * price + entry.amount1) * usdPerRaw1;
  const ilUSD = il * holdValueUsd;
  return {
    ilPercent: il * 100,
    ilUSD,
    feesEarned: input.feesEarnedUsd,
    netIL: ilUSD + input.feesEarnedUsd,
    priceRatio: price / entryPrice,
    holdValueUsd,
    positionValueUsd: holdValueUsd + ilUSD,
  };
}
