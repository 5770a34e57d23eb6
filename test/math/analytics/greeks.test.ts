import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capitalEfficiency } from '../../../src/math/capitalEfficiency.js';
import { feeApy, SECONDS_PER_YEAR } from '../../../src/math/feeApy.js';
import { positionDelta, positionGamma, positionGreeks } from '../../../src/math/greeks.js';
import { lvrRate, lvrRateFraction } from '../../../src/math/lvr.js';
import { positionValue } from '../../../src/math/positionValue.js';
import { awayFromBounds, rangeCase } from './arbitraries.js';

describe('delta and gamma', () => {
  it('delta equals the central finite difference of value', () => {
    fc.assert(fc.property(rangeCase.filter((c) => awayFromBounds(c, 1e-3)), (c) => {
      const h = c.price * 1e-5;
      const fd = (positionValue({ ...c, price: c.price + h }) - positionValue({ ...c, price: c.price - h })) / (2 * h);
      const scale = c.liquidity / Math.sqrt(Math.min(c.price, c.priceLower)); // natural size of x
      expect(Math.abs(fd - positionDelta(c))).toBeLessThan(1e-6 * scale);
    }), { numRuns: 2000 });
  });

  it('gamma equals the central finite difference of delta (0 outside the range)', () => {
    fc.assert(fc.property(rangeCase.filter((c) => awayFromBounds(c, 1e-3)), (c) => {
      const h = c.price * 1e-5;
      const fd = (positionDelta({ ...c, price: c.price + h }) - positionDelta({ ...c, price: c.price - h })) / (2 * h);
      const gamma = positionGamma(c);
      const scale = c.liquidity / Math.pow(c.price, 1.5);
      expect(Math.abs(fd - gamma)).toBeLessThan(1e-6 * scale);
      if (c.price < c.priceLower || c.price > c.priceUpper) expect(gamma).toBe(0);
      else expect(gamma).toBeLessThan(0);
    }), { numRuns: 2000 });
  });

  it('hand values: L = 1000 on [1, 4] at P = 2.25', () => {
    const g = positionGreeks({ liquidity: 1000, priceLower: 1, priceUpper: 4, price: 2.25 });
    expect(g.delta).toBeCloseTo(1000 / 6, 10);
    expect(g.gamma).toBeCloseTo(-1000 / (2 * 3.375), 10);
  });
});

describe('LVR', () => {
  it('is sigma^2 L sqrt(P) / 4 in range, 0 out of range, and sigma^2 P^2 / 2 * |gamma|', () => {
    fc.assert(fc.property(rangeCase, fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 3, noNaN: true })), (c, sigma) => {
      const rate = lvrRate({ ...c, sigma });
      const gamma = positionGamma(c);
      const expected = (sigma * sigma * c.price * c.price * Math.abs(gamma)) / 2;
      expect(Math.abs(rate - expected)).toBeLessThanOrEqual(1e-12 * expected);
      if (c.price < c.priceLower || c.price >= c.priceUpper) expect(rate).toBe(0);
    }));
    // L = 1e6, P = 4, sigma = 0.5: 0.25 * 1e6 * 2 / 4 = 125000 token1 per year
    expect(lvrRate({ liquidity: 1e6, priceLower: 1, priceUpper: 9, price: 4, sigma: 0.5 })).toBe(125000);
  });

  it('as a fraction of value matches the full-range closed form sigma^2 / 8', () => {
    // full range: V = 2 L sqrt(P), so LVR / V = sigma^2 / 8 (Milionis et al.)
    const f = lvrRateFraction({ liquidity: 5, priceLower: 1e-20, priceUpper: 1e20, price: 3, sigma: 0.8 });
    expect(f).toBeCloseTo(0.64 / 8, 8);
  });
});

describe('capital efficiency', () => {
  it('equals 1 - V / V_full and lies in [0, 1)', () => {
    fc.assert(fc.property(rangeCase, (c) => {
      const ce = capitalEfficiency(c);
      expect(ce.capitalEfficiency).toBeGreaterThanOrEqual(0);
      expect(ce.capitalEfficiency).toBeLessThan(1);
      if (ce.inRange) {
        const v = positionValue(c);
        const vFull = 2 * c.liquidity * Math.sqrt(c.price);
        expect(ce.capitalEfficiency).toBeCloseTo(1 - v / vFull, 9);
        expect(ce.concentrationMultiplier).toBeGreaterThanOrEqual(1);
      } else {
        expect(ce.capitalEfficiency).toBe(0);
        expect(ce.concentrationMultiplier).toBe(0);
      }
    }), { numRuns: 2000 });
  });

  it('hand values: centre of [1, 16] is (1/16)^(1/4) = 0.5; a full range is ~0', () => {
    const ce = capitalEfficiency({ priceLower: 1, priceUpper: 16, price: 4 });
    expect(ce.capitalEfficiency).toBeCloseTo(0.5, 14);
    expect(ce.concentrationMultiplier).toBeCloseTo(2, 12);
    expect(capitalEfficiency({ priceLower: 1e-30, priceUpper: 1e30, price: 1 }).capitalEfficiency).toBeLessThan(1e-14);
    expect(capitalEfficiency({ priceLower: 1, priceUpper: 16, price: 16 }).inRange).toBe(false);
  });
});

describe('fee APY', () => {
  it('annualizes simply (APR) and with compounding (APY) over a 365-day year', () => {
    const week = 7 * 86400;
    const r = feeApy({ fees: 100, positionValue: 100_000, elapsedSeconds: week });
    expect(r.periodReturn).toBe(0.001);
    expect(r.apr).toBeCloseTo(0.001 * (365 / 7), 12);
    expect(r.apy).toBeCloseTo(Math.pow(1.001, 365 / 7) - 1, 12);
    expect(feeApy({ fees: 10, positionValue: 100, elapsedSeconds: SECONDS_PER_YEAR })).toMatchObject({ apr: 0.1 });
    expect(() => feeApy({ fees: -1, positionValue: 1, elapsedSeconds: 1 })).toThrow(/fees/);
    expect(() => feeApy({ fees: 1, positionValue: 1, elapsedSeconds: 0 })).toThrow(/elapsedSeconds/);
  });
});
