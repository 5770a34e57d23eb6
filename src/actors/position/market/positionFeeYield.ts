/**
 * What the position itself earns, measured, since its range was opened (a roll starts over), over
 * at most a sliding window. From samples (t_i, fees_i, value_i, earning_i, inRange_i), with fees the
 * cumulative fees earned (collected + uncollected, USD), value the position's total value (USD,
 * idle tokens included) and earning the value of the liquidity itself; each interval weighted by
 * its length dt_i and valued at its start:
 *
 *   elapsed        = t_n − t_0
 *   meanValue      = Σ value_{i−1} dt_i / elapsed
 *   feeApr         = (fees_n − fees_0) / meanValue · YEAR / elapsed
 *   timeInRange    = Σ [inRange_{i−1}] dt_i / elapsed
 *   inRangeFeeApr  = feeApr / timeInRange                       (null when never in range)
 *   capitalEfficiency = Σ [inRange_{i−1}] · earning_{i−1}/value_{i−1} · dt_i / elapsed
 *                    (the share of the position's value that was earning fees, on average)
 *
 * Null until minSamples samples span a positive time.
 */
import { SECONDS_PER_YEAR } from '../../../math/feeApy.js';

export interface PositionYieldSample {
  at: number;
  feesUsd: number;
  valueUsd: number;
  earningUsd: number;
  inRange: boolean;
}

export interface PositionYield {
  feeApr: number;
  inRangeFeeApr: number | null;
  timeInRange: number;
  capitalEfficiency: number;
  samples: number;
  elapsedSeconds: number;
}

/** The position's measured fee yield and capital use (see the module comment). */
export class PositionFeeYield {
  private samples: PositionYieldSample[] = [];
  private rangeKey: string | null = null;

  constructor(private readonly windowSeconds: number, private readonly minSamples: number) {}

  /** Adds a sample of the range `rangeKey` (a different key starts over). */
  add(rangeKey: string, s: PositionYieldSample): void {
    if (rangeKey !== this.rangeKey) {
      this.rangeKey = rangeKey;
      this.samples = [];
    }
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && s.at <= last.at) {
      this.samples[this.samples.length - 1] = { ...s, at: last.at };
      return;
    }
    this.samples.push(s);
    const oldest = s.at - this.windowSeconds * 1000;
    while (this.samples.length > 2 && this.samples[0]!.at < oldest) this.samples.shift();
  }

  estimate(): PositionYield | null {
    if (this.samples.length < Math.max(2, this.minSamples)) return null;
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const elapsedMs = last.at - first.at;
    if (!(elapsedMs > 0)) return null;
    let valueTime = 0;
    let inRangeTime = 0;
    let earningTime = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const dt = this.samples[i]!.at - a.at;
      valueTime += a.valueUsd * dt;
      if (a.inRange) {
        inRangeTime += dt;
        if (a.valueUsd > 0) earningTime += (Math.min(a.earningUsd, a.valueUsd) / a.valueUsd) * dt;
      }
    }
    const meanValue = valueTime / elapsedMs;
    const feeApr = meanValue > 0 ? (Math.max(0, last.feesUsd - first.feesUsd) / meanValue) * ((SECONDS_PER_YEAR * 1000) / elapsedMs) : 0;
    const timeInRange = inRangeTime / elapsedMs;
    return {
      feeApr, inRangeFeeApr: timeInRange > 0 ? feeApr / timeInRange : null, timeInRange, capitalEfficiency: earningTime / elapsedMs,
      samples: this.samples.length, elapsedSeconds: elapsedMs / 1000,
    };
  }
}
