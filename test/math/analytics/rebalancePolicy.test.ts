import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { decideRebalance, type RebalanceInput } from '../../../src/math/rebalancePolicy.js';

const base: RebalanceInput = {
  currentTick: 0, tickLower: -1000, tickUpper: 1000, proximityThreshold: 0.05,
  currentApy: 0.2, apyThreshold: 0.1, capitalEfficiency: 0.9,
  positionValueUsd: 1_000_000, expectedApyAfter: 0.25, horizonSeconds: 7 * 86400,
  gasCostUsd: 50, swapCostUsd: 100,
};

describe('rebalance decision', () => {
  it('centred, good APY, efficient: no trigger, no roll', () => {
    const d = decideRebalance(base);
    expect(d.anyTrigger).toBe(false);
    expect(d.shouldRebalance).toBe(false);
    expect(d.urgency).toBe('none');
  });

  it('near the upper bound with gain beating cost: roll, with the numbers behind it', () => {
    // threshold = 5% of 2000 ticks = 100 ticks; 80 ticks from the upper bound
    const d = decideRebalance({ ...base, currentTick: 920 });
    expect(d.triggers).toMatchObject({ priceProximity: true, nearUpperBound: true, nearLowerBound: false, outOfRange: false });
    expect(d.proximityThresholdTicks).toBe(100);
    expect(d.distanceToUpperTicks).toBe(80);
    expect(d.urgency).toBe('medium');
    // gain = 1e6 * (0.25 - 0.20) * 7/365 = 958.90 USD, cost 150 USD
    expect(d.expectedGainUsd).toBeCloseTo((1e6 * 0.05 * 7) / 365, 9);
    expect(d.totalCostUsd).toBe(150);
    expect(d.netGainUsd).toBeCloseTo(d.expectedGainUsd - 150, 9);
    expect(d.shouldRebalance).toBe(true);
    expect(d.urgency).not.toBe('critical');
  });

  it('does not roll when the gain does not beat gas plus swap cost', () => {
    const d = decideRebalance({ ...base, currentTick: 920, positionValueUsd: 10_000 }); // gain 9.59 USD
    expect(d.anyTrigger).toBe(true);
    expect(d.shouldRebalance).toBe(false);
    expect(d.reasons.at(-1)).toMatch(/does not beat/);
  });

  it('out of range is critical; low APY and low efficiency trigger on their own', () => {
    expect(decideRebalance({ ...base, currentTick: 1000 }).urgency).toBe('critical');
    expect(decideRebalance({ ...base, currentTick: -1500 }).triggers).toMatchObject({ outOfRange: true, nearLowerBound: true });
    expect(decideRebalance({ ...base, currentTick: 960 }).urgency).toBe('high');
    const lowApy = decideRebalance({ ...base, currentApy: 0.05 });
    expect(lowApy.triggers.lowAPY).toBe(true);
    expect(lowApy.urgency).toBe('medium');
    const lowEff = decideRebalance({ ...base, capitalEfficiency: 0.69 });
    expect(lowEff.triggers.lowEfficiency).toBe(true);
    expect(lowEff.urgency).toBe('low');
    expect(decideRebalance({ ...base, capitalEfficiency: 0.7 }).triggers.lowEfficiency).toBe(false);
  });

  it('never rolls without a trigger or without a positive net gain', () => {
    fc.assert(fc.property(
      fc.integer({ min: -3000, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }),
      (tick, apy, apyAfter, ce, value, gas) => {
        const d = decideRebalance({ ...base, currentTick: tick, currentApy: apy, expectedApyAfter: apyAfter, capitalEfficiency: ce, positionValueUsd: value, gasCostUsd: gas });
        if (d.shouldRebalance) {
          expect(d.anyTrigger).toBe(true);
          expect(d.expectedGainUsd).toBeGreaterThan(d.totalCostUsd);
        }
        expect(d.anyTrigger).toBe(d.triggers.priceProximity || d.triggers.lowAPY || d.triggers.lowEfficiency);
        if (d.triggers.outOfRange) expect(d.urgency).toBe('critical');
        if (!d.anyTrigger) expect(d.urgency).toBe('none');
      }), { numRuns: 2000 });
  });

  it('rejects an inverted range and NaN inputs with the offending value', () => {
    expect(() => decideRebalance({ ...base, tickLower: 10, tickUpper: 10 })).toThrow(AnalyticsInputError);
    try {
      decideRebalance({ ...base, currentApy: Number.NaN });
      expect.unreachable();
    } catch (e) {
      expect((e as AnalyticsInputError).field).toBe('currentApy');
    }
    expect(() => decideRebalance({ ...base, gasCostUsd: -1 })).toThrow(/gasCostUsd/);
  });
});
