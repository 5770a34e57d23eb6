/**
 * Descriptive statistics of a sample: mean, unbiased (n-1) variance and standard deviation,
 * and the linear-interpolation quantile (Hyndman–Fan type 7, the default of R, NumPy, Excel).
 */
import { requireInRange, requireSeries } from './analyticsInput.js';

/** Arithmetic mean of a non-empty sample. */
export function mean(values: readonly number[]): number {
  requireSeries('values', values, 1);
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Unbiased sample variance Σ(x - mean)² / (n - 1); needs n >= 2. */
export function sampleVariance(values: readonly number[]): number {
  requireSeries('values', values, 2);
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (values.length - 1);
}

/** Sample standard deviation sqrt(sampleVariance); needs n >= 2. */
export function sampleStdDev(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

/**
 * Type-7 quantile of a sample at probability q in [0, 1]: with h = (n-1)q, the value
 * x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]) of the sorted sample.
 */
export function quantile(values: readonly number[], q: number): number {
  requireSeries('values', values, 1);
  requireInRange('q', q, 0, 1);
  return sortedQuantile([...values].sort((x, y) => x - y), q);
}

/** Type-7 quantile of an already ascending-sorted sample (no validation; internal fast path). */
export function sortedQuantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const xl = sorted[lo] as number;
  return xl + (h - lo) * ((sorted[hi] as number) - xl);
}
