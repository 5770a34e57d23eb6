import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import {
  LOG_TICK_BASE, tickDistanceToPriceRatio, humanPriceToTick, humanToRawPrice, priceToTick, rawToHumanPrice, sqrtPriceX96ToPrice, tickToHumanPrice,
  tickToPrice, usableTickBounds,
} from '../../../src/math/priceTick.js';

const MIN_TICK = -887272;
const MAX_TICK = 887272;

describe('price <-> tick (float64)', () => {
  it('tick -> price -> tick is the identity on every valid tick sampled', () => {
    fc.assert(fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK }), (tick) => {
      expect(priceToTick(tickToPrice(tick))).toBe(tick);
    }), { numRuns: 5000 });
    for (const t of [MIN_TICK, MIN_TICK + 1, -1, 0, 1, MAX_TICK - 1, MAX_TICK]) expect(priceToTick(tickToPrice(t))).toBe(t);
  });

  it('price -> tick -> price lands within one tick below the price (floor)', () => {
    fc.assert(fc.property(fc.double({ min: -88, max: 88, noNaN: true }), (lnPrice) => {
      const price = Math.exp(lnPrice);
      const tick = priceToTick(price);
      expect(tickToPrice(tick)).toBeLessThanOrEqual(price);
      expect(tickToPrice(tick + 1)).toBeGreaterThan(price);
    }), { numRuns: 5000 });
  });

  it('is monotone: a higher price never gives a lower tick', () => {
    fc.assert(fc.property(fc.double({ min: -87, max: 87, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (lnPrice, step) => {
        expect(priceToTick(Math.exp(lnPrice + step))).toBeGreaterThanOrEqual(priceToTick(Math.exp(lnPrice)));
      }));
  });

  it('matches known prices', () => {
    expect(tickToPrice(0)).toBe(1);
    expect(tickToPrice(1)).toBeCloseTo(1.0001, 15);
    expect(priceToTick(1)).toBe(0);
    expect(priceToTick(0.99999999)).toBe(-1);
    // ln(2)/ln(1.0001) = 6931.8183...: tick 6931
    expect(priceToTick(2)).toBe(6931);
    expect(tickDistanceToPriceRatio(0.5)).toBeCloseTo(Math.sqrt(1.0001), 15);
    expect(tickDistanceToPriceRatio(-6931.8183) * 2).toBeCloseTo(1, 4);
    expect(LOG_TICK_BASE).toBe(Math.log1p(0.0001));
  });

  it('applies token decimals: USDC(6)/WETH(18) pool at 1 ETH = 2000 USDC', () => {
    // token0 = USDC (6), token1 = WETH (18): human price = WETH per USDC = 1/2000
    const raw = humanToRawPrice(1 / 2000, 6, 18);
    expect(raw).toBeCloseTo(5e8, 3); // 5e-4 WETH/USDC * 1e18 wei / 1e6 units
    expect(rawToHumanPrice(raw, 6, 18)).toBeCloseTo(1 / 2000, 15);
    const tick = humanPriceToTick(1 / 2000, 6, 18);
    expect(tickToHumanPrice(tick, 6, 18)).toBeLessThanOrEqual(1 / 2000);
    expect(tickToHumanPrice(tick + 1, 6, 18)).toBeGreaterThan(1 / 2000);
    // ln(5e8)/ln(1.0001) = 200311.4...
    expect(tick).toBe(200311);
  });

  it('human <-> raw round trip', () => {
    fc.assert(fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 24 }), (lnHuman, d0, d1) => {
        const human = Math.exp(lnHuman);
        const back = rawToHumanPrice(humanToRawPrice(human, d0, d1), d0, d1);
        expect(Math.abs(back / human - 1)).toBeLessThan(1e-14);
      }));
  });

  it('converts sqrtPriceX96 to a raw price', () => {
    const q96 = 2n ** 96n;
    expect(sqrtPriceX96ToPrice(q96)).toBe(1);
    expect(sqrtPriceX96ToPrice(2n * q96)).toBe(4);
    expect(sqrtPriceX96ToPrice(q96 / 4n)).toBe(1 / 16);
    // MIN_SQRT_PRICE = getSqrtPriceAtTick(MIN_TICK), MAX_SQRT_PRICE = getSqrtPriceAtTick(MAX_TICK)
    expect(sqrtPriceX96ToPrice(4295128739n) / tickToPrice(MIN_TICK) - 1).toBeLessThan(1e-9);
    expect(Math.abs(sqrtPriceX96ToPrice(1461446703485210103287273052203988822378723970342n) / tickToPrice(MAX_TICK) - 1))
      .toBeLessThan(1e-9);
  });

  it('rejects out-of-domain inputs with the offending value', () => {
    const cases: [() => unknown, unknown][] = [
      [() => tickToPrice(MAX_TICK + 1), MAX_TICK + 1],
      [() => tickToPrice(0.5), 0.5],
      [() => priceToTick(0), 0],
      [() => priceToTick(-1), -1],
      [() => priceToTick(Number.NaN), Number.NaN],
      [() => priceToTick(1e50), 1e50],
      [() => sqrtPriceX96ToPrice(0n), 0n],
      [() => rawToHumanPrice(1, 6.5, 18), 6.5],
      [() => usableTickBounds(0), 0],
    ];
    for (const [fn, value] of cases) {
      try {
        fn();
        expect.unreachable(`expected a throw for ${String(value)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsInputError);
        expect((e as AnalyticsInputError).value).toEqual(value);
      }
    }
  });

  it('usable tick bounds are the extreme multiples of the spacing', () => {
    expect(usableTickBounds(60)).toEqual({ minUsableTick: -887220, maxUsableTick: 887220 });
    expect(usableTickBounds(1)).toEqual({ minUsableTick: MIN_TICK, maxUsableTick: MAX_TICK });
  });
});
