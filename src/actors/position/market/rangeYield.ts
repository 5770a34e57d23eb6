/**
 * The fee yield a range is expected to earn over the rebalance horizon, and how much the numbers
 * behind a range choice can be trusted.
 *
 * Measured (the pool's fee income per unit of in-range liquidity is known, see poolFeeTracker.ts):
 * expectedFeeApr of src/math/feeForecast.ts, i.e. the in-range APR of the range at the current
 * price times the expected share of the horizon the price spends in it for the σ in use. The same
 * model prices the current range and the proposed one, so their difference is the gain of a roll.
 *
 * Configured (no measurement yet): the configured fee APY while in range, half of it within the
 * rebalance threshold of a bound (a driftless walk started at a bound is out of range about half
 * of the time), 0 out of range.
 *
 *   confidence = probabilityInRangeAtHorizon · (0.25 + 0.75 · dataQuality)
 *   dataQuality = mean of: σ measured ? max(0, 1 − (ciUpper − ciLower) / (2σ)) : 0,
 *                          fee income measured ? 1 : 0, liquidity read ? 1 : 0
 */
import { expectedFeeApr } from '../../../math/feeForecast.js';
import { tickToPrice } from '../../../math/priceTick.js';

export interface YieldInputs {
  /** Raw token1 a unit of in-range liquidity earns a year (null: not measured). */
  feeIncomePerLiquidityPerYear: number | null;
  /** Fee APY assumed while in range when nothing is measured. */
  configuredFeeApy: number;
  annualVolatility: number;
  horizonSeconds: number;
  /** Fraction of the width counted as "near a bound" (configured model only). */
  rebalanceThreshold: number;
}

export interface RangeApy {
  apy: number;
  /** Expected share of the horizon in range (measured model only). */
  inRangeFraction: number | null;
  source: 'measured' | 'configured';
}

/** Expected fee APY (simple annual rate) of holding [tickLower, tickUpper) from `tick` (see the module comment). */
export function rangeApy(i: YieldInputs, tick: number, tickLower: number, tickUpper: number): RangeApy {
  if (i.feeIncomePerLiquidityPerYear !== null) {
    const f = expectedFeeApr({
      priceLower: tickToPrice(tickLower), priceUpper: tickToPrice(tickUpper), price: tickToPrice(tick),
      annualVolatility: i.annualVolatility, horizonSeconds: i.horizonSeconds, feeIncomePerLiquidityPerYear: i.feeIncomePerLiquidityPerYear,
    });
    return { apy: f.expectedFeeApr, inRangeFraction: f.inRangeFraction, source: 'measured' };
  }
  const inRange = tick >= tickLower && tick < tickUpper;
  const nearBound = inRange && Math.min(tick - tickLower, tickUpper - tick) <= (tickUpper - tickLower) * i.rebalanceThreshold;
  return { apy: !inRange ? 0 : nearBound ? i.configuredFeeApy / 2 : i.configuredFeeApy, inRangeFraction: null, source: 'configured' };
}

export interface ConfidenceInputs {
  probabilityInRangeAtHorizon: number;
  volatility: { source: 'measured' | 'prior'; annualized: number; confidenceInterval: { lower: number; upper: number } } | null;
  feeMeasured: boolean;
  liquidityRead: boolean;
}

/** Confidence of a range recommendation, in [0, 1] (see the module comment). */
export function rangeConfidence(c: ConfidenceInputs): number {
  const v = c.volatility;
  const qSigma = v !== null && v.source === 'measured' && v.annualized > 0
    ? Math.max(0, 1 - (v.confidenceInterval.upper - v.confidenceInterval.lower) / (2 * v.annualized))
    : 0;
  const quality = (qSigma + (c.feeMeasured ? 1 : 0) + (c.liquidityRead ? 1 : 0)) / 3;
  return Math.min(1, Math.max(0, c.probabilityInRangeAtHorizon * (0.25 + 0.75 * quality)));
}
