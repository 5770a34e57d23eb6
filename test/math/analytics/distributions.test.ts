/**
 * Special functions and distributions against reference values (scipy.special / scipy.stats
 * 1.17, printed with repr) and exact identities.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf, chiSquareQuantile, normalCdf, normalQuantile, studentTCdf, studentTQuantile, studentTTwoSidedPValue,
} from '../../../src/math/distributions.js';
import { regularizedIncompleteBeta } from '../../../src/math/incompleteBeta.js';
import { regularizedGammaP, regularizedGammaQ } from '../../../src/math/incompleteGamma.js';
import { logGamma } from '../../../src/math/logGamma.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('special functions', () => {
  it('logGamma matches factorials and reference values', () => {
    let fact = 1;
    for (let n = 1; n <= 20; n++) {
      fact *= n;
      expect(Math.abs(logGamma(n + 1) - Math.log(fact))).toBeLessThan(1e-13 * Math.max(1, Math.log(fact)));
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(rel(logGamma(10.5), 13.940625219403763)).toBeLessThan(1e-13);
    expect(rel(logGamma(0.1), 2.252712651734206)).toBeLessThan(1e-13);
  });

  it('incomplete beta and gamma match scipy and their exact special cases', () => {
    expect(rel(regularizedIncompleteBeta(0.3, 2.5, 0.5), 0.018927124071945658)).toBeLessThan(1e-12);
    expect(rel(regularizedGammaP(3.5, 2.0), 0.22022259152428406)).toBeLessThan(1e-12);
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (x, y) => {
      // I_x(1, 1) = x; I_x(a, b) = 1 - I_{1-x}(b, a); P(1, y) = 1 - e^{-y}
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 13);
      expect(regularizedIncompleteBeta(x, 2.5, 7) + regularizedIncompleteBeta(1 - x, 7, 2.5)).toBeCloseTo(1, 12);
      expect(regularizedGammaP(1, y)).toBeCloseTo(-Math.expm1(-y), 13);
      expect(regularizedGammaP(4.2, y) + regularizedGammaQ(4.2, y)).toBeCloseTo(1, 13);
    }));
  });
});

describe('distributions', () => {
  it('normal CDF and quantile', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(rel(normalCdf(1.96), 0.9750021048517795)).toBeLessThan(1e-13);
    expect(rel(normalCdf(-3), 0.0013498980316300933)).toBeLessThan(1e-12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    fc.assert(fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
      expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 14);
    }));
  });

  it('Student t CDF, p-value and quantile', () => {
    expect(rel(studentTCdf(2.0, 5), 0.9490302605850708)).toBeLessThan(1e-12);
    expect(rel(studentTCdf(-1.5, 3.7), 0.10679908460100675)).toBeLessThan(1e-12);
    expect(studentTTwoSidedPValue(2.0, 5)).toBeCloseTo(2 * (1 - 0.9490302605850708), 13);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 10);
    // t with 1 degree of freedom is Cauchy: F(t) = 1/2 + atan(t)/pi
    fc.assert(fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (t) => {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
    }));
  });

  it('chi-square CDF and quantiles', () => {
    expect(chiSquareQuantile(0.025, 9)).toBeCloseTo(2.7003894999803584, 10);
    expect(chiSquareQuantile(0.975, 9)).toBeCloseTo(19.02276779864163, 10);
    // k = 2: F(x) = 1 - e^{-x/2}
    expect(chiSquareCdf(3, 2)).toBeCloseTo(1 - Math.exp(-1.5), 14);
    fc.assert(fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, k) => {
      expect(chiSquareCdf(chiSquareQuantile(p, k), k)).toBeCloseTo(p, 10);
    }));
  });
});
