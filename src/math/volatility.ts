/**
 * Volatility statistics of a window of per-period returns (log returns recommended), as the
 * spec's Data Engine reports them. With s the sample (n-1) standard deviation of the returns
 * and N the number of periods per year (365-day year):
 *
 *   annualizedVolatility = s * sqrt(N)
 *   dailyVolatility      = s * sqrt(N / 365)
 *   realizedVariance     = Σ r_i²            (over the window, not demeaned, not annualized)
 *   skewness             = n / ((n-1)(n-2)) Σ ((r_i - m)/s)³                      (adjusted G1)
 *   excessKurtosis       = n(n+1) / ((n-1)(n-2)(n-3)) Σ ((r_i - m)/s)⁴
 *                          - 3(n-1)² / ((n-2)(n-3))          (adjusted G2; a normal sample ≈ 0)
 *   confidenceInterval   = annualized volatility interval from the chi-square distribution of
 *                          (n-1)s²/σ², exact for i.i.d. normal returns:
 *                          [s sqrt((n-1)/χ²_{(1+c)/2}), s sqrt((n-1)/χ²_{(1-c)/2})] * sqrt(N)
 *   meanConfidenceInterval = per-period mean return m ± t_{(1+c)/2, n-1} s / sqrt(n) (Student t)
 *
 * Skewness and kurtosis are null (undefined) when s = 0 or n is too small (3 and 4).
 */
import { AnalyticsInputError, requireFinite, requireInRange, requirePositive, requireSeries } from './analyticsInput.js';
import { mean, sampleStdDev } from './descriptiveStatistics.js';
import { chiSquareQuantile, studentTQuantile } from './distributions.js';

/** A window of per-period returns and how many such periods make a year. */
export interface VolatilityInput {
  /** Per-period returns, n >= 2. */
  returns: readonly number[];
  /** Periods per 365-day year (hourly: 8760, daily: 365). */
  periodsPerYear: number;
  /** Confidence level of the interval, in (0, 1); default 0.95. */
  confidence?: number;
}

/** A two-sided confidence interval at `level`. */
export interface ConfidenceInterval {
  level: number;
  lower: number;
  upper: number;
}

/** Volatility statistics of a return window (see the module comment for definitions). */
export interface VolatilityStats {
  observations: number;
  /** Sample standard deviation of the per-period returns. */
  periodVolatility: number;
  annualizedVolatility: number;
  dailyVolatility: number;
  realizedVariance: number;
  skewness: number | null;
  /** Excess kurtosis (normal = 0). */
  excessKurtosis: number | null;
  /** Interval for the annualized volatility. */
  confidenceInterval: ConfidenceInterval;
  /** Per-period mean return. */
  meanReturn: number;
  /** Interval for the per-period mean return (Student t). */
  meanConfidenceInterval: ConfidenceInterval;
}

/**
 * The chi-square and Student t quantiles of a `level` interval with `df` degrees of freedom. They
 * depend on nothing else, and a sliding window asks for the same few again and again (each a
 * root search over an incomplete gamma or beta function), so they are remembered.
 */
const quantiles = new Map<string, { chiHigh: number; chiLow: number; tHigh: number }>();
function intervalQuantiles(level: number, df: number): { chiHigh: number; chiLow: number; tHigh: number } {
  const key = `${level} ${df}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = { chiHigh: chiSquareQuantile((1 + level) / 2, df), chiLow: chiSquareQuantile((1 - level) / 2, df), tHigh: studentTQuantile((1 + level) / 2, df) };
    if (quantiles.size >= 4096) quantiles.clear();
    quantiles.set(key, q);
  }
  return q;
}

/** Volatility, realized variance, skewness, excess kurtosis and a CI of a return window. */
export function volatilityStats(input: VolatilityInput): VolatilityStats {
  const r = requireSeries('returns', input.returns, 2);
  const periodsPerYear = requirePositive('periodsPerYear', input.periodsPerYear);
  const level = input.confidence ?? 0.95;
  requireInRange('confidence', level, 1e-9, 1 - 1e-9);
  const m = mean(r);
  const s = sampleStdDev(r);
  let realizedVariance = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of r) {
    realizedVariance += x * x;
    if (s > 0) {
      const z = (x - m) / s;
      m3 += z * z * z;
      m4 += z * z * z * z;
    }
  }
  return statsOf({ n: r.length, mean: m, s, m3, m4, realizedVariance }, periodsPerYear, level);
}

/**
 * The power sums of a return window (Σx, Σx², Σx³, Σx⁴ over n returns): what a sliding window
 * keeps running, one addition and one subtraction a step, instead of passing over the window.
 */
export interface ReturnPowerSums {
  n: number;
  sum: number;
  sumSq: number;
  sumCube: number;
  sumFourth: number;
}

/**
 * volatilityStats from the window's power sums (n >= 2): the same statistics, its central
 * moments expanded from the raw ones, so equal to the two-pass figures up to rounding (a
 * window whose returns are all zero must say so: `allZero` makes s exactly 0).
 */
export function volatilityStatsFromSums(p: ReturnPowerSums, periodsPerYear: number, o: { confidence?: number; allZero?: boolean } = {}): VolatilityStats {
  const n = p.n;
  if (!(n >= 2)) throw new AnalyticsInputError('INSUFFICIENT_DATA', 'returns', n, 'needs at least 2 observations');
  for (const [field, v] of [['sum', p.sum], ['sumSq', p.sumSq], ['sumCube', p.sumCube], ['sumFourth', p.sumFourth]] as const) requireFinite(field, v);
  requirePositive('periodsPerYear', periodsPerYear);
  const level = o.confidence ?? 0.95;
  requireInRange('confidence', level, 1e-9, 1 - 1e-9);
  const m = p.sum / n;
  const c2 = Math.max(0, p.sumSq - m * p.sum);
  const s = o.allZero === true ? 0 : Math.sqrt(c2 / (n - 1));
  let m3 = 0;
  let m4 = 0;
  if (s > 0) {
    const m2 = m * m;
    m3 = (p.sumCube - 3 * m * p.sumSq + 3 * m2 * p.sum - n * m2 * m) / (s * s * s);
    m4 = (p.sumFourth - 4 * m * p.sumCube + 6 * m2 * p.sumSq - 4 * m2 * m * p.sum + n * m2 * m2) / (s * s * s * s);
  }
  return statsOf({ n, mean: m, s, m3, m4, realizedVariance: Math.max(0, p.sumSq) }, periodsPerYear, level);
}

/** The statistics from a window's mean, standard deviation s and standardized third and fourth moment sums. */
function statsOf(w: { n: number; mean: number; s: number; m3: number; m4: number; realizedVariance: number }, periodsPerYear: number, level: number): VolatilityStats {
  const { n, mean: m, s, m3, m4 } = w;
  const skewness = s > 0 && n >= 3 ? (n / ((n - 1) * (n - 2))) * m3 : null;
  const excessKurtosis = s > 0 && n >= 4
    ? ((n * (n + 1)) / ((n - 1) * (n - 2) * (n - 3))) * m4 - (3 * (n - 1) * (n - 1)) / ((n - 2) * (n - 3))
    : null;
  const annualize = Math.sqrt(periodsPerYear);
  const { chiHigh, chiLow, tHigh } = intervalQuantiles(level, n - 1);
  const meanHalfWidth = (tHigh * s) / Math.sqrt(n);
  return {
    observations: n,
    periodVolatility: s,
    annualizedVolatility: s * annualize,
    dailyVolatility: s * Math.sqrt(periodsPerYear / 365),
    realizedVariance: w.realizedVariance,
    skewness,
    excessKurtosis,
    confidenceInterval: {
      level,
      lower: s * Math.sqrt((n - 1) / chiHigh) * annualize,
      upper: s * Math.sqrt((n - 1) / chiLow) * annualize,
    },
    meanReturn: m,
    meanConfidenceInterval: { level, lower: m - meanHalfWidth, upper: m + meanHalfWidth },
  };
}
