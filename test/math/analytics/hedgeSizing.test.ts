import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { sizeHedge, type HedgeSizingInput } from '../../../src/math/hedgeSizing.js';

const base: HedgeSizingInput = {
  delta: 10, markPrice: 2000, positionValueUsd: 50_000, currentHedgeSize: 0, maxHedgeRatio: 0.8,
};

describe('hedge sizing', () => {
  it('a long LP delta is hedged short, uncapped when under maxHedgeRatio', () => {
    const h = sizeHedge(base);
    expect(h.targetSize).toBe(-10);
    expect(h.side).toBe('short');
    expect(h.targetNotionalUsd).toBe(20_000);
    expect(h.capped).toBe(false);
    expect(h.action).toEqual({ kind: 'increase', orderSide: 'sell', amount: 10 });
  });

  it('caps the notional at maxHedgeRatio x position value', () => {
    const h = sizeHedge({ ...base, positionValueUsd: 20_000 }); // cap 16,000 USD = 8 ETH
    expect(h.capped).toBe(true);
    expect(h.targetSize).toBe(-8);
    expect(h.capNotionalUsd).toBe(16_000);
    expect(h.uncappedNotionalUsd).toBe(20_000);
  });

  it('uses the 5% tolerance band of the target: inside -> no action, outside -> trade the difference', () => {
    expect(sizeHedge({ ...base, currentHedgeSize: -9.6 }).action).toBeNull(); // off by 0.4 <= 0.5
    const out = sizeHedge({ ...base, currentHedgeSize: -9.4 }); // off by 0.6 > 0.5
    expect(out.action?.orderSide).toBe('sell');
    expect(out.action?.amount).toBeCloseTo(0.6, 12);
    const over = sizeHedge({ ...base, currentHedgeSize: -12 });
    expect(over.action).toEqual({ kind: 'decrease', orderSide: 'buy', amount: 2 });
    expect(sizeHedge({ ...base, delta: -3, currentHedgeSize: -2 }).action).toEqual({ kind: 'flip', orderSide: 'buy', amount: 5 });
    expect(sizeHedge({ ...base, delta: 0, currentHedgeSize: 0 }).action).toBeNull();
    expect(sizeHedge({ ...base, delta: 0, currentHedgeSize: -1 }).action).toEqual({ kind: 'decrease', orderSide: 'buy', amount: 1 });
    expect(sizeHedge({ ...base, currentHedgeSize: -9.4, minOrderSize: 1 }).action).toBeNull();
  });

  it('property: a hedge within the band never trades; outside it always does (no min order)', () => {
    fc.assert(fc.property(
      fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })), fc.double({ min: 1e3, max: 1e8, noNaN: true }),
      (rawDelta, offset, maxHedgeRatio, value) => {
        const delta = Math.abs(rawDelta) < 1e-6 ? 0 : rawDelta; // keep subnormal sizes out of the band arithmetic
        const target = sizeHedge({ ...base, delta, maxHedgeRatio, positionValueUsd: value }).targetSize;
        const current = target * (1 + offset);
        const h = sizeHedge({ ...base, delta, maxHedgeRatio, positionValueUsd: value, currentHedgeSize: current });
        expect(Math.abs(h.targetNotionalUsd)).toBeLessThanOrEqual(maxHedgeRatio * value * (1 + 1e-12) + 1e-300);
        if (Math.abs(offset) < 0.0499) expect(h.action).toBeNull();
        if (Math.abs(offset) > 0.0501 && target !== 0) {
          expect(h.action).not.toBeNull();
          expect(current + (h.action?.orderSide === 'buy' ? 1 : -1) * (h.action?.amount ?? 0)).toBeCloseTo(target, 6);
        }
      }), { numRuns: 3000 });
  });

  it('rejects bad inputs with the offending value', () => {
    expect(() => sizeHedge({ ...base, markPrice: 0 })).toThrow(AnalyticsInputError);
    expect(() => sizeHedge({ ...base, delta: Number.POSITIVE_INFINITY })).toThrow(/delta/);
    expect(() => sizeHedge({ ...base, maxHedgeRatio: -0.1 })).toThrow(/maxHedgeRatio/);
  });
});
