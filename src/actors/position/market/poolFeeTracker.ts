/**
 * The pool's fee income over a sliding window, from its feeGrowthGlobal (fee paid per unit of
 * active liquidity, Q128) read at times t_0 < … < t_n inside the window:
 *
 *   incomePerLiquidityPerYear = ((fg0_n − fg0_0)/2^128 · P + (fg1_n − fg1_0)/2^128) · YEAR / (t_n − t_0)
 *                               (raw token1 a unit of in-range liquidity earns a year; differences mod 2^256)
 *   feesToken1PerYear         = Σ_i ((Δfg0_i/2^128) · P + Δfg1_i/2^128) · L_{i−1} · YEAR / (t_n − t_0)
 *                               (what all LPs earned: each interval's growth times the active liquidity at its start)
 *   volumeToken1PerYear       = feesToken1PerYear / fee
 *
 * P is the latest raw price (token1 per token0). Available once minSamples reads span the window's
 * time; before that null (the configured fee APY is used).
 */
import { SECONDS_PER_YEAR } from '../../../math/feeApy.js';
import { feeIncomePerLiquidityPerYear } from '../../../math/feeForecast.js';
import { MAX_UINT256 } from '../../../math/fixedPoint.js';

const Q128 = 2 ** 128;

export interface PoolFeeRead {
  at: number;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  liquidity: bigint;
  /** Raw price, token1 per token0. */
  price: number;
}

export interface PoolFeeRate {
  incomePerLiquidityPerYear: number;
  feesToken1PerYear: number;
  volumeToken1PerYear: number;
  samples: number;
  elapsedSeconds: number;
}

/** (b − a) mod 2^256, as Solidity's unchecked subtraction (the mask, not a division). */
function delta(a: bigint, b: bigint): bigint {
  return (b - a) & MAX_UINT256;
}

/** Sliding-window fee income of one pool (see the module comment). */
export class PoolFeeTracker {
  private readonly reads: PoolFeeRead[] = [];
  /** terms[i]: the fee growth from reads[i − 1] to reads[i] per unit of liquidity (÷ 2^128, as floats) and the liquidity at reads[i − 1]; computed once per read. */
  private readonly terms: { growth0: number; growth1: number; liquidity: number }[] = [];
  /** Σ growth0·liquidity and Σ growth1·liquidity over terms[1..] (the fees' two parts before pricing), kept running. */
  private sum0 = 0;
  private sum1 = 0;
  /** Terms that left the sums since they were last summed afresh (bounds their rounding drift). */
  private left = 0;
  /** The estimate of the reads as they are (undefined: they changed since); read on every message. */
  private cached: PoolFeeRate | null | undefined = undefined;

  /** `fee`: the pool's fee as a fraction (0.0005). */
  constructor(private readonly windowSeconds: number, private readonly minSamples: number, private readonly fee: number) {}

  add(read: PoolFeeRead): void {
    const last = this.reads[this.reads.length - 1];
    if (last !== undefined && read.at <= last.at) return;
    this.cached = undefined;
    this.reads.push(read);
    const term = last === undefined ? { growth0: 0, growth1: 0, liquidity: 0 } : {
      growth0: Number(delta(last.feeGrowthGlobal0X128, read.feeGrowthGlobal0X128)) / Q128,
      growth1: Number(delta(last.feeGrowthGlobal1X128, read.feeGrowthGlobal1X128)) / Q128,
      liquidity: Number(last.liquidity),
    };
    this.terms.push(term);
    if (this.terms.length > 1) this.tally(term, 1);
    const oldest = read.at - this.windowSeconds * 1000;
    while (this.reads.length > 2 && this.reads[0]!.at < oldest) {
      this.reads.shift();
      this.terms.shift();
      // the new first term's growth happened before the window's first read: it leaves the sums
      this.tally(this.terms[0]!, -1);
      this.left++;
    }
    if (this.left > Math.max(64, this.terms.length)) this.resum();
  }

  private tally(t: { growth0: number; growth1: number; liquidity: number }, sign: 1 | -1): void {
    this.sum0 += sign * t.growth0 * t.liquidity;
    this.sum1 += sign * t.growth1 * t.liquidity;
  }

  /** Sums the window's terms afresh (once a window's worth has left: the running sums' rounding never builds up). */
  private resum(): void {
    this.sum0 = 0;
    this.sum1 = 0;
    this.left = 0;
    for (let i = 1; i < this.terms.length; i++) this.tally(this.terms[i]!, 1);
  }

  get count(): number {
    return this.reads.length;
  }

  estimate(): PoolFeeRate | null {
    if (this.cached === undefined) this.cached = this.compute();
    return this.cached;
  }

  private compute(): PoolFeeRate | null {
    if (this.reads.length < Math.max(2, this.minSamples)) return null;
    const first = this.reads[0]!;
    const last = this.reads[this.reads.length - 1]!;
    const elapsedSeconds = (last.at - first.at) / 1000;
    if (!(elapsedSeconds > 0) || !(last.price > 0)) return null;
    const incomePerLiquidityPerYear = feeIncomePerLiquidityPerYear({
      feeGrowthGlobal0DeltaX128: delta(first.feeGrowthGlobal0X128, last.feeGrowthGlobal0X128),
      feeGrowthGlobal1DeltaX128: delta(first.feeGrowthGlobal1X128, last.feeGrowthGlobal1X128),
      price: last.price, elapsedSeconds,
    });
    // Σ (g0·P + g1)·L = P·Σ g0·L + Σ g1·L, the sums kept running as reads come and go (terms are >= 0: no cancellation)
    const fees = Math.max(0, this.sum0 * last.price + this.sum1);
    const feesToken1PerYear = (fees * SECONDS_PER_YEAR) / elapsedSeconds;
    return { incomePerLiquidityPerYear, feesToken1PerYear, volumeToken1PerYear: this.fee > 0 ? feesToken1PerYear / this.fee : 0, samples: this.reads.length, elapsedSeconds };
  }
}
