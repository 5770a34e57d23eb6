import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ilMetrics, impermanentLoss } from '../../../src/math/impermanentLoss.js';
import { positionAmounts } from '../../../src/math/positionValue.js';
import { rangeCase } from './arbitraries.js';

describe('impermanent loss vs holding the entry amounts', () => {
  it('is exactly 0 at the entry price', () => {
    fc.assert(fc.property(rangeCase, (c) => {
      expect(impermanentLoss({ ...c, entryPrice: c.price })).toBe(0);
    }), { numRuns: 2000 });
  });

  it('is <= 0 and > -1 everywhere, in and out of range', () => {
    fc.assert(fc.property(rangeCase, fc.double({ min: -6, max: 6, noNaN: true }), (c, logMove) => {
      const il = impermanentLoss({ ...c, entryPrice: c.price, price: c.price * Math.exp(logMove) });
      expect(il).toBeLessThanOrEqual(0);
      expect(il).toBeGreaterThan(-1);
    }), { numRuns: 3000 });
  });

  it('equals the closed form -(sqrt P - sqrt P0)^2 / (sqrt P0 * hold) when both prices are in range', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      fc.double({ min: 0.01, max: 5, noNaN: true }), (u0, u1, logWidth) => {
        const priceLower = 3;
        const priceUpper = 3 * Math.exp(logWidth);
        const entryPrice = priceLower * Math.exp(u0 * logWidth);
        const price = priceLower * Math.exp(u1 * logWidth);
        const { amount0, amount1 } = positionAmounts({ liquidity: 1, priceLower, priceUpper, price: entryPrice });
        const hold = amount0 * price + amount1;
        const expected = -((Math.sqrt(price) - Math.sqrt(entryPrice)) ** 2) / (Math.sqrt(entryPrice) * hold);
        const il = impermanentLoss({ priceLower, priceUpper, entryPrice, price });
        expect(Math.abs(il - expected)).toBeLessThan(1e-12);
      }), { numRuns: 2000 });
  });

  it('is not -100% out of range: hand value for [0.8, 1.25], entry 1, price 2', () => {
    // x0 = 1 - 1/sqrt(1.25), y0 = 1 - sqrt(0.8); above the range V = sqrt(1.25) - sqrt(0.8)
    const x0 = 1 - 1 / Math.sqrt(1.25);
    const y0 = 1 - Math.sqrt(0.8);
    const expected = (Math.sqrt(1.25) - Math.sqrt(0.8)) / (2 * x0 + y0) - 1; // = -0.29398...
    const il = impermanentLoss({ priceLower: 0.8, priceUpper: 1.25, entryPrice: 1, price: 2 });
    expect(il).toBeCloseTo(expected, 14);
    expect(il).toBeCloseTo(-0.29398, 4);
  });

  it('reduces to the full-range (v2) formula 2 sqrt(k) / (1 + k) - 1 for a very wide range', () => {
    for (const k of [0.25, 0.5, 2, 4]) {
      const il = impermanentLoss({ priceLower: 1e-16, priceUpper: 1e16, entryPrice: 1, price: k });
      expect(il).toBeCloseTo((2 * Math.sqrt(k)) / (1 + k) - 1, 7);
    }
  });

  it('refuses a range too narrow for float64 instead of returning NaN', () => {
    const pa = 1;
    const pb = 1 + Number.EPSILON; // sqrt(pb) rounds to sqrt(pa)
    expect(() => impermanentLoss({ priceLower: pa, priceUpper: pb, entryPrice: 1, price: 2 })).toThrow(/too narrow/);
  });

  it('ILMetrics: losses negative, netIL = ilUSD + fees, USD from token1 decimals and price', () => {
    // USDC token1 (6 decimals) at $1; L on [0.8, 1.25] x 1e12 raw, entry 1e12, price 2e12
    const m = ilMetrics({
      liquidity: 1e9, priceLower: 0.8e12, priceUpper: 1.25e12, entryPrice: 1e12, price: 2e12,
      token1Decimals: 6, token1PriceUsd: 1, feesEarnedUsd: 100,
    });
    const il = impermanentLoss({ priceLower: 0.8e12, priceUpper: 1.25e12, entryPrice: 1e12, price: 2e12 });
    expect(m.ilPercent).toBeCloseTo(il * 100, 12);
    expect(m.priceRatio).toBe(2);
    const entry = positionAmounts({ liquidity: 1e9, priceLower: 0.8e12, priceUpper: 1.25e12, price: 1e12 });
    expect(m.holdValueUsd).toBeCloseTo((entry.amount0 * 2e12 + entry.amount1) / 1e6, 6);
    expect(m.ilUSD).toBeLessThan(0);
    expect(m.ilUSD).toBeCloseTo(m.positionValueUsd - m.holdValueUsd, 6);
    expect(m.netIL).toBeCloseTo(m.ilUSD + 100, 9);
    expect(m.feesEarned).toBe(100);
  });
});
