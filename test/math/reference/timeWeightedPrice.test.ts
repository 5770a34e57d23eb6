import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { geometricTwap, TimeWeightedPrice, type PriceObservation } from '../../../src/math/timeWeightedPrice.js';

const price = fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true });
/** Observations at increasing times from 0, the first at 0. */
const path = fc.array(fc.tuple(fc.integer({ min: 1, max: 60_000 }), price), { minLength: 1, maxLength: 30 }).map((steps) => {
  let t = 0;
  return steps.map(([dt, p], i): PriceObservation => {
    if (i > 0) t += dt;
    return { at: t, price: p };
  });
});
const close = (a: number, b: number): boolean => Math.abs(Math.log(a / b)) <= 1e-9;

describe('geometric TWAP', () => {
  it('a known case: 100 for 90 s then 400 for 30 s over 120 s = 100^0.75 · 400^0.25', () => {
    const twap = geometricTwap([{ at: 0, price: 100 }, { at: 90_000, price: 400 }], 120_000, 120_000)!;
    expect(twap).toBeCloseTo(Math.pow(100, 0.75) * Math.pow(400, 0.25), 9);
  });

  it('is null until the observations cover the window, and the covered part counts from the window start', () => {
    expect(geometricTwap([{ at: 10, price: 5 }], 100, 100)).toBeNull();
    expect(geometricTwap([{ at: 0, price: 5 }], 100, 100)).toBeCloseTo(5, 12);
    // what held before the window does not count
    expect(geometricTwap([{ at: 0, price: 1 }, { at: 50, price: 8 }], 200, 100)).toBeCloseTo(8, 12);
  });

  it('lies within the prices that held during the window', () => {
    fc.assert(fc.property(path, fc.integer({ min: 1, max: 600_000 }), (obs, window) => {
      const now = obs[obs.length - 1]!.at + 1;
      const twap = geometricTwap(obs, now, window);
      if (obs[0]!.at > now - window) return twap === null;
      const from = now - window;
      const held = obs.filter((o, i) => (obs[i + 1]?.at ?? now) > from).map((o) => o.price);
      return twap !== null && twap >= Math.min(...held) * (1 - 1e-12) && twap <= Math.max(...held) * (1 + 1e-12);
    }));
  });

  it('scales with the prices and inverts with them (either token order reads the same)', () => {
    fc.assert(fc.property(path, fc.integer({ min: 1, max: 600_000 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (obs, window, k) => {
      const now = obs[obs.length - 1]!.at + window;
      const twap = geometricTwap(obs, now, window)!;
      const scaled = geometricTwap(obs.map((o) => ({ ...o, price: o.price * k })), now, window)!;
      const inverse = geometricTwap(obs.map((o) => ({ ...o, price: 1 / o.price })), now, window)!;
      return close(scaled, twap * k) && close(inverse, 1 / twap);
    }));
  });

  it('a push to k·p for d ms moves the TWAP by k^(d/W) at most: a flash push cannot move it far', () => {
    fc.assert(fc.property(price, fc.double({ min: 1.001, max: 100, noNaN: true }), fc.integer({ min: 1, max: 120_000 }), fc.integer({ min: 1, max: 120_000 }), (p, k, window, d0) => {
      const d = Math.min(d0, window);
      const now = 10 * window;
      const pushed = geometricTwap([{ at: 0, price: p }, { at: now - d, price: p * k }], now, window)!;
      const pushedAndBack = geometricTwap([{ at: 0, price: p }, { at: now - 2 * d, price: p * k }, { at: now - d, price: p }], now, window)!;
      const bound = Math.pow(k, d / window);
      return pushed <= p * bound * (1 + 1e-9) && pushed >= p && pushedAndBack <= p * bound * (1 + 1e-9) && pushedAndBack >= p * (1 - 1e-12);
    }));
  });

  it('the incremental TWAP equals the TWAP of the whole history (pruning keeps what the window needs)', () => {
    fc.assert(fc.property(path, fc.integer({ min: 1, max: 200_000 }), (obs, window) => {
      const t = new TimeWeightedPrice(window);
      for (const o of obs) t.observe(o.at, o.price);
      const now = obs[obs.length - 1]!.at + 7;
      const whole = geometricTwap(obs, now, window);
      const incremental = t.value(now);
      return whole === null ? incremental === null : incremental !== null && close(incremental, whole);
    }));
  });

  it('refuses a bad price or window with a typed error', () => {
    expect(() => geometricTwap([{ at: 0, price: 0 }], 1, 1)).toThrow(AnalyticsInputError);
    expect(() => new TimeWeightedPrice(0)).toThrow(AnalyticsInputError);
    expect(() => new TimeWeightedPrice(10).observe(0, Number.NaN)).toThrow(AnalyticsInputError);
  });
});
