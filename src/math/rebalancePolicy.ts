/**
 * Rebalance (range roll) decision, from the spec's Strategy Core triggers plus a cost gate.
 *
 * Triggers (any one makes a roll a candidate):
 *   priceProximity: distanceToLower <= T or distanceToUpper <= T, where
 *                   distanceToLower = currentTick - tickLower, distanceToUpper = tickUpper - currentTick
 *                   (ticks; negative when out of range) and T = proximityThreshold * (tickUpper - tickLower)
 *   lowAPY:         currentApy < apyThreshold
 *   lowEfficiency:  capitalEfficiency < minCapitalEfficiency (default 0.70)
 *
 * Cost gate (a roll happens only when its expected gain beats its cost):
 *   expectedGain = positionValue * (expectedApyAfter - currentApy) * horizonSeconds / YEAR
 *   (the two yields are used as simple annual rates, i.e. APRs: expectedFeeApr() of
 *   feeForecast.ts gives both, for the current range and the proposed one, on the same model)
 *   cost         = gasCost + swapCost
 *   shouldRebalance = anyTrigger && expectedGain - cost > minNetGain (default 0)
 *
 * Urgency: critical when out of range (tick < tickLower or tick >= tickUpper); high when within
 * half the proximity threshold of a bound; medium for the proximity or low-APY trigger; low when
 * only capital efficiency triggers; none otherwise. Urgency informs scheduling; it never
 * overrides the cost gate.
 */
import { AnalyticsInputError, requireFinite, requireInRange, requireInteger, requireNonNegative, requirePositive } from './analyticsInput.js';
import { SECONDS_PER_YEAR } from './feeApy.js';

/** Inputs of the rebalance decision; APYs and thresholds are fractions (0.10 = 10%), money in USD. */
export interface RebalanceInput {
  currentTick: number;
  tickLower: number;
  tickUpper: number;
  /** Fraction of the range width (spec rebalanceThreshold / priceProximity, e.g. 0.05), in [0, 0.5]. */
  proximityThreshold: number;
  /** Forward fee APY of keeping the current range (0 when out of range). */
  currentApy: number;
  /** Minimum acceptable APY (spec apyThreshold, e.g. 0.10). */
  apyThreshold: number;
  /** Capital efficiency of the current range, see capitalEfficiency(). */
  capitalEfficiency: number;
  /** Trigger level; default 0.70. */
  minCapitalEfficiency?: number;
  /** Value of the position, USD, >= 0. */
  positionValueUsd: number;
  /** Expected fee APY of the proposed new range. */
  expectedApyAfter: number;
  /** How long the new range is expected to be held, seconds (> 0). */
  horizonSeconds: number;
  /** Gas to withdraw, swap and mint, USD, >= 0. */
  gasCostUsd: number;
  /** Swap fee plus price impact of re-balancing the token ratio, USD, >= 0. */
  swapCostUsd: number;
  /** Required margin of gain over cost, USD; default 0. */
  minNetGainUsd?: number;
}

/** How soon a roll is wanted. */
export type RebalanceUrgency = 'none' | 'low' | 'medium' | 'high' | 'critical';

/** Which triggers fired. */
export interface RebalanceTriggers {
  priceProximity: boolean;
  nearLowerBound: boolean;
  nearUpperBound: boolean;
  outOfRange: boolean;
  lowAPY: boolean;
  lowEfficiency: boolean;
}

/** The decision and every number behind it. */
export interface RebalanceDecision {
  shouldRebalance: boolean;
  anyTrigger: boolean;
  triggers: RebalanceTriggers;
  urgency: RebalanceUrgency;
  distanceToLowerTicks: number;
  distanceToUpperTicks: number;
  rangeWidthTicks: number;
  proximityThresholdTicks: number;
  currentApy: number;
  expectedApyAfter: number;
  capitalEfficiency: number;
  expectedGainUsd: number;
  estimatedGasCostUsd: number;
  estimatedSwapCostUsd: number;
  totalCostUsd: number;
  netGainUsd: number;
  /** Human-readable reasons, one per trigger and one for the cost gate. */
  reasons: string[];
}

/** Decides whether to roll the range (see the module comment for the exact rules). */
export function decideRebalance(input: RebalanceInput): RebalanceDecision {
  const cur = requireInteger('currentTick', input.currentTick);
  const lower = requireInteger('tickLower', input.tickLower);
  const upper = requireInteger('tickUpper', input.tickUpper);
  if (!(upper > lower)) throw new AnalyticsInputError('INVALID_RANGE', 'tickUpper', upper, `must be > tickLower (${lower})`);
  const proximity = requireInRange('proximityThreshold', input.proximityThreshold, 0, 0.5);
  const currentApy = requireFinite('currentApy', input.currentApy);
  const apyThreshold = requireFinite('apyThreshold', input.apyThreshold);
  const ce = requireInRange('capitalEfficiency', input.capitalEfficiency, 0, 1);
  const minCe = requireInRange('minCapitalEfficiency', input.minCapitalEfficiency ?? 0.7, 0, 1);
  const value = requireNonNegative('positionValueUsd', input.positionValueUsd);
  const expectedApyAfter = requireFinite('expectedApyAfter', input.expectedApyAfter);
  const horizon = requirePositive('horizonSeconds', input.horizonSeconds);
  const gas = requireNonNegative('gasCostUsd', input.gasCostUsd);
  const swap = requireNonNegative('swapCostUsd', input.swapCostUsd);
  const minNetGain = requireFinite('minNetGainUsd', input.minNetGainUsd ?? 0);

  const width = upper - lower;
  const distanceToLowerTicks = cur - lower;
  const distanceToUpperTicks = upper - cur;
  const thresholdTicks = width * proximity;
  const nearLowerBound = distanceToLowerTicks <= thresholdTicks;
  const nearUpperBound = distanceToUpperTicks <= thresholdTicks;
  const outOfRange = cur < lower || cur >= upper;
  const priceProximity = nearLowerBound || nearUpperBound;
  const lowAPY = currentApy < apyThreshold;
  const lowEfficiency = ce < minCe;
  const anyTrigger = priceProximity || lowAPY || lowEfficiency;

  const expectedGainUsd = (value * (expectedApyAfter - currentApy) * horizon) / SECONDS_PER_YEAR;
  const totalCostUsd = gas + swap;
  const netGainUsd = expectedGainUsd - totalCostUsd;
  const shouldRebalance = anyTrigger && netGainUsd > minNetGain;

  let urgency: RebalanceUrgency = 'none';
  if (outOfRange) urgency = 'critical';
  else if (Math.min(distanceToLowerTicks, distanceToUpperTicks) <= thresholdTicks / 2) urgency = 'high';
  else if (priceProximity || lowAPY) urgency = 'medium';
  else if (lowEfficiency) urgency = 'low';

  const reasons: string[] = [];
  if (outOfRange) reasons.push(`out of range: tick ${cur} outside [${lower}, ${upper})`);
  if (nearLowerBound) reasons.push(`${distanceToLowerTicks} ticks above tickLower, threshold ${thresholdTicks}`);
  if (nearUpperBound) reasons.push(`${distanceToUpperTicks} ticks below tickUpper, threshold ${thresholdTicks}`);
  if (lowAPY) reasons.push(`APY ${currentApy} below threshold ${apyThreshold}`);
  if (lowEfficiency) reasons.push(`capital efficiency ${ce} below ${minCe}`);
  if (anyTrigger) {
    reasons.push(shouldRebalance
      ? `expected gain ${expectedGainUsd} USD beats cost ${totalCostUsd} USD by ${netGainUsd}`
      : `expected gain ${expectedGainUsd} USD does not beat cost ${totalCostUsd} USD + margin ${minNetGain}`);
  }

  return {
    shouldRebalance,
    anyTrigger,
    triggers: { priceProximity, nearLowerBound, nearUpperBound, outOfRange, lowAPY, lowEfficiency },
    urgency,
    distanceToLowerTicks,
    distanceToUpperTicks,
    rangeWidthTicks: width,
    proximityThresholdTicks: thresholdTicks,
    currentApy,
    expectedApyAfter,
    capitalEfficiency: ce,
    expectedGainUsd,
    estimatedGasCostUsd: gas,
    estimatedSwapCostUsd: swap,
    totalCostUsd,
    netGainUsd,
    reasons,
  };
}
