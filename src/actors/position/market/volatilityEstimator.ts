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
 * With fewer than minSamples returns the configured σ is used (source "prior"), and the partial
 * measurement is still reported (measuredAnnualized).
 */
import { SECONDS_PER_YEAR } from '../../../math/feeApy.js';
import { volatilityStats } from '../../../math/volatility.js';

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

/** Sliding-window volatility of one price stream (see the module comment). */
export class VolatilityEstimator {
  private readonly samples: { at: number; price: number }[] = [];
  private readonly spacingMs: number;
  /** The estimate of the samples as they are (null: they changed since). Sampling is sparse and estimates are read on every message. */
  private cached: VolatilityData | null = null;

  constructor(readonly settings: VolatilitySettings) {
    this.spacingMs = (settings.windowSeconds * 1000) / settings.maxSamples;
  }

  /** Adds a price observed at `atMs` (ignored: non-positive or non-finite prices, times not after the last sample's). */
  add(atMs: number, price: number): void {
    if (!(price > 0) || !Number.isFinite(price) || !Number.isFinite(atMs)) return;
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && atMs - last.at < this.spacingMs) return;
    this.samples.push({ at: atMs, price });
    this.cached = null;
    const oldest = atMs - this.settings.windowSeconds * 1000;
    while (this.samples.length > 0 && this.samples[0]!.at < oldest) this.samples.shift();
  }

  /** Forgets every sample (e.g. the stream was replaced). */
  clear(): void {
    this.samples.length = 0;
    this.cached = null;
  }

  /** Returns in the window. */
  get count(): number {
    return Math.max(0, this.samples.length - 1);
  }

  estimate(): VolatilityData {
    this.cached ??= this.compute();
    return this.cached;
  }

  private compute(): VolatilityData {
    const prior = this.settings.prior;
    const z: number[] = [];
    let realizedVariance = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const b = this.samples[i]!;
      const r = Math.log(b.price / a.price);
      const dtYears = (b.at - a.at) / 1000 / SECONDS_PER_YEAR;
      realizedVariance += r * r;
      z.push(r / Math.sqrt(dtYears));
    }
    const base = { realizedVariance, samples: z.length, windowSeconds: this.settings.windowSeconds };
    const stats = z.length >= 3 ? volatilityStats({ returns: z, periodsPerYear: 1 }) : null;
    if (stats === null || z.length < this.settings.minSamples) {
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
