import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Token } from '@uniswap/sdk-core';
import { Pool, Position } from '@uniswap/v4-sdk';
import { toJSBI } from '../../math/exact/jsbi.js';
import { getSqrtPriceAtTick, getTickAtSqrtPrice, MAX_SQRT_PRICE, MIN_SQRT_PRICE } from '../../../src/math/index.js';
import { isqrt, maxAmountsForAdd, minAmountsForRemove, principalAmounts, priceBand, SlippageToleranceError } from '../../../src/adapters/chain/positions/positionAmounts.js';

const spacing = 60;
const range = fc.tuple(fc.integer({ min: -14000, max: 14000 }), fc.integer({ min: 1, max: 400 })).map(([lo, w]) => [lo * spacing, (lo + w) * spacing] as const).filter(([lo, hi]) => lo >= -887220 && hi <= 887220);
const sqrtPrice = fc.bigInt({ min: getSqrtPriceAtTick(-800000), max: getSqrtPriceAtTick(800000) });
const liquidity = fc.bigInt({ min: 1n, max: (1n << 100n) });
const priceOf = (s: bigint) => ({ sqrtPriceX96: s, tick: getTickAtSqrtPrice(s) });

const T0 = new Token(1, '0x' + '11'.repeat(20), 18);
const T1 = new Token(1, '0x' + '22'.repeat(20), 18);

describe('position amounts', () => {
  it('mint amounts equal the v4-sdk Position.mintAmounts (rounded up), burn amounts its amount0/amount1 (rounded down)', () => {
    fc.assert(fc.property(range, sqrtPrice, liquidity, ([lo, hi], s, L) => {
      const price = priceOf(s);
      const pool = new Pool(T0, T1, 3000, spacing, '0x0000000000000000000000000000000000000000', toJSBI(s), toJSBI(0n), price.tick);
      const pos = new Position({ pool, tickLower: lo, tickUpper: hi, liquidity: toJSBI(L) });
      const mint = principalAmounts(price, lo, hi, L, true);
      const ref = pos.mintAmounts;
      expect(mint.amount0.toString()).toBe(ref.amount0.toString());
      expect(mint.amount1.toString()).toBe(ref.amount1.toString());
      const burn = principalAmounts(price, lo, hi, L, false);
      expect(burn.amount0.toString()).toBe(pos.amount0.quotient.toString());
      expect(burn.amount1.toString()).toBe(pos.amount1.quotient.toString());
    }), { numRuns: 400 });
  });

  it('bounds hold the exact amounts: max >= mint amounts >= burn amounts >= min, equal at 0 bps', () => {
    fc.assert(fc.property(range, sqrtPrice, liquidity, fc.integer({ min: 0, max: 5000 }), ([lo, hi], s, L, bps) => {
      const price = priceOf(s);
      const add = principalAmounts(price, lo, hi, L, true);
      const rem = principalAmounts(price, lo, hi, L, false);
      const max = maxAmountsForAdd(price, lo, hi, L, bps);
      const min = minAmountsForRemove(price, lo, hi, L, bps);
      expect(max.amount0Max >= add.amount0 && max.amount1Max >= add.amount1).toBe(true);
      expect(rem.amount0 >= min.amount0Min && rem.amount1 >= min.amount1Min).toBe(true);
      const exactMax = maxAmountsForAdd(price, lo, hi, L, 0);
      expect(exactMax).toEqual({ amount0Max: add.amount0, amount1Max: add.amount1 });
      expect(minAmountsForRemove(price, lo, hi, L, 0)).toEqual({ amount0Min: rem.amount0, amount1Min: rem.amount1 });
    }), { numRuns: 400 });
  });

  it('a price anywhere inside the band costs no more than the max bounds', () => {
    fc.assert(fc.property(range, sqrtPrice, liquidity, fc.integer({ min: 1, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true }), ([lo, hi], s, L, bps, t) => {
      const price = priceOf(s);
      const { low, high } = priceBand(price, bps);
      const inside = low.sqrtPriceX96 + ((high.sqrtPriceX96 - low.sqrtPriceX96) * BigInt(Math.floor(t * 1e6))) / 1_000_000n;
      const cost = principalAmounts(priceOf(inside), lo, hi, L, true);
      const max = maxAmountsForAdd(price, lo, hi, L, bps);
      expect(cost.amount0 <= max.amount0Max && cost.amount1 <= max.amount1Max).toBe(true);
      const got = principalAmounts(priceOf(inside), lo, hi, L, false);
      const min = minAmountsForRemove(price, lo, hi, L, bps);
      expect(got.amount0 >= min.amount0Min && got.amount1 >= min.amount1Min).toBe(true);
    }), { numRuns: 300 });
  });

  it('the price band is P(1 ± bps/1e4) in price terms, clamped to valid sqrt prices', () => {
    const p = { sqrtPriceX96: 1n << 96n, tick: 0 };
    const { low, high } = priceBand(p, 100);
    expect(Number(low.sqrtPriceX96 ** 2n * 10_000n / (1n << 192n))).toBe(9899); // floor(0.99 * 1e4) after flooring the sqrt
    expect(Number(high.sqrtPriceX96 ** 2n * 10_000n / (1n << 192n))).toBe(10099);
    expect(priceBand({ sqrtPriceX96: MIN_SQRT_PRICE, tick: -887272 }, 9999).low.sqrtPriceX96).toBe(MIN_SQRT_PRICE);
    expect(priceBand({ sqrtPriceX96: MAX_SQRT_PRICE - 1n, tick: 887271 }, 9999).high.sqrtPriceX96).toBe(MAX_SQRT_PRICE - 1n);
    expect(() => priceBand(p, 10_000)).toThrow(SlippageToleranceError);
    expect(() => priceBand(p, 1.5)).toThrow(SlippageToleranceError);
  });

  it('isqrt is the exact integer square root', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 1n << 400n }), (n) => {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }), { numRuns: 2000 });
  });
});
