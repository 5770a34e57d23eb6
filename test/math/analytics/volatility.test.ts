import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { mean, quantile, sampleStdDev } from '../../../src/math/descriptiveStatistics.js';
import { logReturns, simpleReturns } from '../../../src/math/returns.js';
import { createSeededRandom } from '../../../src/math/seededRandom.js';
import { volatilityStats } from '../../../src/math/volatility.js';

describe('returns', () => {
  it('simple and log returns of a known path', () => {
    expect(simpleReturns([100, 110, 99])).toEqual([0.10000000000000009, -0.09999999999999998]);
    const lr = logReturns([100, 110, 99]);
    expect(lr[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(lr[1]).toBeCloseTo(Math.log(0.9), 15);
    expect(() => simpleReturns([1, 0, 2])).toThrow(AnalyticsInputError);
    expect(() => logReturns([1])).toThrow(/at least 2/);
  });

  it('descriptive statistics and type-7 quantiles', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 1, 7], 0)).toBe(1);
    expect(quantile([10, 1, 7], 1)).toBe(10);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 14);
  });
});

describe('volatility statistics', () => {
  it('a constant series has zero volatility and undefined (null) skewness and kurtosis', () => {
    const v = volatilityStats({ returns: [0.001, 0.001, 0.001, 0.001, 0.001], periodsPerYear: 365 });
    expect(v.periodVolatility).toBe(0);
    expect(v.annualizedVolatility).toBe(0);
    expect(v.dailyVolatility).toBe(0);
    expect(v.skewness).toBeNull();
    expect(v.excessKurtosis).toBeNull();
    expect(v.confidenceInterval).toEqual({ level: 0.95, lower: 0, upper: 0 });
    expect(v.meanConfidenceInterval).toEqual({ level: 0.95, lower: 0.001, upper: 0.001 });
    expect(v.realizedVariance).toBeCloseTo(5e-6, 18);
  });

  it('matches scipy on a fixed sample (adjusted skewness G1, excess kurtosis G2, chi-square CI)', () => {
    const x = [0.01, -0.02, 0.05, 0.015, -0.005, 0.0, 0.02, -0.01, 0.03];
    const v = volatilityStats({ returns: x, periodsPerYear: 365 });
    expect(v.periodVolatility).toBeCloseTo(0.021650635094610966, 15);
    expect(v.annualizedVolatility).toBeCloseTo(0.021650635094610966 * Math.sqrt(365), 14);
    expect(v.dailyVolatility).toBeCloseTo(0.021650635094610966, 15);
    expect(v.realizedVariance).toBeCloseTo(0.00465, 15);
    expect(v.skewness).toBeCloseTo(0.534461392049825, 12);
    expect(v.excessKurtosis).toBeCloseTo(0.013714285714284014, 12);
    expect(v.confidenceInterval.lower).toBeCloseTo(0.2793925371530569, 10);
    expect(v.confidenceInterval.upper).toBeCloseTo(0.7924295111736241, 10);
    // scipy.stats.t.interval(0.95, 8, loc=mean, scale=sem)
    expect(v.meanReturn).toBeCloseTo(0.01, 15);
    expect(v.meanConfidenceInterval.lower).toBeCloseTo(-0.006642151352656439, 12);
    expect(v.meanConfidenceInterval.upper).toBeCloseTo(0.02664215135265644, 12);
    // hourly data: daily volatility = s * sqrt(24)
    expect(volatilityStats({ returns: x, periodsPerYear: 8760 }).dailyVolatility).toBeCloseTo(0.021650635094610966 * Math.sqrt(24), 14);
  });

  it('normal samples from a seeded generator have moments near theory', () => {
    const rng = createSeededRandom(20261124);
    const n = 20_000;
    const mu = 0.0005;
    const sigma = 0.02;
    const r = Array.from({ length: n }, () => mu + sigma * rng.nextNormal());
    const v = volatilityStats({ returns: r, periodsPerYear: 365 });
    // tolerances: 4 standard errors of each estimator for i.i.d. normal samples
    expect(Math.abs(mean(r) - mu)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    expect(Math.abs(v.periodVolatility / sigma - 1)).toBeLessThan(4 / Math.sqrt(2 * n));
    expect(Math.abs(v.annualizedVolatility - sigma * Math.sqrt(365))).toBeLessThan((4 * sigma * Math.sqrt(365)) / Math.sqrt(2 * n));
    expect(Math.abs(v.skewness ?? Number.NaN)).toBeLessThan(4 * Math.sqrt(6 / n));
    expect(Math.abs(v.excessKurtosis ?? Number.NaN)).toBeLessThan(4 * Math.sqrt(24 / n));
    expect(v.confidenceInterval.lower).toBeLessThan(sigma * Math.sqrt(365));
    expect(v.confidenceInterval.upper).toBeGreaterThan(sigma * Math.sqrt(365));
  });

  it('the 95% volatility interval covers the true volatility about 95% of the time', () => {
    const rng = createSeededRandom(7);
    const trials = 400;
    let covered = 0;
    for (let k = 0; k < trials; k++) {
      const r = Array.from({ length: 30 }, () => 0.01 * rng.nextNormal());
      const ci = volatilityStats({ returns: r, periodsPerYear: 1 }).confidenceInterval;
      if (ci.lower <= 0.01 && 0.01 <= ci.upper) covered++;
    }
    // binomial standard error at 95% over 400 trials is 1.1%: allow 4 of them
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(0.044);
  });

  it('works on the smallest window (2 returns): volatility and CI, no skewness or kurtosis', () => {
    const v = volatilityStats({ returns: [0.01, -0.01], periodsPerYear: 1 });
    expect(v.periodVolatility).toBeCloseTo(Math.SQRT2 * 0.01, 15);
    expect(v.skewness).toBeNull();
    expect(v.excessKurtosis).toBeNull();
    // chi-square with 1 df: quantiles 0.000982069 and 5.023886 (scipy.stats.chi2.ppf)
    expect(v.confidenceInterval.lower).toBeCloseTo((Math.SQRT2 * 0.01) / Math.sqrt(5.023886187314888), 9);
    expect(v.confidenceInterval.upper).toBeCloseTo((Math.SQRT2 * 0.01) / Math.sqrt(0.0009820691171752555), 7);
  });

  it('rejects NaN, too-short windows and bad periods', () => {
    expect(() => volatilityStats({ returns: [0.1], periodsPerYear: 365 })).toThrow(AnalyticsInputError);
    expect(() => volatilityStats({ returns: [0.1, Number.NaN], periodsPerYear: 365 })).toThrow(/returns\[1\]/);
    expect(() => volatilityStats({ returns: [0.1, 0.2], periodsPerYear: 0 })).toThrow(/periodsPerYear/);
  });
});
