import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidPriceError } from '../../src/adapters/chain/devnet/errors.js';
import { quotePriceToSqrtPriceX96, quotePriceToTick, sqrtFloor, sqrtPriceX96ToQuotePrice } from '../../src/adapters/chain/devnet/quotePrice.js';
import { getTickAtSqrtPrice } from '../../src/math/tickMath.js';

const LOW = '0x1000000000000000000000000000000000000001';
const HIGH = '0xf000000000000000000000000000000000000001';

describe('quote price ↔ sqrtPriceX96', () => {
  it('3000 USDC per WETH is raw 3000e6/1e18 when WETH is token0, its inverse when USDC is', () => {
    const wethLow = quotePriceToSqrtPriceX96(3000, { address: LOW, decimals: 18 }, { address: HIGH, decimals: 6 });
    // floor(sqrt(3000e6 / 1e18 · 2^192)), written out with bigint:
    expect(wethLow).toBe(sqrtFloor((3000n * 10n ** 6n * (1n << 192n)) / 10n ** 18n));
    const usdcLow = quotePriceToSqrtPriceX96(3000, { address: HIGH, decimals: 18 }, { address: LOW, decimals: 6 });
    expect(usdcLow).toBe(sqrtFloor((10n ** 18n * (1n << 192n)) / (3000n * 10n ** 6n)));
  });

  it('round-trips through the pool price for both token orders and any decimals', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 0, max: 18 }),
        (price, db, dq) => [true, false].every((baseLow) => {
          const base = { address: baseLow ? LOW : HIGH, decimals: db };
          const quote = { address: baseLow ? HIGH : LOW, decimals: dq };
          const raw = price * 10 ** (dq - db);
          if (raw < 1e-30 || raw > 1e30) return true; // outside v4's sqrt price range
          const s = quotePriceToSqrtPriceX96(price, base, quote);
          const back = sqrtPriceX96ToQuotePrice(s, base, quote);
          expect(Math.abs(back / price - 1)).toBeLessThan(1e-9);
          // The float tick agrees with the exact TickMath tick of the exact sqrt price.
          expect(Math.abs(quotePriceToTick(price, base, quote) - getTickAtSqrtPrice(s))).toBeLessThanOrEqual(1);
          return true;
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('sqrtFloor is the integer square root', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 320n) - 1n }), (n) => {
        const s = sqrtFloor(n);
        expect(s * s <= n).toBe(true);
        expect((s + 1n) * (s + 1n) > n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects non-positive and non-finite prices with the value', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e22]) {
      expect(() => quotePriceToSqrtPriceX96(bad, { address: LOW, decimals: 18 }, { address: HIGH, decimals: 6 })).toThrow(InvalidPriceError);
    }
  });
});
