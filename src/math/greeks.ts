/**
 * Price sensitivities of a concentrated-liquidity position (float64, raw units).
 *
 *   delta = dV/dP = x   (token0 raw units held; an LP is long x token0, so short x on the perp
 *                        to be delta-neutral)
 *   gamma = d2V/dP2 = -L / (2 P^{3/2}) in range, 0 outside
 *
 * "In range" follows Uniswap's active-liquidity rule: Pa <= P < Pb (tickLower <= tick < tickUpper).
 * V has kinks at Pa and Pb, so gamma has jumps there; delta is continuous.
 */
import { positionAmounts, validatePositionAtPrice, type PositionAtPrice } from './positionValue.js';

/** delta = dV/dP = x, in raw token0 units (>= 0). Multiply by 10^-decimals0 for whole tokens. */
export function positionDelta(p: PositionAtPrice): number {
  return positionAmounts(p).amount0;
}

/**
 * gamma = d2V/dP2 = -L / (2 P^{3/2}) for Pa <= P < Pb, else 0. Units: raw token0 per raw price
 * unit. Always <= 0: an LP is short gamma.
 */
export function positionGamma(p: PositionAtPrice): number {
  validatePositionAtPrice(p);
  if (p.price < p.priceLower || p.price >= p.priceUpper) return 0;
  return -p.liquidity / (2 * Math.pow(p.price, 1.5));
}

/** Delta and gamma of a position at a price. */
export interface PositionGreeks {
  delta: number;
  gamma: number;
}

/** Both greeks at once (see positionDelta, positionGamma). */
export function positionGreeks(p: PositionAtPrice): PositionGreeks {
  return { delta: positionDelta(p), gamma: positionGamma(p) };
}
