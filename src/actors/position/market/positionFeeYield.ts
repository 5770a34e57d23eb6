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

/** One interval's share of the time-weighted sums, valued at its start `a`. */
function intervalSums(a: PositionYieldSample, dt: number): { value: number; inRange: number; earning: number } {
  if (!a.inRange) return { value: a.valueUsd * dt, inRange: 0, earning: 0 };
  return { value: a.valueUsd * dt, inRange: dt, earning: a.valueUsd > 0 ? (Math.min(a.earningUsd, a.valueUsd) / a.valueUsd) * dt : 0 };
}

/**
 * The position's measured fee yield and capital use (see the module comment). The time-weighted
 * sums are kept as samples come and go, and the estimate is kept until the next sample, so a
 * sample costs O(1) however long the window: the agent reads the estimate on every message, and a
 * backtest sends millions.
 */
export class PositionFeeYield {
  private samples: PositionYieldSample[] = [];
  /** Index of the oldest sample still in the window (dropped ones are compacted away in bulk). */
  private head = 0;
  private rangeKey: string | null = null;
  private valueTime = 0;
  private inRangeTime = 0;
  private earningTime = 0;
  private cached: PositionYield | null | undefined = undefined;

  constructor(private readonly windowSeconds: number, private readonly minSamples: number) {}

  /** Adds a sample of the range `rangeKey` (a different key starts over). */
  add(rangeKey: string, s: PositionYieldSample): void {
    this.cached = undefined;
    if (rangeKey !== this.rangeKey) {
      this.rangeKey = rangeKey;
      this.samples = [];
      this.head = 0;
      this.valueTime = 0;
      this.inRangeTime = 0;
      this.earningTime = 0;
    }
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && s.at <= last.at) {
      // the last sample's values only weigh the interval after it, not yet summed
      this.samples[this.samples.length - 1] = { ...s, at: last.at };
      return;
    }
    if (last !== undefined) this.sum(intervalSums(last, s.at - last.at), 1);
    this.samples.push(s);
    const oldest = s.at - this.windowSeconds * 1000;
    while (this.samples.length - this.head > 2 && this.samples[this.head]!.at < oldest) {
      const a = this.samples[this.head]!;
      this.sum(intervalSums(a, this.samples[this.head + 1]!.at - a.at), -1);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.samples.length) {
      this.samples = this.samples.slice(this.head);
      this.head = 0;
    }
  }

  private sum(d: { value: number; inRange: number; earning: number }, sign: 1 | -1): void {
    this.valueTime += sign * d.value;
    this.inRangeTime += sign * d.inRange;
    this.earningTime += sign * d.earning;
  }

  estimate(): PositionYield | null {
    if (this.cached === undefined) this.cached = this.compute();
    return this.cached;
  }

  private compute(): PositionYield | null {
    const count = this.samples.length - this.head;
    if (count < Math.max(2, this.minSamples)) return null;
    const first = this.samples[this.head]!;
    const last = this.samples[this.samples.length - 1]!;
    const elapsedMs = last.at - first.at;
    if (!(elapsedMs > 0)) return null;
    // sums kept by adding and subtracting can drift by rounding: never below 0 or above the elapsed time
    const inRangeTime = Math.min(elapsedMs, Math.max(0, this.inRangeTime));
    const earningTime = Math.min(inRangeTime, Math.max(0, this.earningTime));
    const meanValue = Math.max(0, this.valueTime) / elapsedMs;
    const feeApr = meanValue > 0 ? (Math.max(0, last.feesUsd - first.feesUsd) / meanValue) * ((SECONDS_PER_YEAR * 1000) / elapsedMs) : 0;
    const timeInRange = inRangeTime / elapsedMs;
    return {
      feeApr, inRangeFeeApr: timeInRange > 0 ? feeApr / timeInRange : null, timeInRange, capitalEfficiency: earningTime / elapsedMs,
      samples: count, elapsedSeconds: elapsedMs / 1000,
    };
  }
}
