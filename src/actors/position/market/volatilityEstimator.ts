/**
 * Measured volatility of a price stream over a sliding window, as the spec's VolatilityData.
 *
 * Samples (time, price) are kept at least windowSeconds / maxSamples apart (a sample closer to the
 * last kept one is skipped) and dropped once older than the window. From consecutive samples,
 * r_i = ln(p_i / p_{i−1}) over dt_i years; each return is normalised to one year,
 * z_i = r_i / √dt_i, so irregular spacing is handled exactly for a log-normal price, and
 * volatilityStats (src/math/volatility.ts) of the z_i with one period per year gives the
 * annualized σ, its chi-square confidence interval, skewness and excess kurtosis. Then
 * daily = σ / √365 and realizedVariance = Σ r_i² over the window (not annualized).
 *
 * The power sums of the z_i and Σ r_i² are kept running (each sample added once and removed
 * once; summed afresh each time a window's worth has left, and sooner when what left outweighs
 * what stays, so rounding never builds up): an estimate costs O(1), not a pass over the window.
 *
 * With fewer than minSamples returns the configured σ is used (source "prior"), and the partial
 * measurement is still reported (measuredAnnualized).
 */
import { SECONDS_PER_YEAR } from '../../../math/feeApy.js';
import { volatilityStatsFromSums } from '../../../math/volatility.js';

export interface VolatilitySettings {
  windowSeconds: number;
  /** Returns needed before the measurement replaces the prior (>= 3). */
  minSamples: number;
  /** Most samples kept over the window (sets their minimum spacing). */
  maxSamples: number;
  /** Configured annualized σ, used until enough samples exist. */
  prior: number;
}

export interface VolatilityData {
  /** The σ decisions use: measured, or the prior. */
  annualized: number;
  daily: number;
  realizedVariance: number;
  skewness: number | null;
  /** Excess kurtosis (normal = 0). */
  kurtosis: number | null;
  confidenceInterval: { level: number; lower: number; upper: number };
  source: 'measured' | 'prior';
  /** Returns in the window. */
  samples: number;
  /** σ measured from the window so far (null under 3 returns), even while the prior is used. */
  measuredAnnualized: number | null;
  windowSeconds: number;
}

/** A kept sample and the return ending at it (from the sample before; unused for the window's first). */
interface Sample {
  at: number;
  price: number;
  /** The return normalised to one year, r / √dt. */
  z: number;
  /** r². */
  r2: number;
}

/** Sliding-window volatility of one price stream (see the module comment). */
export class VolatilityEstimator {
  /** The window is samples[head..]; dropped samples are cut off in batches. */
  private samples: Sample[] = [];
  private head = 0;
  private readonly spacingMs: number;
  /** Power sums of z over the window's returns, Σr², how many returns are not zero, and Σz², Σz⁴ of those that left since the last fresh sum: kept running. */
  private sums = { sum: 0, sumSq: 0, sumCube: 0, sumFourth: 0, realizedVariance: 0, nonZero: 0, leftSq: 0, leftFourth: 0 };
  /** Returns dropped since the sums were last summed afresh (bounds their rounding drift). */
  private dropped = 0;
  /** The estimate of the samples as they are (null: they changed since). Sampling is sparse and estimates are read on every message. */
  private cached: VolatilityData | null = null;

  constructor(readonly settings: VolatilitySettings) {
    this.spacingMs = (settings.windowSeconds * 1000) / settings.maxSamples;
  }

  /** Adds a price observed at `atMs` (ignored: non-positive or non-finite prices, times not after the last sample's). */
  add(atMs: number, price: number): void {
    if (!(price > 0) || !Number.isFinite(price) || !Number.isFinite(atMs)) return;
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && this.samples.length > this.head && atMs - last.at < this.spacingMs) return;
    const sample: Sample = { at: atMs, price, z: 0, r2: 0 };
    if (last !== undefined && this.samples.length > this.head) {
      const r = Math.log(price / last.price);
      sample.z = r / Math.sqrt((atMs - last.at) / 1000 / SECONDS_PER_YEAR);
      sample.r2 = r * r;
      this.tally(sample, 1);
    }
    this.samples.push(sample);
    this.cached = null;
    const oldest = atMs - this.settings.windowSeconds * 1000;
    while (this.head < this.samples.length && this.samples[this.head]!.at < oldest) {
      // the return ending at the next sample started at this one: it leaves the window with it
      const next = this.samples[this.head + 1];
      if (next !== undefined) {
        this.tally(next, -1);
        this.dropped++;
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.samples.length) {
      this.samples = this.samples.slice(this.head);
      this.head = 0;
    }
    // what left the window left its rounding in the sums: sum afresh once a window's worth has
    // left, or sooner when what left outweighs what stays (volatility fell ten-thousandfold in z⁴)
    const t = this.sums;
    if (this.dropped > Math.max(64, this.count) || t.leftSq > 1e4 * t.sumSq || t.leftFourth > 1e4 * t.sumFourth) this.resum();
  }

  /** Forgets every sample (e.g. the stream was replaced). */
  clear(): void {
    this.samples = [];
    this.head = 0;
    this.resum();
    this.cached = null;
  }

  /** Returns in the window. */
  get count(): number {
    return Math.max(0, this.samples.length - this.head - 1);
  }

  estimate(): VolatilityData {
    this.cached ??= this.compute();
    return this.cached;
  }

  /** Adds (sign 1) or removes (−1) the return ending at `s` from the running sums. */
  private tally(s: Sample, sign: 1 | -1): void {
    const z2 = s.z * s.z;
    const t = this.sums;
    t.sum += sign * s.z;
    t.sumSq += sign * z2;
    t.sumCube += sign * z2 * s.z;
    t.sumFourth += sign * z2 * z2;
    t.realizedVariance += sign * s.r2;
    if (s.z !== 0) t.nonZero += sign;
    if (sign < 0) {
      t.leftSq += z2;
      t.leftFourth += z2 * z2;
    }
  }

  /** Sums the window's returns afresh (once a window's worth has been dropped: the running sums' rounding never builds up). */
  private resum(): void {
    this.sums = { sum: 0, sumSq: 0, sumCube: 0, sumFourth: 0, realizedVariance: 0, nonZero: 0, leftSq: 0, leftFourth: 0 };
    this.dropped = 0;
    for (let i = this.head + 1; i < this.samples.length; i++) this.tally(this.samples[i]!, 1);
  }

  private compute(): VolatilityData {
    const prior = this.settings.prior;
    const n = this.count;
    const t = this.sums;
    const base = { realizedVariance: Math.max(0, t.realizedVariance), samples: n, windowSeconds: this.settings.windowSeconds };
    const stats = n >= 3 ? volatilityStatsFromSums({ n, sum: t.sum, sumSq: t.sumSq, sumCube: t.sumCube, sumFourth: t.sumFourth }, 1, { allZero: t.nonZero === 0 }) : null;
    if (stats === null || n < this.settings.minSamples) {
      return {
        ...base, annualized: prior, daily: prior / Math.sqrt(365), skewness: null, kurtosis: null,
        confidenceInterval: { level: 0.95, lower: prior, upper: prior }, source: 'prior', measuredAnnualized: stats?.annualizedVolatility ?? null,
      };
    }
    const sigma = stats.annualizedVolatility;
    return {
      ...base, annualized: sigma, daily: sigma / Math.sqrt(365), skewness: stats.skewness, kurtosis: stats.excessKurtosis,
      confidenceInterval: stats.confidenceInterval, source: 'measured', measuredAnnualized: sigma,
    };
  }
}
