/**
 * A position's value against simply holding a given set of amounts:
 *
 *   lossVersusHold = (x·P + y) / (x_h·P + y_h) − 1
 *
 * When the held amounts are the position's own entry amounts on the same range this equals
 * impermanentLoss (impermanentLoss.ts); unlike it, the baseline here may be any amounts (e.g. the
 * amounts first deposited, kept as the baseline across rolls to other ranges), so the result can
 * be positive after a favourable roll.
 */
import { requireNonNegative, requirePositive } from './analyticsInput.js';
import type { PositionAmounts } from './positionValue.js';

/** Value x·P + y of amounts (token0 and token1 in the same units as `price`, token1 per token0). */
export function amountsValue(amounts: PositionAmounts, price: number): number {
  return amounts.amount0 * price + amounts.amount1;
}

/**
 * Fractional gain (> 0) or loss (< 0) of `current` against holding `hold`, both valued at
 * `price`. Returns 0 when the held amounts are worth nothing (no baseline to compare with).
 */
export function lossVersusHold(current: PositionAmounts, hold: PositionAmounts, price: number): number {
  requireNonNegative('current.amount0', current.amount0);
  requireNonNegative('current.amount1', current.amount1);
  requireNonNegative('hold.amount0', hold.amount0);
  requireNonNegative('hold.amount1', hold.amount1);
  requirePositive('price', price);
  const held = amountsValue(hold, price);
  if (!(held > 0)) return 0;
  return amountsValue(current, price) / held - 1;
}
