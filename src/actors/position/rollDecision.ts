/**
 * Whether a PositionActor rolls its range now, and to where: the rebalance policy of src/math
 * (triggers: price proximity / out of range, low APY, low capital efficiency; urgency; a roll only
 * when the expected gain beats gas + swap cost) and the optimal range policy (width from
 * volatility over the horizon and the risk level, aligned to tickSpacing). This module only
 * prices the inputs those policies need; the rules live in src/math.
 */
import { capitalEfficiency } from '../../math/capitalEfficiency.js';
import { tickToPrice } from '../../math/priceTick.js';
import { optimalRange, type RangeReasoning, type RiskLevel } from '../../math/rangePolicy.js';
import { decideRebalance, type RebalanceDecision } from '../../math/rebalancePolicy.js';

export interface RangeSettings {
  /** Annualized volatility of ln(price) the width is sized for. */
  annualVolatility: number;
  /** Rebalance horizon, seconds. */
  horizonSeconds: number;
  riskLevel: RiskLevel;
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
  /** Fee APY a position earns while in range (fraction). */
  feeApy: number;
  valueUsd: number;
  rollGasUnits: number;
  gasPriceWei: bigint;
  nativePriceUsd: number;
  /** Pool fee fraction (0.003): charged on the half of the value swapped to re-balance tokens. */
  poolFee: number;
  /** Required margin of gain over cost, USD. */
  minNetGainUsd: number;
}

export interface RollDecision {
  roll: boolean;
  urgency: RebalanceDecision['urgency'];
  triggers: string[];
  newRange: { tickLower: number; tickUpper: number } | null;
  expectedGainUsd: number;
  gasCostUsd: number;
  swapCostUsd: number;
  reasons: string[];
  rangeReasoning: Pick<RangeReasoning, 'widthTicks' | 'sigmaHorizon' | 'probabilityInRangeAtHorizon'> | null;
}

/** The new range the optimal range policy recommends at `tick`. */
export function recommendRange(tick: number, tickSpacing: number, range: RangeSettings): { tickLower: number; tickUpper: number; reasoning: RangeReasoning } {
  return optimalRange({ currentTick: tick, tickSpacing, annualVolatility: range.annualVolatility, horizonSeconds: range.horizonSeconds, riskLevel: range.riskLevel });
}

/** Decides whether to roll (see the module comment). */
export function decideRoll(i: RollDecisionInput): RollDecision {
  const inRange = i.tick >= i.tickLower && i.tick < i.tickUpper;
  const ce = capitalEfficiency({ priceLower: tickToPrice(i.tickLower), priceUpper: tickToPrice(i.tickUpper), price: tickToPrice(i.tick) }).capitalEfficiency;
  const width = i.tickUpper - i.tickLower;
  const nearBound = inRange && Math.min(i.tick - i.tickLower, i.tickUpper - i.tick) <= width * i.rebalanceThreshold;
  // Forward APY of keeping the range: none out of range; near a bound it is out of range about
  // half of the coming horizon (a driftless walk started at the bound).
  const currentApy = !inRange ? 0 : nearBound ? i.feeApy / 2 : i.feeApy;
  const gasCostUsd = (Number(i.gasPriceWei) * i.rollGasUnits * i.nativePriceUsd) / 1e18;
  const swapCostUsd = i.valueUsd * 0.5 * i.poolFee;
  const d = decideRebalance({
    currentTick: i.tick, tickLower: i.tickLower, tickUpper: i.tickUpper, proximityThreshold: i.rebalanceThreshold, currentApy,
    apyThreshold: i.apyThreshold, capitalEfficiency: ce, minCapitalEfficiency: i.minCapitalEfficiency, positionValueUsd: i.valueUsd,
    expectedApyAfter: i.feeApy, horizonSeconds: i.range.horizonSeconds, gasCostUsd, swapCostUsd, minNetGainUsd: i.minNetGainUsd,
  });
  const triggers = Object.entries(d.triggers).filter(([, v]) => v).map(([k]) => k);
  let newRange: RollDecision['newRange'] = null;
  let rangeReasoning: RollDecision['rangeReasoning'] = null;
  if (d.shouldRebalance) {
    const r = recommendRange(i.tick, i.tickSpacing, i.range);
    newRange = { tickLower: r.tickLower, tickUpper: r.tickUpper };
    rangeReasoning = { widthTicks: r.reasoning.widthTicks, sigmaHorizon: r.reasoning.sigmaHorizon, probabilityInRangeAtHorizon: r.reasoning.probabilityInRangeAtHorizon };
  }
  const same = newRange !== null && newRange.tickLower === i.tickLower && newRange.tickUpper === i.tickUpper;
  return {
    roll: d.shouldRebalance && !same, urgency: d.urgency, triggers, newRange, expectedGainUsd: d.expectedGainUsd,
    gasCostUsd, swapCostUsd, reasons: same ? [...d.reasons, 'recommended range equals the current one'] : d.reasons, rangeReasoning,
  };
}
