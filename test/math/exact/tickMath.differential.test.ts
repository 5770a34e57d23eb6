/**
 * Differential test: our TickMath against @uniswap/v3-sdk's TickMath (JSBI), which v4-sdk's Pool
 * uses and whose algorithm v4-core's TickMath.sol keeps unchanged.
 */
import { TickMath as SdkTickMath } from '@uniswap/v3-sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getSqrtPriceAtTick, getTickAtSqrtPrice } from '../../../src/math/index.js';
import { sqrtPriceArb, tickArb } from './arbitraries.js';
import { fromJSBI, toJSBI } from './jsbi.js';

const CASES = 10_000;

describe('TickMath vs @uniswap/v3-sdk', () => {
  it(`getSqrtPriceAtTick is identical on ${CASES} random ticks`, () => {
    let n = 0;
    fc.assert(
      fc.property(tickArb, (tick) => {
        expect(getSqrtPriceAtTick(tick)).toBe(fromJSBI(SdkTickMath.getSqrtRatioAtTick(tick)));
        n++;
      }),
      { numRuns: CASES },
    );
    console.log(`[differential] TickMath.getSqrtPriceAtTick: ${n} cases identical to v3-sdk`);
    expect(n).toBeGreaterThanOrEqual(CASES);
  });

  it(`getTickAtSqrtPrice is identical on ${CASES} random sqrt prices`, () => {
    let n = 0;
    fc.assert(
      fc.property(sqrtPriceArb, (p) => {
        expect(getTickAtSqrtPrice(p)).toBe(SdkTickMath.getTickAtSqrtRatio(toJSBI(p)));
        n++;
      }),
      { numRuns: CASES },
    );
    console.log(`[differential] TickMath.getTickAtSqrtPrice: ${n} cases identical to v3-sdk`);
    expect(n).toBeGreaterThanOrEqual(CASES);
  });
});
