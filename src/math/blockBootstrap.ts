/**
 * Stationary block bootstrap (Politis & Romano 1994) confidence interval of a series' mean. A
 * resample is built from blocks of consecutive values (wrapping at the end) whose lengths are
 * geometric with mean `blockLength`: each next value continues the block with probability
 * 1 - 1/blockLength, or starts a new block at a uniformly drawn position. Blocks keep the
 * series' short-range autocorrelation that an ordinary (blockLength = 1) bootstrap would destroy
 * and so understate the spread. The interval is the percentile interval (type-7 quantiles) of
 * the resampled means; seeded, so the same seed gives the same interval.
 *
 * The caller states the block length (compare uses round(sqrt(n)) for windows of one history,
 * 1 for independent seeded paths), and the result carries it.
 */
import { requireInRange, requireInteger, requireSeries } from './analyticsInput.js';
import { sortedQuantile } from './descriptiveStatistics.js';
import { createSeededRandom } from './seededRandom.js';

export interface BlockBootstrapOptions {
  /** Mean block length >= 1 (1 = the ordinary bootstrap). */
  blockLength: number;
  /** Confidence level in (0, 1), default 0.95. */
  confidence?: number;
  /** Resamples, integer >= 100, default 5000. */
  resamples?: number;
  /** Seed, default 1. */
  seed?: number;
}

export interface BlockBootstrapInterval {
  estimate: number;
  lower: number;
  upper: number;
  blockLength: number;
  confidence: number;
  resamples: number;
  seed: number;
}

export function stationaryBootstrapMean(values: readonly number[], o: BlockBootstrapOptions): BlockBootstrapInterval {
  requireSeries('values', values, 1);
  const blockLength = requireInRange('blockLength', o.blockLength, 1, values.length);
  const confidence = requireInRange('confidence', o.confidence ?? 0.95, 1e-9, 1 - 1e-9);
  const resamples = requireInteger('resamples', o.resamples ?? 5000);
  requireInRange('resamples', resamples, 100, 10_000_000);
  const seed = requireInteger('seed', o.seed ?? 1);
  const rng = createSeededRandom(seed);
  const n = values.length;
  const restart = 1 / blockLength;
  const means = new Float64Array(resamples);
  let total = 0;
  for (const v of values) total += v;
  for (let r = 0; r < resamples; r++) {
    let i = Math.floor(rng.next() * n);
    let s = values[i]!;
    for (let k = 1; k < n; k++) {
      i = rng.next() < restart ? Math.floor(rng.next() * n) : (i + 1) % n;
      s += values[i]!;
    }
    means[r] = s / n;
  }
  means.sort();
  const sorted = Array.from(means);
  return {
    estimate: total / n,
    lower: sortedQuantile(sorted, (1 - confidence) / 2),
    upper: sortedQuantile(sorted, (1 + confidence) / 2),
    blockLength, confidence, resamples, seed,
  };
}
