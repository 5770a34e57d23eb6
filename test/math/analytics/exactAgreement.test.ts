/**
 * The float64 analytics agree with the exact bigint math (Uniswap v4's LiquidityAmounts and
 * TickMath translations): the same position gives the same amounts to ~1e-9 relative.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getAmountsForLiquidity } from '../../../src/math/liquidityAmounts.js';
import { positionAmounts } from '../../../src/math/positionValue.js';
import { sqrtPriceX96ToPrice, tickToPrice } from '../../../src/math/priceTick.js';
import { getSqrtPriceAtTick } from '../../../src/math/tickMath.js';

const tick = fc.integer({ min: -880_000, max: 880_000 });

describe('float analytics vs exact bigint math', () => {
  it('positionAmounts matches getAmountsForLiquidity on random ticks and liquidity', () => {
    fc.assert(fc.property(tick, fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: -60_000, max: 110_000 }),
      fc.bigInt({ min: 1n, max: (1n << 100n) - 1n }), (lower, width, offset, liquidity) => {
        const upper = Math.min(lower + width, 887_272);
        const current = Math.max(-887_272, Math.min(887_272, lower + Math.round((offset / 100_000) * (upper - lower))));
        const sqrtA = getSqrtPriceAtTick(lower);
        const sqrtB = getSqrtPriceAtTick(upper);
        const sqrtP = getSqrtPriceAtTick(current);
        const exact = getAmountsForLiquidity(sqrtP, sqrtA, sqrtB, liquidity);
        const float = positionAmounts({
          liquidity: Number(liquidity),
          priceLower: sqrtPriceX96ToPrice(sqrtA),
          priceUpper: sqrtPriceX96ToPrice(sqrtB),
          price: sqrtPriceX96ToPrice(sqrtP),
        });
        for (const [f, e] of [[float.amount0, exact.amount0], [float.amount1, exact.amount1]] as const) {
          const en = Number(e);
          // exact rounds down (<= 1 unit); float loses ~1e-12 relative to cancellation in narrow ranges
          expect(Math.abs(f - en)).toBeLessThanOrEqual(1e-9 * en + 2);
        }
      }), { numRuns: 3000 });
  });

  it('tickToPrice matches the exact sqrt price squared', () => {
    fc.assert(fc.property(fc.integer({ min: -887_272, max: 887_272 }), (t) => {
      const sqrt = getSqrtPriceAtTick(t);
      const exact = sqrtPriceX96ToPrice(sqrt);
      // the Q64.96 sqrt price is an integer: at very low prices its resolution (1/sqrtPriceX96,
      // doubled by squaring) dominates; elsewhere TickMath and tickToPrice agree to a few ulps
      expect(Math.abs(tickToPrice(t) / exact - 1)).toBeLessThan(1e-14 + 4 / Number(sqrt));
    }), { numRuns: 3000 });
  });
});
