/**
 * The simulated pool's price conversion: sqrtPriceX96 = floor(sqrt(human · 10^(d1 − d0)) · 2^96)
 * exactly for the float64 given, so the pool starts and moves exactly where it is told.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { humanPriceToTick } from '../../src/math/priceTick.js';
import { getTickAtSqrtPrice } from '../../src/math/tickMath.js';
import { humanPriceToSqrtPriceX96, sqrtPriceX96ToHumanPrice } from '../../src/sim/humanSqrtPrice.js';
import { SimulatedTxError } from '../../src/sim/simulatedChain.js';

/** x as an exact fraction num/den (a different route from the module's: through log2). */
function exactFraction(x: number): { num: bigint; den: bigint } {
  let e = Math.floor(Math.log2(x)) - 52;
  let m = x / 2 ** e;
  while (!Number.isInteger(m)) {
    e -= 1;
    m = x / 2 ** e;
  }
  return e >= 0 ? { num: BigInt(m) << BigInt(e), den: 1n } : { num: BigInt(m), den: 1n << BigInt(-e) };
}

describe('humanPriceToSqrtPriceX96', () => {
  it('is floor(sqrt(raw price) · 2^96), exactly', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 24 }), (human, d0, d1) => {
        const s = humanPriceToSqrtPriceX96(human, d0, d1);
        const { num, den } = exactFraction(human);
        // raw · 2^192 = num · 10^(d1−d0) · 2^192 / den
        const n = num * 10n ** BigInt(Math.max(d1 - d0, 0)) << 192n;
        const d = den * 10n ** BigInt(Math.max(d0 - d1, 0));
        expect(s * s * d <= n).toBe(true);
        expect((s + 1n) * (s + 1n) * d > n).toBe(true);
        // back to a float: off by the floor (one unit of sqrtPriceX96) and float rounding
        expect(Math.abs(sqrtPriceX96ToHumanPrice(s, d0, d1) / human - 1)).toBeLessThan(1e-12 + 4 / Number(s));
      }),
    );
  });

  it('gives exact values and the tick of the price', () => {
    expect(humanPriceToSqrtPriceX96(1, 18, 18)).toBe(1n << 96n);
    expect(humanPriceToSqrtPriceX96(4, 6, 6)).toBe(2n << 96n);
    expect(humanPriceToSqrtPriceX96(1, 6, 18)).toBe(10n ** 6n << 96n);
    expect(getTickAtSqrtPrice(humanPriceToSqrtPriceX96(3000, 18, 6))).toBe(humanPriceToTick(3000, 18, 6));
  });

  it('refuses prices that are not positive finite numbers', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => humanPriceToSqrtPriceX96(bad, 18, 6)).toThrow(SimulatedTxError);
  });
});
