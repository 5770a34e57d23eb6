/**
 * Optimal range policy: where to place a new position's [tickLower, tickUpper].
 *
 *   sigma_h     = sigma_annual * sqrt(horizonSeconds / YEAR)          (volatility over the horizon)
 *   halfWidth   = sigmaMultiple (default 2) * riskMultiplier * sigma_h  (in ln price)
 *                 riskMultiplier: conservative 1.5, moderate 1.0, aggressive 0.7
 *   widthTicks  = 2 * halfWidth / ln(1.0001)
 *   lowerOffset = widthTicks * (0.5 + asymmetry),  upperOffset = widthTicks - lowerOffset
 *                 (asymmetry in [-0.5, 0.5]; > 0 puts more of the range below the price)
 *   shift       = hotspotShift (default 0.3) * (hotspotCentre - rangeCentre)
 *                 hotspotCentre = weighted mean tick of the fee hotspots; the shift is clamped
 *                 so the range still contains the current tick
 *   tickLower   = floor((currentTick - lowerOffset + shift) / spacing) * spacing
 *   tickUpper   = ceil ((currentTick + upperOffset + shift) / spacing) * spacing
 *
 * then widened by one spacing if needed so tickLower <= currentTick < tickUpper (the position is
 * active), and clamped to the pool's usable ticks. Every number behind the choice is returned.
 */
import { AnalyticsInputError, requireFinite, requireInRange, requireInteger, requireNonNegative, requirePositive } from './analyticsInput.js';
import { normalCdf } from './distributions.js';
import { SECONDS_PER_YEAR } from './feeApy.js';
import { LOG_TICK_BASE, tickDistanceToPriceRatio, usableTickBounds } from './priceTick.js';

/** The spec's risk tolerance levels. */
export type RiskLevel = 'conservative' | 'moderate' | 'aggressive';

/** Width multipliers per risk level (spec: conservative 1.5, moderate 1.0, aggressive 0.7). */
export const RISK_MULTIPLIERS: Readonly<Record<RiskLevel, number>> = {
  conservative: 1.5,
  moderate: 1.0,
  aggressive: 0.7,
};

/** A tick where trading (fee) activity concentrates, with an optional weight (default 1). */
export interface FeeHotspot {
  tick: number;
  weight?: number;
}

/** Inputs of the optimal range policy. */
export interface OptimalRangeInput {
  /** The pool's current tick (must lie within the usable ticks). */
  currentTick: number;
  /** The pool's tickSpacing (1..32767). */
  tickSpacing: number;
  /** Annualized volatility of ln(price), >= 0 (e.g. volatilityStats().annualizedVolatility). */
  annualVolatility: number;
  /** Rebalance horizon in seconds, > 0. */
  horizonSeconds: number;
  riskLevel: RiskLevel;
  /** Half-width in sigmas before the risk multiplier; default 2 (±2σ). */
  sigmaMultiple?: number;
  /** In [-0.5, 0.5]; share of the width moved below the price; default 0. */
  asymmetry?: number;
  /** Fee hotspots to lean toward; default none. */
  feeHotspots?: readonly FeeHotspot[];
  /** Fraction of the distance to the hotspot centre to shift by, in [0, 1]; default 0.3. */
  hotspotShift?: number;
}

/** The numbers behind a range choice. */
export interface RangeReasoning {
  riskMultiplier: number;
  sigmaHorizon: number;
  halfWidthLog: number;
  widthTicks: number;
  lowerOffsetTicks: number;
  upperOffsetTicks: number;
  /** null without hotspots. */
  hotspotCentre: number | null;
  /** Shift applied (after clamping), ticks. */
  hotspotShiftTicks: number;
  hotspotShiftClamped: boolean;
  /** True when the aligned range had to be cut at the usable tick bounds. */
  clampedToUsableTicks: boolean;
  /** priceLower / price = 1.0001^(tickLower - currentTick), and the same for the upper bound. */
  lowerPriceRatio: number;
  upperPriceRatio: number;
  /**
   * Probability that the price ends the horizon inside the range, for a driftless log-normal
   * price with volatility sigma_h (1 when sigma_h = 0). Not the probability of never leaving.
   */
  probabilityInRangeAtHorizon: number;
}

/** A recommended range and its reasoning. */
export interface RangeRecommendation {
  tickLower: number;
  tickUpper: number;
  reasoning: RangeReasoning;
}

/** Computes the optimal range (see the module comment for the exact steps). */
export function optimalRange(input: OptimalRangeInput): RangeRecommendation {
  const cur = requireInteger('currentTick', input.currentTick);
  const spacing = input.tickSpacing;
  const { minUsableTick, maxUsableTick } = usableTickBounds(spacing);
  if (cur < minUsableTick || cur >= maxUsableTick) {
    throw new AnalyticsInputError('OUT_OF_RANGE', 'currentTick', cur,
      `no aligned range can contain it (usable ticks [${minUsableTick}, ${maxUsableTick}])`);
  }
  const sigma = requireNonNegative('annualVolatility', input.annualVolatility);
  const horizon = requirePositive('horizonSeconds', input.horizonSeconds);
  const riskMultiplier = RISK_MULTIPLIERS[input.riskLevel];
  if (riskMultiplier === undefined) {
    throw new AnalyticsInputError('OUT_OF_RANGE', 'riskLevel', input.riskLevel, 'must be conservative, moderate or aggressive');
  }
  const sigmaMultiple = requireNonNegative('sigmaMultiple', input.sigmaMultiple ?? 2);
  const asymmetry = requireInRange('asymmetry', input.asymmetry ?? 0, -0.5, 0.5);
  const hotspotShift = requireInRange('hotspotShift', input.hotspotShift ?? 0.3, 0, 1);

  const sigmaHorizon = sigma * Math.sqrt(horizon / SECONDS_PER_YEAR);
  const halfWidthLog = sigmaMultiple * riskMultiplier * sigmaHorizon;
  const widthTicks = (2 * halfWidthLog) / LOG_TICK_BASE;
  if (!Number.isFinite(widthTicks)) {
    throw new AnalyticsInputError('OUT_OF_RANGE', 'annualVolatility', sigma, 'gives an infinite range width');
  }
  const lowerOffsetTicks = widthTicks * (0.5 + asymmetry);
  const upperOffsetTicks = widthTicks - lowerOffsetTicks;

  let hotspotCentre: number | null = null;
  let shift = 0;
  let hotspotShiftClamped = false;
  const hotspots = input.feeHotspots ?? [];
  if (hotspots.length > 0) {
    let sumW = 0;
    let sumWT = 0;
    hotspots.forEach((h, i) => {
      const w = requireNonNegative(`feeHotspots[${i}].weight`, h.weight ?? 1);
      sumW += w;
      sumWT += w * requireFinite(`feeHotspots[${i}].tick`, h.tick);
    });
    if (sumW > 0) {
      hotspotCentre = sumWT / sumW;
      const rangeCentre = cur + (upperOffsetTicks - lowerOffsetTicks) / 2;
      const rawShift = hotspotShift * (hotspotCentre - rangeCentre);
      shift = Math.min(Math.max(rawShift, -upperOffsetTicks), lowerOffsetTicks);
      hotspotShiftClamped = shift !== rawShift;
    }
  }

  let tickLower = Math.floor((cur - lowerOffsetTicks + shift) / spacing) * spacing;
  let tickUpper = Math.ceil((cur + upperOffsetTicks + shift) / spacing) * spacing;
  const curFloor = Math.floor(cur / spacing) * spacing;
  if (tickLower > cur) tickLower = curFloor;
  if (tickUpper <= cur) tickUpper = curFloor + spacing;
  let clampedToUsableTicks = false;
  if (tickLower < minUsableTick) {
    tickLower = minUsableTick;
    clampedToUsableTicks = true;
  }
  if (tickUpper > maxUsableTick) {
    tickUpper = maxUsableTick;
    clampedToUsableTicks = true;
  }
  tickLower += 0; // normalize -0
  tickUpper += 0;

  const zLower = ((tickLower - cur) * LOG_TICK_BASE) / sigmaHorizon;
  const zUpper = ((tickUpper - cur) * LOG_TICK_BASE) / sigmaHorizon;
  // z may be ±Infinity for a vanishing sigma_h (Φ(±∞) = 1, 0)
  const phi = (z: number): number => (z === Infinity ? 1 : z === -Infinity ? 0 : normalCdf(z));
  const probabilityInRangeAtHorizon = sigmaHorizon > 0 ? phi(zUpper) - phi(zLower) : 1;

  return {
    tickLower,
    tickUpper,
    reasoning: {
      riskMultiplier,
      sigmaHorizon,
      halfWidthLog,
      widthTicks,
      lowerOffsetTicks,
      upperOffsetTicks,
      hotspotCentre,
      hotspotShiftTicks: shift,
      hotspotShiftClamped,
      clampedToUsableTicks,
      lowerPriceRatio: tickDistanceToPriceRatio(tickLower - cur),
      upperPriceRatio: tickDistanceToPriceRatio(tickUpper - cur),
      probabilityInRangeAtHorizon,
    },
  };
}
