import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { liquidityForAmountsFloat } from '../../../src/math/liquidityForAmountsFloat.js';
import { amountsValue, lossVersusHold } from '../../../src/math/lossVersusHold.js';
import { impermanentLoss } from '../../../src/math/impermanentLoss.js';
import { positionAmounts } from '../../../src/math/positionValue.js';
import { rangeCase } from './arbitraries.js';

describe('liquidityForAmountsFloat', () => {
  it('inverts positionAmounts: the liquidity a position holds is what its own amounts fund', () => {
    fc.assert(fc.property(rangeCase, (c) => {
      const amounts = positionAmounts(c);
      const l = liquidityForAmountsFloat(amounts, c.priceLower, c.priceUpper, c.price);
      expect(Math.abs(l - c.liquidity)).toBeLessThanOrEqual(1e-6 * c.liquidity);
    }), { numRuns: 1000 });
  });

  it('never needs more of either token than the budget (inside the range: the scarcer side binds)', () => {
    fc.assert(fc.property(rangeCase, fc.double({ min: 0.01, max: 100, noNaN: true }), (c, extra) => {
      const own = positionAmounts(c);
      const budget = { amount0: own.amount0 * extra, amount1: own.amount1 };
      const l = liquidityForAmountsFloat(budget, c.priceLower, c.priceUpper, c.price);
      const used = positionAmounts({ ...c, liquidity: l });
      expect(used.amount0).toBeLessThanOrEqual(budget.amount0 * (1 + 1e-9));
      expect(used.amount1).toBeLessThanOrEqual(budget.amount1 * (1 + 1e-9));
    }), { numRuns: 1000 });
  });

  it('hand-computed: x = 1, y = 0 below [1, 4] funds L = 1·1·2/(2−1) = 2', () => {
    expect(liquidityForAmountsFloat({ amount0: 1, amount1: 0 }, 1, 4, 0.5)).toBe(2);
    expect(liquidityForAmountsFloat({ amount0: 0, amount1: 3 }, 1, 4, 9)).toBe(3);
  });

  it('refuses negative amounts and a misordered range', () => {
    expect(() => liquidityForAmountsFloat({ amount0: -1, amount1: 0 }, 1, 4, 2)).toThrow(AnalyticsInputError);
    expect(() => liquidityForAmountsFloat({ amount0: 1, amount1: 1 }, 4, 1, 2)).toThrow(AnalyticsInputError);
  });
});

describe('lossVersusHold', () => {
  it('equals impermanentLoss when the baseline is the position\'s own entry amounts on the same range', () => {
    fc.assert(fc.property(rangeCase, fc.double({ min: -3, max: 3, noNaN: true }), (c, logMove) => {
      const entry = positionAmounts(c);
      const price = c.price * Math.exp(logMove);
      const now = positionAmounts({ ...c, price });
      const il = impermanentLoss({ priceLower: c.priceLower, priceUpper: c.priceUpper, entryPrice: c.price, price });
      expect(Math.abs(Math.min(0, lossVersusHold(now, entry, price)) - il)).toBeLessThanOrEqual(1e-9);
    }), { numRuns: 1000 });
  });

  it('hand-computed: 1 token0 + 0 held vs 0 + 3000 at P = 2000 is −1/3; no baseline gives 0', () => {
    expect(amountsValue({ amount0: 1, amount1: 1000 }, 2000)).toBe(3000);
    expect(lossVersusHold({ amount0: 1, amount1: 0 }, { amount0: 0, amount1: 3000 }, 2000)).toBeCloseTo(-1 / 3, 15);
    expect(lossVersusHold({ amount0: 1, amount1: 0 }, { amount0: 0, amount1: 0 }, 2000)).toBe(0);
    expect(() => lossVersusHold({ amount0: 1, amount1: 0 }, { amount0: 1, amount1: 0 }, 0)).toThrow(AnalyticsInputError);
  });
});
