/**
 * Whether a PositionActor rolls its range now, and to where: the rebalance policy of src/math
 * (triggers: price proximity / out of range, low APY, low capital efficiency; urgency; a roll only
 * when the expected gain beats gas + swap cost) and the optimal range policy (width from
 * volatility over the horizon and the risk level, aligned to tickSpacing, with the asymmetry and
 * the 30% fee-hotspot shift the pool's liquidity asks for). This module only prices the inputs
 * those policies need from what was measured (market/); the rules live in src/math.
 *
 * The APY of the low-APY trigger and both APYs of a roll's expected gain come from one model
 * (market/rangeYield.ts): measured from the pool's fee growth when known, else configured. The
 * capital-efficiency trigger uses the measured efficiency (time in range · share of value
 * earning) when known, else the range's shape (src/math/capitalEfficiency.ts).
 */
import { capitalEfficiency } from '../../math/capitalEfficiency.js';
import { liquidityProfile, type LiquidityProfile } from '../../math/liquidityProfile.js';
import { sqrtPriceX96ToPrice, tickToPrice } from '../../math/priceTick.js';
import { optimalRange, type RangeReasoning, type RiskLevel } from '../../math/rangePolicy.js';
import { decideRebalance, type RebalanceDecision } from '../../math/rebalancePolicy.js';
import type { PoolLiquidity } from '../ports.js';
import { rangeApy, rangeConfidence } from './market/rangeYield.js';
import type { VolatilityData } from './market/volatilityEstimator.js';

/** The spec's shift toward the fee hotspots' centre: 30% of the distance. */
export const HOTSPOT_SHIFT = 0.3;

export interface RangeSettings {
  /** Annualized volatility of ln(price) the width is sized for (the measured σ once there is one). */
  annualVolatility: number;
  /** Rebalance horizon, seconds. */
  horizonSeconds: number;
  riskLevel: RiskLevel;
}

/** What was measured about the pool, for a range choice (every field optional: absent = not measured). */
export interface RangeMarket {
  /** Raw token1 a unit of in-range liquidity earns a year (poolFeeTracker.ts). */
  feeIncomePerLiquidityPerYear?: number | null;
  /** The pool's initialized ticks around the price. */
  liquidity?: PoolLiquidity | null;
  /** Where `range.annualVolatility` came from. */
  volatility?: Pick<VolatilityData, 'source' | 'annualized' | 'confidenceInterval' | 'samples'> | null;
  /** Measured capital efficiency of the current range (positionFeeYield.ts). */
  capitalEfficiency?: number | null;
}

/** The spec's RangeRecommendation: a range, its expected APY, a confidence and the reasoning. */
export interface RangeRecommendation {
  tickLower: number;
  tickUpper: number;
  expectedAPY: number;
  confidence: number;
  reasoning: string[];
  details: RangeReasoning & { asymmetry: number; gaps: LiquidityProfile['gaps']; apySource: 'measured' | 'configured'; inRangeFraction: number | null };
}

export interface RollDecisionInput {
  tick: number;
  tickLower: number;
  tickUpper: number;
  tickSpacing: number;
  range: RangeSettings;
  /** Fraction of the range width (spec priceProximity 0.05). */
  rebalanceThreshold: number;
  /** Spec apyThreshold (0.10). */
  apyThreshold: number;
  /** Spec capital efficiency floor (0.70). */
  minCapitalEfficiency: number;
  /** Fee APY assumed while in range when none is measured (fraction). */
  feeApy: number;
  valueUsd: number;
  rollGasUnits: number;
  gasPriceWei: bigint;
  nativePriceUsd: number;
  /** Pool fee fraction (0.003): charged on the half of the value swapped to re-balance tokens. */
  poolFee: number;
  /** Required margin of gain over cost, USD. */
  minNetGainUsd: number;
  market?: RangeMarket;
}

export interface RollDecision {
  roll: boolean;
  urgency: RebalanceDecision['urgency'];
  triggers: string[];
  newRange: { tickLower: number; tickUpper: number } | null;
  /** The range the policy recommends now, whether or not it rolls there (expectedAPY is its APY). */
  recommended: { tickLower: number; tickUpper: number; widthTicks: number };
  /** Expected fee APY of keeping the current range (what the low-APY trigger compares). */
  currentAPY: number;
  /** Expected fee APY of the recommended range. */
  expectedAPY: number;
  apySource: 'measured' | 'configured';
  /** Where expectedAPY came from (absent in checkpoints from before it existed). */
  recommendedApySource?: 'measured' | 'configured';
  capitalEfficiency: number;
  capitalEfficiencySource: 'measured' | 'range shape';
  confidence: number;
  /** Why: the range recommendation's reasoning, then the triggers and the cost gate. */
  reasoning: string[];
  expectedGainUsd: number;
  gasCostUsd: number;
  swapCostUsd: number;
  reasons: string[];
  rangeReasoning: Pick<RangeReasoning, 'widthTicks' | 'sigmaHorizon' | 'probabilityInRangeAtHorizon'> | null;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
/** A horizon as a person reads it: seconds under 2 minutes, minutes under 2 hours, else hours. */
const duration = (s: number): string => (s < 120 ? `${s.toFixed(0)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`);

/** The range the optimal range policy recommends at `tick`, with what was measured about the pool (see the module comment). */
export function recommendRange(tick: number, tickSpacing: number, range: RangeSettings, market: RangeMarket & { feeApy?: number } = {}): RangeRecommendation {
  const policy = { currentTick: tick, tickSpacing, annualVolatility: range.annualVolatility, horizonSeconds: range.horizonSeconds, riskLevel: range.riskLevel };
  const reasoning: string[] = [];
  const v = market.volatility ?? null;
  reasoning.push(v === null || v.source === 'prior'
    ? `σ ${range.annualVolatility.toFixed(3)} configured (prior${v === null ? '' : `: ${v.samples} returns measured so far`})`
    : `σ ${v.annualized.toFixed(3)} measured from ${v.samples} returns (95% CI ${v.confidenceInterval.lower.toFixed(3)}–${v.confidenceInterval.upper.toFixed(3)})`);
  let profile: LiquidityProfile | null = null;
  const liq = market.liquidity ?? null;
  if (liq !== null) {
    const base = optimalRange(policy);
    const half = Math.max(base.reasoning.widthTicks / 2, tickSpacing);
    profile = liquidityProfile({
      tick: liq.tick, liquidity: liq.liquidity, feeGrowthGlobal0X128: liq.feeGrowthGlobal0X128, feeGrowthGlobal1X128: liq.feeGrowthGlobal1X128,
      price: sqrtPriceX96ToPrice(liq.sqrtPriceX96), ticks: liq.ticks, knownLower: liq.knownLower, knownUpper: liq.knownUpper,
      windowLower: Math.floor(tick - half), windowUpper: Math.ceil(tick + half),
    });
  }
  const r = optimalRange({ ...policy, asymmetry: profile?.asymmetry ?? 0, feeHotspots: profile?.hotspots ?? [], hotspotShift: HOTSPOT_SHIFT });
  reasoning.push(`width ${Math.round(r.reasoning.widthTicks)} ticks: ±2σ over ${duration(range.horizonSeconds)} (σ_h ${pct(r.reasoning.sigmaHorizon)}) × ${r.reasoning.riskMultiplier} (${range.riskLevel})`);
  if (profile !== null) {
    reasoning.push(`liquidity depth below ${profile.depthBelow.toExponential(3)}, above ${profile.depthAbove.toExponential(3)}: asymmetry ${profile.asymmetry.toFixed(3)} (${profile.asymmetry > 0 ? 'more range below' : profile.asymmetry < 0 ? 'more range above' : 'even'})`);
    if (profile.gaps.length > 0) reasoning.push(`liquidity gaps: ${profile.gaps.map((g) => `[${g.tickLower}, ${g.tickUpper})`).join(', ')}`);
    if (r.reasoning.hotspotCentre !== null) reasoning.push(`fee hotspot centre tick ${r.reasoning.hotspotCentre.toFixed(0)}: shifted ${r.reasoning.hotspotShiftTicks.toFixed(1)} ticks (${HOTSPOT_SHIFT * 100}% of the way${r.reasoning.hotspotShiftClamped ? ', clamped' : ''})`);
  } else {
    reasoning.push('pool liquidity not read: symmetric, no hotspot shift');
  }
  const income = market.feeIncomePerLiquidityPerYear ?? null;
  // configured: a fresh range earns the configured APY (it is centred on the price, not near a bound)
  const apy = income === null
    ? { apy: market.feeApy ?? 0, inRangeFraction: null, source: 'configured' as const }
    : rangeApy({ feeIncomePerLiquidityPerYear: income, configuredFeeApy: 0, annualVolatility: range.annualVolatility, horizonSeconds: range.horizonSeconds, rebalanceThreshold: 0 }, tick, r.tickLower, r.tickUpper);
  reasoning.push(apy.source === 'measured'
    ? `expected fee APY ${pct(apy.apy)} from the pool's measured fee growth, in range ${pct(apy.inRangeFraction ?? 0)} of the horizon`
    : `expected fee APY ${pct(apy.apy)} configured (fee growth not measured yet)`);
  const confidence = rangeConfidence({ probabilityInRangeAtHorizon: r.reasoning.probabilityInRangeAtHorizon, volatility: v, feeMeasured: income !== null, liquidityRead: profile !== null });
  return {
    tickLower: r.tickLower, tickUpper: r.tickUpper, expectedAPY: apy.apy, confidence, reasoning,
    details: { ...r.reasoning, asymmetry: profile?.asymmetry ?? 0, gaps: profile?.gaps ?? [], apySource: apy.source, inRangeFraction: apy.inRangeFraction },
  };
}

/** The pure functions a decision is made of: recommendRange and rangeApy, or ones that remember their answers (rememberedDecision.ts). */
export interface RollPolicyParts {
  recommend: typeof recommendRange;
  rangeApy: typeof rangeApy;
}

/** Decides whether to roll (see the module comment). */
export function decideRoll(i: RollDecisionInput, parts: RollPolicyParts = { recommend: recommendRange, rangeApy }): RollDecision {
  const market = i.market ?? {};
  const yieldInputs = {
    feeIncomePerLiquidityPerYear: market.feeIncomePerLiquidityPerYear ?? null, configuredFeeApy: i.feeApy, annualVolatility: i.range.annualVolatility,
    horizonSeconds: i.range.horizonSeconds, rebalanceThreshold: i.rebalanceThreshold,
  };
  const current = parts.rangeApy(yieldInputs, i.tick, i.tickLower, i.tickUpper);
  const rec = parts.recommend(i.tick, i.tickSpacing, i.range, { ...market, feeApy: i.feeApy });
  const measuredCe = market.capitalEfficiency ?? null;
  const ce = measuredCe ?? capitalEfficiency({ priceLower: tickToPrice(i.tickLower), priceUpper: tickToPrice(i.tickUpper), price: tickToPrice(i.tick) }).capitalEfficiency;
  const gasCostUsd = (Number(i.gasPriceWei) * i.rollGasUnits * i.nativePriceUsd) / 1e18;
  const swapCostUsd = i.valueUsd * 0.5 * i.poolFee;
  const d = decideRebalance({
    currentTick: i.tick, tickLower: i.tickLower, tickUpper: i.tickUpper, proximityThreshold: i.rebalanceThreshold, currentApy: current.apy,
    apyThreshold: i.apyThreshold, capitalEfficiency: Math.min(1, Math.max(0, ce)), minCapitalEfficiency: i.minCapitalEfficiency, positionValueUsd: i.valueUsd,
    expectedApyAfter: rec.expectedAPY, horizonSeconds: i.range.horizonSeconds, gasCostUsd, swapCostUsd, minNetGainUsd: i.minNetGainUsd,
  });
  const triggers = Object.entries(d.triggers).filter(([, v]) => v).map(([k]) => k);
  const newRange = d.shouldRebalance ? { tickLower: rec.tickLower, tickUpper: rec.tickUpper } : null;
  const rangeReasoning = d.shouldRebalance ? { widthTicks: rec.details.widthTicks, sigmaHorizon: rec.details.sigmaHorizon, probabilityInRangeAtHorizon: rec.details.probabilityInRangeAtHorizon } : null;
  const same = newRange !== null && newRange.tickLower === i.tickLower && newRange.tickUpper === i.tickUpper;
  const reasons = same ? [...d.reasons, 'recommended range equals the current one'] : d.reasons;
  return {
    roll: d.shouldRebalance && !same, urgency: d.urgency, triggers, newRange,
    recommended: { tickLower: rec.tickLower, tickUpper: rec.tickUpper, widthTicks: rec.tickUpper - rec.tickLower }, currentAPY: current.apy, expectedAPY: rec.expectedAPY, apySource: current.source, recommendedApySource: rec.details.apySource,
    capitalEfficiency: ce, capitalEfficiencySource: measuredCe !== null ? 'measured' : 'range shape', confidence: rec.confidence,
    reasoning: [...rec.reasoning, `current range [${i.tickLower}, ${i.tickUpper}): expected fee APY ${pct(current.apy)} (${current.source}), capital efficiency ${pct(ce)}`, ...reasons],
    expectedGainUsd: d.expectedGainUsd, gasCostUsd, swapCostUsd, reasons, rangeReasoning,
  };
}
