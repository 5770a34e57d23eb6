/**
 * Hedge sizing: from a net LP delta to a perp target, and whether the current hedge must trade.
 *
 *   target (base units, signed) = -delta * hedgeRatio           (long delta -> short perp)
 *   cap: |target| * markPrice <= maxHedgeRatio * positionValueUsd (target shrunk to the cap)
 *   difference = target - currentHedgeSize                       (what an order must add)
 *   band       = toleranceBand (default 0.05) * |target|
 *   action     = none when |difference| <= band or |difference| < minOrderSize,
 *                else buy (difference > 0) or sell (difference < 0) |difference| base units
 *
 * Sizes are in whole units of the base asset (token0 for an LP position, e.g. ETH), signed:
 * negative is short. The band follows the spec's CEX Manager (5% of the required hedge).
 */
import { requireFinite, requireInRange, requireNonNegative, requirePositive } from './analyticsInput.js';

/** Inputs of hedge sizing. */
export interface HedgeSizingInput {
  /** Net delta to hedge, whole base units (an LP's delta is x >= 0; netted across pools it may be any sign). */
  delta: number;
  /** Perp mark price, quote (USD) per base unit, > 0. */
  markPrice: number;
  /** Value of the hedged position(s), USD, >= 0: the base of the maxHedgeRatio cap. */
  positionValueUsd: number;
  /** Current perp position, signed base units (negative = short). */
  currentHedgeSize: number;
  /** Max hedge notional as a fraction of positionValueUsd (spec maxHedgeRatio), in [0, 10]. */
  maxHedgeRatio: number;
  /** Fraction of delta to hedge (spec hedgeRatio), in [0, 1]; default 1. */
  hedgeRatio?: number;
  /** Relative tolerance band, in [0, 1]; default 0.05. */
  toleranceBand?: number;
  /** Smallest order the venue accepts, base units; default 0. */
  minOrderSize?: number;
}

/** The order needed to bring the hedge to target. */
export interface HedgeAction {
  /** increase |hedge| on the same side, decrease it, or flip its side. */
  kind: 'increase' | 'decrease' | 'flip';
  orderSide: 'buy' | 'sell';
  /** Base units, > 0. */
  amount: number;
}

/** Target hedge, the numbers behind it, and the action (null = within band, do nothing). */
export interface HedgeSizing {
  /** Signed base units; negative = short. */
  targetSize: number;
  side: 'short' | 'long' | 'flat';
  targetNotionalUsd: number;
  uncappedNotionalUsd: number;
  capNotionalUsd: number;
  capped: boolean;
  currentSize: number;
  /** targetSize - currentSize. */
  difference: number;
  /** Tolerance in base units. */
  bandSize: number;
  withinBand: boolean;
  action: HedgeAction | null;
  reason: string;
}

/** Sizes the hedge for a delta and decides the order, if any (see the module comment). */
export function sizeHedge(input: HedgeSizingInput): HedgeSizing {
  const delta = requireFinite('delta', input.delta);
  const mark = requirePositive('markPrice', input.markPrice);
  const value = requireNonNegative('positionValueUsd', input.positionValueUsd);
  const current = requireFinite('currentHedgeSize', input.currentHedgeSize);
  const maxHedgeRatio = requireInRange('maxHedgeRatio', input.maxHedgeRatio, 0, 10);
  const hedgeRatio = requireInRange('hedgeRatio', input.hedgeRatio ?? 1, 0, 1);
  const tolerance = requireInRange('toleranceBand', input.toleranceBand ?? 0.05, 0, 1);
  const minOrder = requireNonNegative('minOrderSize', input.minOrderSize ?? 0);

  const uncappedSize = -delta * hedgeRatio;
  const uncappedNotionalUsd = Math.abs(uncappedSize) * mark;
  const capNotionalUsd = maxHedgeRatio * value;
  const capped = uncappedNotionalUsd > capNotionalUsd;
  const targetSize = (capped ? Math.sign(uncappedSize) * (capNotionalUsd / mark) : uncappedSize) + 0;
  const side = targetSize < 0 ? 'short' : targetSize > 0 ? 'long' : 'flat';
  const difference = targetSize - current;
  const bandSize = tolerance * Math.abs(targetSize);
  const withinBand = Math.abs(difference) <= bandSize;

  let action: HedgeAction | null = null;
  let reason: string;
  if (withinBand) {
    reason = `hedge ${current} within ${bandSize} of target ${targetSize}`;
  } else if (Math.abs(difference) < minOrder) {
    reason = `difference ${difference} below the minimum order ${minOrder}`;
  } else {
    const flips = current !== 0 && targetSize !== 0 && Math.sign(current) !== Math.sign(targetSize);
    action = {
      kind: flips ? 'flip' : Math.abs(targetSize) > Math.abs(current) ? 'increase' : 'decrease',
      orderSide: difference > 0 ? 'buy' : 'sell',
      amount: Math.abs(difference),
    };
    reason = `hedge ${current} off target ${targetSize} by ${difference} (band ${bandSize})`;
  }
  return {
    targetSize,
    side,
    targetNotionalUsd: Math.abs(targetSize) * mark,
    uncappedNotionalUsd,
    capNotionalUsd,
    capped,
    currentSize: current,
    difference,
    bandSize,
    withinBand,
    action,
    reason,
  };
}
