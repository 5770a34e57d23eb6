/**
 * What a PositionActor measures about its pool's market, live: volatility of the market price
 * (the median of the venue marks in the accepted reference, referenceGuard.ts marketPrice) and of
 * the pool price (used while the market has too few samples), the pool's fee income
 * from its fee growth and its liquidity around the price (read through ChainPort.poolLiquidity at
 * most every liquidityReadMs), and the position's own fee yield and capital use. It keeps the
 * samples (not checkpointed: after a restart the configured values serve as priors again) and
 * hands the decision its inputs (rangeMarket) and the state its summary (summary).
 */
import type { PoolLiquidity } from '../../ports.js';
import type { RangeMarket } from '../rollDecision.js';
import { PoolFeeTracker, type PoolFeeRate } from './poolFeeTracker.js';
import { PositionFeeYield, type PositionYield, type PositionYieldSample } from './positionFeeYield.js';
import { VolatilityEstimator, type VolatilityData } from './volatilityEstimator.js';
import { sqrtPriceX96ToPrice } from '../../../math/priceTick.js';

/** How the market is measured (config strategy.volatilityWindowSeconds, minSamples, maxSamples, liquidityReadMs). */
export interface MarketSettings {
  windowSeconds: number;
  minSamples: number;
  maxSamples: number;
  /** Read the pool's ticks and fee growth at most this often (agent clock, ms). */
  liquidityReadMs: number;
}

/** The market as published in the position's state. */
export interface PositionMarketState {
  /** The σ decisions use, as the spec's VolatilityData. */
  volatility: VolatilityData;
  volatilitySource: 'reference' | 'pool' | 'prior';
  /** σ measured from the pool price alone (null under 3 returns). */
  poolVolatility: number | null;
  /** Expected fee APY of the current range (what the low-APY trigger compares), from the last decision. */
  feeApy: number | null;
  feeApySource: 'measured' | 'configured' | null;
  /** The position's own fee yield since its range opened: fees over value over time (annualized). */
  positionFeeApr: number | null;
  positionInRangeFeeApr: number | null;
  /** The pool's fee income per unit of in-range liquidity, raw token1 per year. */
  poolFeeIncomePerLiquidityPerYear: number | null;
  /** The pool's fees and volume over the window, USD per day. */
  poolFeesUsdPerDay: number | null;
  poolVolumeUsdPerDay: number | null;
  /** The last liquidity read. */
  liquidity: { blockNumber: number; at: number; initializedTicks: number } | null;
}

export interface MarketDeps {
  settings: MarketSettings;
  /** Configured annualized σ: the prior. */
  priorVolatility: number;
  /** Pool fee fraction (0.0005). */
  fee: number;
  /** USD of one raw unit of token1 at raw price `rawPrice`. */
  usdPerRawToken1: (rawPrice: number) => number;
  readLiquidity?: () => Promise<PoolLiquidity>;
}

/** The live market measurements of one pool (see the module comment). */
export class PositionMarket {
  private readonly reference: VolatilityEstimator;
  private readonly pool: VolatilityEstimator;
  private readonly fees: PoolFeeTracker;
  private readonly own: PositionFeeYield;
  private lastRead = Number.NEGATIVE_INFINITY;
  private liquidity: PoolLiquidity | null = null;
  private liquidityAt = 0;

  constructor(private readonly d: MarketDeps) {
    const v = { windowSeconds: d.settings.windowSeconds, minSamples: d.settings.minSamples, maxSamples: d.settings.maxSamples, prior: d.priorVolatility };
    this.reference = new VolatilityEstimator(v);
    this.pool = new VolatilityEstimator(v);
    this.fees = new PoolFeeTracker(d.settings.windowSeconds, d.settings.minSamples, d.fee);
    this.own = new PositionFeeYield(d.settings.windowSeconds, d.settings.minSamples);
  }

  observeReference(at: number, assetPrice: number): void {
    this.reference.add(at, assetPrice);
  }

  observePool(at: number, assetPrice: number): void {
    this.pool.add(at, assetPrice);
  }

  observePosition(rangeKey: string, s: PositionYieldSample): void {
    this.own.add(rangeKey, s);
  }

  /** Reads the pool's liquidity and fee growth when the last read is older than liquidityReadMs; throws what the read throws. */
  async refresh(now: number): Promise<void> {
    if (this.d.readLiquidity === undefined || now - this.lastRead < this.d.settings.liquidityReadMs) return;
    this.lastRead = now;
    const liq = await this.d.readLiquidity();
    this.liquidity = liq;
    this.liquidityAt = now;
    this.fees.add({ at: now, feeGrowthGlobal0X128: liq.feeGrowthGlobal0X128, feeGrowthGlobal1X128: liq.feeGrowthGlobal1X128, liquidity: liq.liquidity, price: sqrtPriceX96ToPrice(liq.sqrtPriceX96) });
  }

  /** The σ in use and where it came from: the reference's once measured, else the pool's, else the prior. */
  volatility(): { data: VolatilityData; source: PositionMarketState['volatilitySource'] } {
    const ref = this.reference.estimate();
    if (ref.source === 'measured') return { data: ref, source: 'reference' };
    const pool = this.pool.estimate();
    if (pool.source === 'measured') return { data: pool, source: 'pool' };
    return { data: ref.samples >= pool.samples ? ref : pool, source: 'prior' };
  }

  feeRate(): PoolFeeRate | null {
    return this.fees.estimate();
  }

  positionYield(): PositionYield | null {
    return this.own.estimate();
  }

  /** What the roll decision uses. */
  rangeMarket(): RangeMarket {
    const v = this.volatility().data;
    const own = this.own.estimate();
    return {
      feeIncomePerLiquidityPerYear: this.fees.estimate()?.incomePerLiquidityPerYear ?? null,
      liquidity: this.liquidity,
      volatility: v,
      capitalEfficiency: own?.capitalEfficiency ?? null,
    };
  }

  /** The state's summary; `apy` is the current range's expected fee APY from the last decision. */
  summary(apy: { value: number; source: 'measured' | 'configured' } | null): PositionMarketState {
    const { data, source } = this.volatility();
    const rate = this.fees.estimate();
    const own = this.own.estimate();
    const usd = this.liquidity === null ? null : this.d.usdPerRawToken1(sqrtPriceX96ToPrice(this.liquidity.sqrtPriceX96));
    return {
      volatility: data, volatilitySource: source, poolVolatility: this.pool.estimate().measuredAnnualized,
      feeApy: apy?.value ?? null, feeApySource: apy?.source ?? null,
      positionFeeApr: own?.feeApr ?? null, positionInRangeFeeApr: own?.inRangeFeeApr ?? null,
      poolFeeIncomePerLiquidityPerYear: rate?.incomePerLiquidityPerYear ?? null,
      poolFeesUsdPerDay: rate === null || usd === null ? null : (rate.feesToken1PerYear / 365) * usd,
      poolVolumeUsdPerDay: rate === null || usd === null ? null : (rate.volumeToken1PerYear / 365) * usd,
      liquidity: this.liquidity === null ? null : { blockNumber: this.liquidity.blockNumber, at: this.liquidityAt, initializedTicks: this.liquidity.ticks.length },
    };
  }
}
