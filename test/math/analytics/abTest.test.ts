import { describe, expect, it } from 'vitest';
import { bootstrapMeanDifference, compareReturns, welchTTest } from '../../../src/math/abTest.js';
import { createSeededRandom } from '../../../src/math/seededRandom.js';

// Wikipedia, "Welch's t-test", examples 1 and 2 (t = -2.46, df = 25.0, p = 0.021 for example 1);
// full-precision references from scipy.stats.ttest_ind(a, b, equal_var=False).
const A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
const B1 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
const A2 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
const B2 = [21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8];

describe("Welch's t-test", () => {
  it('reproduces the textbook examples: t, df and two-sided p', () => {
    const r1 = welchTTest(A1, B1);
    expect(r1.t).toBeCloseTo(-2.455356398286006, 12);
    expect(r1.degreesOfFreedom).toBeCloseTo(24.988529290231416, 10);
    expect(r1.pValue).toBeCloseTo(0.021378001462866992, 12);
    expect(r1.significant).toBe(true);
    const r2 = welchTTest(A2, B2);
    expect(r2.t).toBeCloseTo(-1.5654335235985037, 12);
    expect(r2.degreesOfFreedom).toBeCloseTo(9.904741248650831, 10);
    expect(r2.pValue).toBeCloseTo(0.14884169660532817, 12);
    expect(r2.significant).toBe(false);
  });

  it('is antisymmetric in A and B and undefined (null) for two constant samples', () => {
    const ab = welchTTest(A1, B1);
    const ba = welchTTest(B1, A1);
    expect(ba.t).toBeCloseTo(-(ab.t as number), 14);
    expect(ba.pValue).toBeCloseTo(ab.pValue as number, 14);
    const flat = welchTTest([1, 1, 1], [2, 2, 2]);
    expect(flat.t).toBeNull();
    expect(flat.pValue).toBeNull();
    expect(flat.significant).toBe(false);
    expect(flat.difference).toBe(-1);
  });
});

describe('bootstrap interval of the difference of means', () => {
  it('is reproducible from its seed and brackets the point estimate', () => {
    const a = bootstrapMeanDifference(A1, B1, { seed: 42, resamples: 2000 });
    const b = bootstrapMeanDifference(A1, B1, { seed: 42, resamples: 2000 });
    expect(a).toEqual(b);
    expect(a.lower).toBeLessThan(a.estimate);
    expect(a.upper).toBeGreaterThan(a.estimate);
    expect(a.upper).toBeLessThan(0); // same conclusion as Welch on example 1
  });

  it('contains the true difference (normal samples with known means), and covers it ~95% of the time', () => {
    const rng = createSeededRandom(99);
    const trueDiff = 0.002;
    const draw = (mu: number, n: number): number[] => Array.from({ length: n }, () => mu + 0.01 * rng.nextNormal());
    const one = bootstrapMeanDifference(draw(0.003, 500), draw(0.001, 400), { seed: 1 });
    expect(one.lower).toBeLessThan(trueDiff);
    expect(one.upper).toBeGreaterThan(trueDiff);

    const trials = 150;
    let covered = 0;
    for (let k = 0; k < trials; k++) {
      const ci = bootstrapMeanDifference(draw(0.003, 60), draw(0.001, 60), { seed: k + 1, resamples: 1000 });
      if (ci.lower <= trueDiff && trueDiff <= ci.upper) covered++;
    }
    // the percentile bootstrap runs slightly below nominal for small n; binomial s.e. here is 1.8%
    expect(covered / trials).toBeGreaterThan(0.87);
    expect(covered / trials).toBeLessThan(0.995);
  });

  it('compareReturns gives a verdict only when both the test and the interval agree', () => {
    expect(compareReturns(B1, A1, { seed: 3, resamples: 2000 }).verdict).toBe('A_BETTER');
    expect(compareReturns(A1, B1, { seed: 3, resamples: 2000 }).verdict).toBe('B_BETTER');
    expect(compareReturns(A2, B2, { seed: 3, resamples: 2000 }).verdict).toBe('NO_SIGNIFICANT_DIFFERENCE');
  });
});
