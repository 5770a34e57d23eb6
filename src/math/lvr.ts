/**
 * Loss-versus-rebalancing (Milionis, Moallemi, Roughgarden, Zhang 2022): the rate at which an
 * LP loses to arbitrageurs against a continuously rebalanced replica, for a price following a
 * geometric Brownian motion with volatility sigma:
 *
 *   LVR rate = (sigma^2 P^2 / 2) * |V''(P)| = sigma^2 * L * sqrt(P) / 4   in range, 0 outside
 *
 * in raw token1 units per unit of time, where the time unit is the one sigma is quoted in
 * (annualized sigma -> LVR per year). In range means Pa <= P < Pb.
 */
import { requireNonNegative } from './analyticsInput.js';
import { positionValue, validatePositionAtPrice, type PositionAtPrice } from './positionValue.js';

/** A position plus the volatility of ln(P) per sqrt(time unit). */
export interface LvrInput extends PositionAtPrice {
  /** sigma, volatility of log price per sqrt(time unit) (e.g. annualized), >= 0. */
  sigma: number;
}

/** LVR in raw token1 units per time unit: sigma^2 L sqrt(P) / 4 in range, 0 out of range (>= 0). */
export function lvrRate(input: LvrInput): number {
  validatePositionAtPrice(input);
  requireNonNegative('sigma', input.sigma);
  if (input.price < input.priceLower || input.price >= input.priceUpper) return 0;
  return (input.sigma * input.sigma * input.liquidity * Math.sqrt(input.price)) / 4;
}

/**
 * LVR as a fraction of the position's value per time unit (lvrRate / V), comparable to a fee
 * APR when sigma is annualized. 0 when the position is empty or out of range.
 */
export function lvrRateFraction(input: LvrInput): number {
  const rate = lvrRate(input);
  if (rate === 0) return 0;
  return rate / positionValue(input);
}
