import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  MathDomainError} from '../../../src/math/index.js';
import {
  MAX_SQRT_PRICE,
  MAX_TICK,
  MAX_TICK_SPACING,
  MIN_SQRT_PRICE,
  MIN_TICK,
  getSqrtPriceAtTick,
  getSqrtPriceAtTickStepwise,
  getTickAtSqrtPrice,
  getTickAtSqrtPriceLog2,
  maxUsableTick,
  minUsableTick,
} from '../../../src/math/index.js';
import { sqrtPriceArb, tickArb } from './arbitraries.js';
import { codeOf } from './solidityFixtures.js';

describe('TickMath fast paths equal the line-by-line translations', () => {
  it('getSqrtPriceAtTick (low-bits table) equals the step-by-step translation on every tick', () => {
    let mismatches = 0;
    for (let tick = MIN_TICK; tick <= MAX_TICK; tick++) {
      if (getSqrtPriceAtTick(tick) !== getSqrtPriceAtTickStepwise(tick)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('getTickAtSqrtPrice (float estimate, exact settle) equals the fixed-point log2 translation', () => {
    fc.assert(
      fc.property(sqrtPriceArb, (p) => {
        expect(getTickAtSqrtPrice(p)).toBe(getTickAtSqrtPriceLog2(p));
      }),
      { numRuns: 10_000 },
    );
    // at and around the price of every 7th tick, where a wrong bracket would show
    for (let tick = MIN_TICK; tick < MAX_TICK; tick += 7) {
      const p = getSqrtPriceAtTick(tick);
      for (const q of tick === MIN_TICK ? [p, p + 1n] : [p - 1n, p, p + 1n]) {
        if (getTickAtSqrtPrice(q) !== getTickAtSqrtPriceLog2(q)) expect.unreachable(`tick ${tick}: ${q}`);
      }
    }
    expect(codeOf(() => getTickAtSqrtPriceLog2(MAX_SQRT_PRICE))).toBe('SQRT_PRICE_OUT_OF_BOUNDS');
  });
});

describe('TickMath properties', () => {
  it('getTickAtSqrtPrice inverts getSqrtPriceAtTick, and the next price belongs to the next tick (TickMath.t.sol relation)', () => {
    fc.assert(
      fc.property(tickArb, (tick) => {
        const price = getSqrtPriceAtTick(tick);
        // MAX_SQRT_PRICE itself is excluded from getTickAtSqrtPrice's domain
        if (tick < MAX_TICK) expect(getTickAtSqrtPrice(price)).toBe(tick);
        if (tick < MAX_TICK) {
          const next = getSqrtPriceAtTick(tick + 1);
          expect(next > price).toBe(true);
          expect(getTickAtSqrtPrice(next - 1n)).toBe(tick);
          if (tick + 1 < MAX_TICK) expect(getTickAtSqrtPrice(next)).toBe(tick + 1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('getTickAtSqrtPrice returns the greatest tick whose price is <= the input, and is monotone', () => {
    fc.assert(
      fc.property(sqrtPriceArb, sqrtPriceArb, (p, q) => {
        const t = getTickAtSqrtPrice(p);
        expect(getSqrtPriceAtTick(t) <= p).toBe(true);
        expect(t === MAX_TICK || getSqrtPriceAtTick(t + 1) > p).toBe(true);
        if (p <= q) expect(getTickAtSqrtPrice(p) <= getTickAtSqrtPrice(q)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('getSqrtPriceAtTick is strictly increasing and approximates sqrt(1.0001^tick)·2^96 within 1 pip (TickMath.t.sol)', () => {
    fc.assert(
      fc.property(tickArb, tickArb, (a, b) => {
        if (a < b) expect(getSqrtPriceAtTick(a) < getSqrtPriceAtTick(b)).toBe(true);
        if (Math.abs(a) < 400_000) {
          const exact = Math.pow(1.0001, a / 2) * 2 ** 96;
          const ours = Number(getSqrtPriceAtTick(a));
          expect(Math.abs(ours - exact) / exact).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reproduces TickMath.t.sol vectors', () => {
    expect(MIN_TICK).toBe(-MAX_TICK);
    expect(getSqrtPriceAtTick(MIN_TICK)).toBe(MIN_SQRT_PRICE);
    expect(getSqrtPriceAtTick(MIN_TICK)).toBe(4295128739n);
    expect(getSqrtPriceAtTick(MIN_TICK + 1)).toBe(4295343490n);
    expect(getSqrtPriceAtTick(MAX_TICK)).toBe(MAX_SQRT_PRICE);
    expect(getSqrtPriceAtTick(MAX_TICK - 1)).toBe(1461373636630004318706518188784493106690254656249n);
    expect(getTickAtSqrtPrice(MIN_SQRT_PRICE)).toBe(MIN_TICK);
    expect(getTickAtSqrtPrice(4295343490n)).toBe(MIN_TICK + 1);
    expect(getTickAtSqrtPrice(MAX_SQRT_PRICE - 1n)).toBe(MAX_TICK - 1);
    expect(getTickAtSqrtPrice(1461373636630004318706518188784493106690254656249n)).toBe(MAX_TICK - 1);
    expect(getSqrtPriceAtTick(0)).toBe(1n << 96n);
  });

  it('throws TICK_OUT_OF_BOUNDS / SQRT_PRICE_OUT_OF_BOUNDS with the offending value', () => {
    expect(codeOf(() => getSqrtPriceAtTick(MIN_TICK - 1))).toBe('TICK_OUT_OF_BOUNDS');
    expect(codeOf(() => getSqrtPriceAtTick(MAX_TICK + 1))).toBe('TICK_OUT_OF_BOUNDS');
    expect(codeOf(() => getSqrtPriceAtTick(-8388608))).toBe('TICK_OUT_OF_BOUNDS'); // int24 min
    expect(codeOf(() => getSqrtPriceAtTick(1.5))).toBe('TICK_OUT_OF_BOUNDS');
    expect(codeOf(() => getSqrtPriceAtTick(Number.NaN))).toBe('TICK_OUT_OF_BOUNDS');
    expect(codeOf(() => getTickAtSqrtPrice(MIN_SQRT_PRICE - 1n))).toBe('SQRT_PRICE_OUT_OF_BOUNDS');
    expect(codeOf(() => getTickAtSqrtPrice(MAX_SQRT_PRICE))).toBe('SQRT_PRICE_OUT_OF_BOUNDS');
    expect(codeOf(() => getTickAtSqrtPrice(0n))).toBe('SQRT_PRICE_OUT_OF_BOUNDS');
    try {
      getSqrtPriceAtTick(MAX_TICK + 1);
    } catch (e) {
      expect((e as MathDomainError).value).toBe(MAX_TICK + 1);
      expect((e as Error).message).toContain(String(MAX_TICK + 1));
    }
  });

  it('maxUsableTick / minUsableTick are the extreme multiples of the spacing inside the tick bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_TICK_SPACING }), (s) => {
        const max = maxUsableTick(s);
        const min = minUsableTick(s);
        expect(max % s).toBe(0);
        expect(max <= MAX_TICK && max + s > MAX_TICK).toBe(true);
        expect(min).toBe(-max);
      }),
      { numRuns: 500 },
    );
    expect(maxUsableTick(60)).toBe(887220);
    expect(minUsableTick(60)).toBe(-887220);
    expect(codeOf(() => maxUsableTick(0))).toBe('INVALID_TICK_SPACING');
    expect(codeOf(() => minUsableTick(MAX_TICK_SPACING + 1))).toBe('INVALID_TICK_SPACING');
  });
});
