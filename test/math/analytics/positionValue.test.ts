import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { positionAmounts, positionValue, valuePerLiquidity } from '../../../src/math/positionValue.js';
import { awayFromBounds, rangeCase } from './arbitraries.js';

describe('position amounts and value (float64)', () => {
  it('value is continuous across both range bounds', () => {
    const delta = 1e-9;
    fc.assert(fc.property(rangeCase, fc.boolean(), (c, atLower) => {
      const bound = atLower ? c.priceLower : c.priceUpper;
      const below = positionValue({ ...c, price: bound * (1 - delta) });
      const above = positionValue({ ...c, price: bound * (1 + delta) });
      // V is Lipschitz with slope x <= x(Pa) = L(1/sqrt(Pa) - 1/sqrt(Pb)): a jump would exceed this
      const maxSlope = c.liquidity * (1 / Math.sqrt(c.priceLower) - 1 / Math.sqrt(c.priceUpper));
      const atBound = positionValue({ ...c, price: bound });
      expect(Math.abs(above - below)).toBeLessThanOrEqual(2.01 * delta * bound * maxSlope + 1e-12 * atBound);
    }), { numRuns: 2000 });
  });

  it('holds only token0 below the range, only token1 above, both inside', () => {
    fc.assert(fc.property(rangeCase, (c) => {
      const { amount0, amount1 } = positionAmounts(c);
      expect(amount0).toBeGreaterThanOrEqual(0);
      expect(amount1).toBeGreaterThanOrEqual(0);
      if (c.price <= c.priceLower) expect(amount1).toBe(0);
      if (c.price >= c.priceUpper) expect(amount0).toBe(0);
      // strictly inside (a few ulps from a bound sqrt() may round a side to exactly 0)
      if (c.price > c.priceLower && c.price < c.priceUpper && awayFromBounds(c, 1e-9)) {
        expect(amount0).toBeGreaterThan(0);
        expect(amount1).toBeGreaterThan(0);
      }
    }), { numRuns: 2000 });
  });

  it('matches a hand-computed position: L = 1000 on [1, 4] at P = 2.25', () => {
    // x = 1000 (1/1.5 - 1/2) = 166.666..., y = 1000 (1.5 - 1) = 500, V = 166.67 * 2.25 + 500 = 875
    const p = { liquidity: 1000, priceLower: 1, priceUpper: 4, price: 2.25 };
    const { amount0, amount1 } = positionAmounts(p);
    expect(amount0).toBeCloseTo(1000 / 6, 10);
    expect(amount1).toBeCloseTo(500, 10);
    expect(positionValue(p)).toBeCloseTo(875, 10);
    expect(valuePerLiquidity(1, 4, 2.25)).toBeCloseTo(0.875, 14);
    // out of range: all token0 below (x = 1000 * (1 - 1/2) = 500), all token1 above (y = 1000)
    expect(positionAmounts({ ...p, price: 0.5 })).toEqual({ amount0: 500, amount1: 0 });
    expect(positionAmounts({ ...p, price: 9 })).toEqual({ amount0: 0, amount1: 1000 });
  });

  it('rejects an inverted range, negative liquidity and NaN price', () => {
    expect(() => positionValue({ liquidity: 1, priceLower: 2, priceUpper: 1, price: 1 })).toThrow(AnalyticsInputError);
    expect(() => positionValue({ liquidity: -1, priceLower: 1, priceUpper: 2, price: 1 })).toThrow(/liquidity/);
    expect(() => positionValue({ liquidity: 1, priceLower: 1, priceUpper: 2, price: Number.NaN })).toThrow(/price/);
  });
});
