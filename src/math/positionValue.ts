/**
 * Token amounts and value of a concentrated-liquidity position in float64 (analytics only; the
 * exact bigint amounts come from LiquidityAmounts/SqrtPriceMath).
 *
 * A position of liquidity L on [Pa, Pb] at raw price P holds
 *   P <= Pa:      x = L(1/sqrt(Pa) - 1/sqrt(Pb)), y = 0
 *   Pa < P < Pb:  x = L(1/sqrt(P)  - 1/sqrt(Pb)), y = L(sqrt(P) - sqrt(Pa))
 *   P >= Pb:      x = 0,                          y = L(sqrt(Pb) - sqrt(Pa))
 * and is worth V(P) = x*P + y token1 (raw units).
 */
import { AnalyticsInputError, requireNonNegative, requirePositive } from './analyticsInput.js';

/** A liquidity position: liquidity L (raw, as on chain, converted to float) on [priceLower, priceUpper]. */
export interface PositionAtPrice {
  /** Liquidity L, >= 0 (bigint liquidity converted with Number()). */
  liquidity: number;
  /** Pa, raw price at tickLower (> 0). */
  priceLower: number;
  /** Pb, raw price at tickUpper (> Pa). */
  priceUpper: number;
  /** P, current raw price (> 0). */
  price: number;
}

/** Token amounts held by a position, in raw units. */
export interface PositionAmounts {
  /** x, token0 raw units. */
  amount0: number;
  /** y, token1 raw units. */
  amount1: number;
}

/** Checks 0 < priceLower < priceUpper; returns nothing, throws INVALID_RANGE otherwise. */
export function validatePriceRange(priceLower: number, priceUpper: number): void {
  requirePositive('priceLower', priceLower);
  requirePositive('priceUpper', priceUpper);
  if (!(priceLower < priceUpper)) {
    throw new AnalyticsInputError(
      'INVALID_RANGE', 'priceUpper', priceUpper, `must be > priceLower (${priceLower})`);
  }
}

/** Validates a PositionAtPrice (L >= 0, 0 < Pa < Pb, P > 0). */
export function validatePositionAtPrice(p: PositionAtPrice): void {
  requireNonNegative('liquidity', p.liquidity);
  validatePriceRange(p.priceLower, p.priceUpper);
  requirePositive('price', p.price);
}

/** Amounts (x token0, y token1, raw units) held by liquidity L on [Pa, Pb] at price P. */
export function positionAmounts(p: PositionAtPrice): PositionAmounts {
  validatePositionAtPrice(p);
  const { liquidity: l, priceLower: pa, priceUpper: pb, price } = p;
  const sa = Math.sqrt(pa);
  const sb = Math.sqrt(pb);
  if (price <= pa) return { amount0: l * (1 / sa - 1 / sb), amount1: 0 };
  if (price >= pb) return { amount0: 0, amount1: l * (sb - sa) };
  const s = Math.sqrt(price);
  return { amount0: l * (1 / s - 1 / sb), amount1: l * (s - sa) };
}

/** Value V(P) = x*P + y of the position, in raw token1 units. */
export function positionValue(p: PositionAtPrice): number {
  const { amount0, amount1 } = positionAmounts(p);
  return amount0 * p.price + amount1;
}

/**
 * Value per unit of liquidity, V(P)/L, in raw token1 units. Dividing a capital budget (token1
 * raw units) by it gives the liquidity that budget buys on [Pa, Pb] at P.
 */
export function valuePerLiquidity(priceLower: number, priceUpper: number, price: number): number {
  return positionValue({ liquidity: 1, priceLower, priceUpper, price });
}
