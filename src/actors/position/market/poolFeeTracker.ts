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

const Q128 = 2 ** 128;
const MOD_256 = 1n << 256n;

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

function delta(a: bigint, b: bigint): bigint {
  return (((b - a) % MOD_256) + MOD_256) % MOD_256;
}

/** Sliding-window fee income of one pool (see the module comment). */
export class PoolFeeTracker {
  private readonly reads: PoolFeeRead[] = [];
  /** terms[i]: the fee growth from reads[i − 1] to reads[i] per unit of liquidity (÷ 2^128, as floats) and the liquidity at reads[i − 1]; computed once per read. */
  private readonly terms: { growth0: number; growth1: number; liquidity: number }[] = [];
  /** The estimate of the reads as they are (undefined: they changed since); read on every message. */
  private cached: PoolFeeRate | null | undefined = undefined;

  /** `fee`: the pool's fee as a fraction (0.0005). */
  constructor(private readonly windowSeconds: number, private readonly minSamples: number, private readonly fee: number) {}

  add(read: PoolFeeRead): void {
    const last = this.reads[this.reads.length - 1];
    if (last !== undefined && read.at <= last.at) return;
    this.cached = undefined;
    this.reads.push(read);
    this.terms.push(last === undefined ? { growth0: 0, growth1: 0, liquidity: 0 } : {
      growth0: Number(delta(last.feeGrowthGlobal0X128, read.feeGrowthGlobal0X128)) / Q128,
      growth1: Number(delta(last.feeGrowthGlobal1X128, read.feeGrowthGlobal1X128)) / Q128,
      liquidity: Number(last.liquidity),
    });
    const oldest = read.at - this.windowSeconds * 1000;
    while (this.reads.length > 2 && this.reads[0]!.at < oldest) {
      this.reads.shift();
      this.terms.shift();
    }
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
    let fees = 0;
    for (let i = 1; i < this.reads.length; i++) {
      const t = this.terms[i]!;
      fees += (t.growth0 * last.price + t.growth1) * t.liquidity;
    }
    const feesToken1PerYear = (fees * SECONDS_PER_YEAR) / elapsedSeconds;
    return { incomePerLiquidityPerYear, feesToken1PerYear, volumeToken1PerYear: this.fee > 0 ? feesToken1PerYear / this.fee : 0, samples: this.reads.length, elapsedSeconds };
  }
}
