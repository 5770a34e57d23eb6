/**
 * The roll policy with its last answer kept. A PositionActor decides on every message (a
 * snapshot, a quote, a timed re-read of the reference), and most of them change none of the
 * decision's inputs: between two minute bars the actor re-reads its reference a dozen times at the
 * same tick, σ and pool liquidity. `decideRoll` and `recommendRange` are pure, so the same inputs
 * give the same answer; this returns the kept one instead of recomputing it. Inputs are compared by
 * value, the measured parts (the pool's liquidity read, σ's VolatilityData) by identity: the
 * market keeps them as one object until a new read or sample replaces them (market/).
 *
 * The actor still decides every time: what is skipped is recomputing a pure function of
 * unchanged arguments, never a decision.
 */
import { rangeApy, type RangeApy, type YieldInputs } from './market/rangeYield.js';
import { decideRoll, recommendRange, type RangeMarket, type RangeRecommendation, type RangeSettings, type RollDecision, type RollDecisionInput } from './rollDecision.js';

type Key = readonly unknown[];

function sameKey(a: Key | null, b: Key): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function marketKey(m: (RangeMarket & { feeApy?: number }) | undefined): Key {
  return m === undefined ? [undefined] : [m.feeIncomePerLiquidityPerYear, m.liquidity, m.volatility, m.capitalEfficiency, m.feeApy];
}

function rangeKey(r: RangeSettings): Key {
  return [r.annualVolatility, r.horizonSeconds, r.riskLevel];
}

/** decideRoll, recommendRange and rangeApy, each returning its last answer while its inputs are unchanged. */
export class RememberedRollPolicy {
  private decisionKey: Key | null = null;
  private decision: RollDecision | null = null;
  private recommendationKey: Key | null = null;
  private recommendation: RangeRecommendation | null = null;
  private apyKey: Key | null = null;
  private apy: RangeApy | null = null;
  private readonly parts = {
    recommend: (tick: number, spacing: number, range: RangeSettings, market?: RangeMarket & { feeApy?: number }) => this.recommend(tick, spacing, range, market),
    rangeApy: (i: YieldInputs, tick: number, lower: number, upper: number) => this.rangeApy(i, tick, lower, upper),
  };
  /** Answers given from memory, and computed (a measure of what the memory saves). */
  hits = 0;
  misses = 0;

  decide(i: RollDecisionInput): RollDecision {
    const key: Key = [
      i.tick, i.tickLower, i.tickUpper, i.tickSpacing, ...rangeKey(i.range), i.rebalanceThreshold, i.apyThreshold, i.minCapitalEfficiency, i.feeApy,
      i.valueUsd, i.rollGasUnits, i.gasPriceWei, i.nativePriceUsd, i.poolFee, i.minNetGainUsd, ...marketKey(i.market),
    ];
    if (this.decision !== null && sameKey(this.decisionKey, key)) {
      this.hits++;
      return this.decision;
    }
    this.misses++;
    this.decision = decideRoll(i, this.parts);
    this.decisionKey = key;
    return this.decision;
  }

  recommend(tick: number, tickSpacing: number, range: RangeSettings, market: RangeMarket & { feeApy?: number } = {}): RangeRecommendation {
    // capitalEfficiency does not enter a recommendation
    const key: Key = [tick, tickSpacing, ...rangeKey(range), market.feeIncomePerLiquidityPerYear, market.liquidity, market.volatility, market.feeApy];
    if (this.recommendation !== null && sameKey(this.recommendationKey, key)) return this.recommendation;
    this.recommendation = recommendRange(tick, tickSpacing, range, market);
    this.recommendationKey = key;
    return this.recommendation;
  }

  /** rangeApy of a range (the current one, in a decision). */
  rangeApy(i: YieldInputs, tick: number, tickLower: number, tickUpper: number): RangeApy {
    const key: Key = [i.feeIncomePerLiquidityPerYear, i.configuredFeeApy, i.annualVolatility, i.horizonSeconds, i.rebalanceThreshold, tick, tickLower, tickUpper];
    if (this.apy !== null && sameKey(this.apyKey, key)) return this.apy;
    this.apy = rangeApy(i, tick, tickLower, tickUpper);
    this.apyKey = key;
    return this.apy;
  }
}
