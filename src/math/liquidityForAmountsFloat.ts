/**
 * The liquidity a budget of token amounts can fund on a range, in float64 (analytics and the
 * simulated chain; the exact bigint version is getLiquidityForAmounts in liquidityAmounts.ts):
 *
 *   L0(s) = x·s·√Pb / (√Pb − s),  L1(s) = y / (s − √Pa)
 *   P <= Pa: L0(√Pa);  P >= Pb: L1(√Pb);  inside: min(L0(√P), L1(√P))
 *
 * as Uniswap's LiquidityAmounts does, so positionAmounts of the result never exceeds the budget
 * (up to float rounding).
 */
import { requireNonNegative, requirePositive } from './analyticsInput.js';
import type { PositionAmounts } from './positionValue.js';
import { validatePriceRange } from './positionValue.js';

/** Largest liquidity that `amounts` (raw units) can fund on [priceLower, priceUpper] at raw `price`. */
export function liquidityForAmountsFloat(amounts: PositionAmounts, priceLower: number, priceUpper: number, price: number): number {
  requireNonNegative('amount0', amounts.amount0);
  requireNonNegative('amount1', amounts.amount1);
  validatePriceRange(priceLower, priceUpper);
  requirePositive('price', price);
  const sa = Math.sqrt(priceLower);
  const sb = Math.sqrt(priceUpper);
  const l0 = (s: number): number => (amounts.amount0 * s * sb) / (sb - s);
  const l1 = (s: number): number => amounts.amount1 / (s - sa);
  // compared in sqrt space: a price a few ulps inside the range can have √P == √Pa (0/0 otherwise)
  const s = Math.sqrt(price);
  if (s <= sa) return l0(sa);
  if (s >= sb) return l1(sb);
  return Math.min(l0(s), l1(s));
}
