import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  MathDomainError} from '../../../src/math/index.js';
import {
  MAX_UINT128,
  getAmount0Delta,
  getAmount0ForLiquidity,
  getAmount1Delta,
  getAmount1ForLiquidity,
  getAmountsForLiquidity,
  getLiquidityForAmount0,
  getLiquidityForAmount1,
  getLiquidityForAmounts,
} from '../../../src/math/index.js';
import { liquidityArb, logUniformBigInt, sqrtPriceArb } from './arbitraries.js';
import { SQRT_PRICE_1_1, SQRT_PRICE_2_1, codeOf } from './solidityFixtures.js';

const rangeArb = fc.tuple(sqrtPriceArb, sqrtPriceArb, sqrtPriceArb).filter(([, a, b]) => a !== b);

describe('LiquidityAmounts properties', () => {
  it('amounts for a liquidity are SqrtPriceMath deltas rounded down, split at the current price', () => {
    fc.assert(
      fc.property(rangeArb, liquidityArb(), ([p, a, b], l) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(getAmount0ForLiquidity(a, b, l)).toBe(getAmount0Delta(a, b, l, false));
        expect(getAmount1ForLiquidity(a, b, l)).toBe(getAmount1Delta(a, b, l, false));
        const { amount0, amount1 } = getAmountsForLiquidity(p, a, b, l);
        if (p <= lo) expect([amount0, amount1]).toEqual([getAmount0Delta(lo, hi, l, false), 0n]);
        else if (p < hi) expect([amount0, amount1]).toEqual([getAmount0Delta(p, hi, l, false), getAmount1Delta(lo, p, l, false)]);
        else expect([amount0, amount1]).toEqual([0n, getAmount1Delta(lo, hi, l, false)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('the liquidity funded by some amounts never needs more than those amounts, and grows with them', () => {
    fc.assert(
      fc.property(rangeArb, logUniformBigInt(128), logUniformBigInt(128), logUniformBigInt(64), ([p, a, b], x0, x1, extra) => {
        let l: bigint;
        try {
          l = getLiquidityForAmounts(p, a, b, x0, x1);
        } catch (e) {
          expect((e as MathDomainError).code).toBe('OVERFLOW');
          return;
        }
        const [lo, hi] = a < b ? [a, b] : [b, a];
        // what minting l costs on chain (rounded up, Pool.modifyLiquidity) is within the amounts
        const need0 = p < hi ? getAmount0Delta(p > lo ? p : lo, hi, l, true) : 0n;
        const need1 = p > lo ? getAmount1Delta(lo, p < hi ? p : hi, l, true) : 0n;
        expect(need0 <= x0).toBe(true);
        expect(need1 <= x1).toBe(true);
        try {
          expect(getLiquidityForAmounts(p, a, b, x0 + extra, x1 + extra) >= l).toBe(true);
        } catch (e) {
          expect((e as MathDomainError).code).toBe('OVERFLOW');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('hand-checked values and errors', () => {
    // [1, 2] in price, i.e. sqrt 1 .. sqrt 2: L for 1 token0 below the range = 1·√1·√2/(√2 − √1) = 3.414...
    expect(getLiquidityForAmount0(SQRT_PRICE_1_1, SQRT_PRICE_2_1, 10n ** 18n)).toBe(3414213562373095048n);
    expect(getLiquidityForAmount1(SQRT_PRICE_1_1, SQRT_PRICE_2_1, 10n ** 18n)).toBe(2414213562373095048n);
    expect(getLiquidityForAmounts(SQRT_PRICE_1_1 - 1n, SQRT_PRICE_1_1, SQRT_PRICE_2_1, 10n ** 18n, 0n)).toBe(3414213562373095048n);
    expect(getLiquidityForAmounts(SQRT_PRICE_2_1, SQRT_PRICE_1_1, SQRT_PRICE_2_1, 0n, 10n ** 18n)).toBe(2414213562373095048n);
    expect(codeOf(() => getLiquidityForAmount0(SQRT_PRICE_1_1, SQRT_PRICE_1_1, 1n))).toBe('DIVISION_BY_ZERO');
    expect(codeOf(() => getLiquidityForAmount1(SQRT_PRICE_1_1, SQRT_PRICE_2_1, MAX_UINT128 * 2n))).toBe('OVERFLOW');
    expect(codeOf(() => getAmount0ForLiquidity(0n, SQRT_PRICE_1_1, 1n))).toBe('ZERO_PRICE');
  });
});
