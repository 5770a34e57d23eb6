/**
 * A/B comparison of two strategies on their per-period returns (same period length).
 *
 * Welch's t-test (unequal variances): with means m_a, m_b, sample variances v_a, v_b and sizes
 * n_a, n_b,
 *   se = sqrt(v_a/n_a + v_b/n_b),   t = (m_a - m_b) / se,
 *   df = se⁴ / ((v_a/n_a)²/(n_a-1) + (v_b/n_b)²/(n_b-1))        (Welch–Satterthwaite)
 *   p  = P(|T_df| >= |t|) = I_{df/(df+t²)}(df/2, 1/2)           (two-sided)
 *
 * Bootstrap: resample each series with replacement (seeded, reproducible), take the difference
 * of the resampled means, and report the percentile interval (type-7 quantiles) of those
 * differences. It makes no normality assumption.
 */
import { requireInRange, requireInteger, requireSeries } from './analyticsInput.js';
import { mean, sampleVariance, sortedQuantile } from './descriptiveStatistics.js';
import { studentTTwoSidedPValue } from './distributions.js';
import { createSeededRandom } from './seededRandom.js';

/** Result of Welch's t-test of mean(A) - mean(B) = 0. */
export interface WelchTTestResult {
  meanA: number;
  meanB: number;
  /** meanA - meanB. */
  difference: number;
  standardError: number;
  /** null when both samples have zero variance (the statistic is undefined). */
  t: number | null;
  degreesOfFreedom: number | null;
  /** Two-sided p-value; null when t is undefined. */
  pValue: number | null;
  alpha: number;
  /** pValue < alpha. */
  significant: boolean;
}

/** Options of welchTTest. */
export interface WelchTTestOptions {
  /** Significance level, default 0.05. */
  alpha?: number;
}

/** Welch's two-sample t-test (two-sided); each sample needs at least 2 finite values. */
export function welchTTest(a: readonly number[], b: readonly number[], options: WelchTTestOptions = {}): WelchTTestResult {
  requireSeries('a', a, 2);
  requireSeries('b', b, 2);
  const alpha = requireInRange('alpha', options.alpha ?? 0.05, 0, 1);
  const meanA = mean(a);
  const meanB = mean(b);
  const qa = sampleVariance(a) / a.length;
  const qb = sampleVariance(b) / b.length;
  const standardError = Math.sqrt(qa + qb);
  const difference = meanA - meanB;
  if (standardError === 0) {
    return { meanA, meanB, difference, standardError, t: null, degreesOfFreedom: null, pValue: null, alpha, significant: false };
  }
  const t = difference / standardError;
  const degreesOfFreedom = (qa + qb) ** 2 / ((qa * qa) / (a.length - 1) + (qb * qb) / (b.length - 1));
  const pValue = studentTTwoSidedPValue(t, degreesOfFreedom);
  return { meanA, meanB, difference, standardError, t, degreesOfFreedom, pValue, alpha, significant: pValue < alpha };
}

/** Options of bootstrapMeanDifference. */
export interface BootstrapOptions {
  /** Number of resamples, integer >= 100; default 10,000. */
  resamples?: number;
  /** Confidence level in (0, 1); default 0.95. */
  confidence?: number;
  /** Seed of the generator; default 1. Same seed, same interval. */
  seed?: number;
}

/** Percentile bootstrap interval of mean(A) - mean(B). */
export interface BootstrapInterval {
  /** meanA - meanB on the original samples. */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  resamples: number;
  seed: number;
}

/** Seeded percentile-bootstrap confidence interval of the difference of means (A - B). */
export function bootstrapMeanDifference(
  a: readonly number[], b: readonly number[], options: BootstrapOptions = {},
): BootstrapInterval {
  requireSeries('a', a, 1);
  requireSeries('b', b, 1);
  const resamples = requireInteger('resamples', options.resamples ?? 10_000);
  requireInRange('resamples', resamples, 100, 10_000_000);
  const confidence = requireInRange('confidence', options.confidence ?? 0.95, 1e-9, 1 - 1e-9);
  const seed = requireInteger('seed', options.seed ?? 1);
  const rng = createSeededRandom(seed);
  const diffs = new Float64Array(resamples);
  for (let k = 0; k < resamples; k++) {
    let sa = 0;
    for (let i = 0; i < a.length; i++) sa += a[Math.floor(rng.next() * a.length)] as number;
    let sb = 0;
    for (let i = 0; i < b.length; i++) sb += b[Math.floor(rng.next() * b.length)] as number;
    diffs[k] = sa / a.length - sb / b.length;
  }
  diffs.sort();
  const sorted = Array.from(diffs);
  return {
    estimate: mean(a) - mean(b),
    lower: sortedQuantile(sorted, (1 - confidence) / 2),
    upper: sortedQuantile(sorted, (1 + confidence) / 2),
    confidence,
    resamples,
    seed,
  };
}

/** Verdict of an A/B comparison. */
export type AbVerdict = 'A_BETTER' | 'B_BETTER' | 'NO_SIGNIFICANT_DIFFERENCE';

/** Welch test, bootstrap interval and a verdict for two return series. */
export interface AbComparison {
  welch: WelchTTestResult;
  bootstrap: BootstrapInterval;
  /**
   * A_BETTER / B_BETTER only when Welch's test is significant AND the bootstrap interval
   * excludes 0 on the same side; otherwise NO_SIGNIFICANT_DIFFERENCE.
   */
  verdict: AbVerdict;
}

/** Compares per-period returns of A and B: Welch's t-test plus bootstrap CI, and a cautious verdict. */
export function compareReturns(
  a: readonly number[], b: readonly number[], options: WelchTTestOptions & BootstrapOptions = {},
): AbComparison {
  const welch = welchTTest(a, b, options);
  const bootstrap = bootstrapMeanDifference(a, b, options);
  let verdict: AbVerdict = 'NO_SIGNIFICANT_DIFFERENCE';
  if (welch.significant && bootstrap.lower > 0) verdict = 'A_BETTER';
  else if (welch.significant && bootstrap.upper < 0) verdict = 'B_BETTER';
  return { welch, bootstrap, verdict };
}
