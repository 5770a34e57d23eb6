import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { usableTickBounds } from '../../../src/math/priceTick.js';
import { optimalRange, type OptimalRangeInput, type RiskLevel } from '../../../src/math/rangePolicy.js';

const riskLevel = fc.constantFrom<RiskLevel>('conservative', 'moderate', 'aggressive');
const spacing = fc.constantFrom(1, 10, 60, 200, 16384, 32767);

const rangeInput: fc.Arbitrary<OptimalRangeInput> = spacing.chain((tickSpacing) => {
  const { minUsableTick, maxUsableTick } = usableTickBounds(tickSpacing);
  return fc.record({
    currentTick: fc.integer({ min: minUsableTick, max: maxUsableTick - 1 }),
    tickSpacing: fc.constant(tickSpacing),
    annualVolatility: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 20, noNaN: true })),
    horizonSeconds: fc.double({ min: 60, max: 365 * 86400, noNaN: true }),
    riskLevel,
    asymmetry: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    feeHotspots: fc.array(fc.record({ tick: fc.integer({ min: -887272, max: 887272 }), weight: fc.double({ min: 0, max: 10, noNaN: true }) }), { maxLength: 4 }),
  });
});

describe('optimal range policy', () => {
  it('returns an aligned, ordered range inside the usable ticks that contains the current tick', () => {
    fc.assert(fc.property(rangeInput, (input) => {
      const { tickLower, tickUpper, reasoning } = optimalRange(input);
      const { minUsableTick, maxUsableTick } = usableTickBounds(input.tickSpacing);
      expect(Number.isInteger(tickLower) && Number.isInteger(tickUpper)).toBe(true);
      expect(Math.abs(tickLower % input.tickSpacing)).toBe(0);
      expect(Math.abs(tickUpper % input.tickSpacing)).toBe(0);
      expect(Object.is(tickLower, -0) || Object.is(tickUpper, -0)).toBe(false);
      expect(tickLower).toBeLessThan(tickUpper);
      expect(tickLower).toBeLessThanOrEqual(input.currentTick);
      expect(tickUpper).toBeGreaterThan(input.currentTick);
      expect(tickLower).toBeGreaterThanOrEqual(minUsableTick);
      expect(tickUpper).toBeLessThanOrEqual(maxUsableTick);
      expect(reasoning.probabilityInRangeAtHorizon).toBeGreaterThanOrEqual(0);
      expect(reasoning.probabilityInRangeAtHorizon).toBeLessThanOrEqual(1);
    }), { numRuns: 3000 });
  });

  it('is wider for more conservative risk levels, all else equal', () => {
    fc.assert(fc.property(rangeInput, (input) => {
      const width = (r: RiskLevel): number => {
        const o = optimalRange({ ...input, riskLevel: r, feeHotspots: [] });
        return o.tickUpper - o.tickLower;
      };
      expect(width('conservative')).toBeGreaterThanOrEqual(width('moderate'));
      expect(width('moderate')).toBeGreaterThanOrEqual(width('aggressive'));
    }));
  });

  it('hand example: sigma 80%/yr, 1-day horizon, moderate, spacing 1 -> ±2 sigma = ±837.5 ticks', () => {
    // sigma_h = 0.8 / sqrt(365) = 0.041874; half width = 2 * 0.041874 = 0.083748 = 837.52 ticks
    const r = optimalRange({ currentTick: 0, tickSpacing: 1, annualVolatility: 0.8, horizonSeconds: 86400, riskLevel: 'moderate' });
    expect(r.tickLower).toBe(-838);
    expect(r.tickUpper).toBe(838);
    expect(r.reasoning.sigmaHorizon).toBeCloseTo(0.8 / Math.sqrt(365), 14);
    expect(r.reasoning.widthTicks).toBeCloseTo((4 * 0.8) / Math.sqrt(365) / Math.log(1.0001), 9);
    expect(r.reasoning.probabilityInRangeAtHorizon).toBeCloseTo(0.9545, 3); // ±2 sigma
  });

  it('hand example: spacing 60, conservative, 10% asymmetry below, 1 week at 60%/yr', () => {
    // width = 2 * 2 * 1.5 * 0.6 * sqrt(7/365) / ln 1.0001 = 4985.7 ticks; 60% of it below
    const r = optimalRange({
      currentTick: 200_311, tickSpacing: 60, annualVolatility: 0.6, horizonSeconds: 7 * 86400,
      riskLevel: 'conservative', asymmetry: 0.1,
    });
    expect(r.tickLower).toBe(197_280); // floor((200311 - 2991.4) / 60) * 60
    expect(r.tickUpper).toBe(202_320); // ceil((200311 + 1994.3) / 60) * 60
    expect(r.reasoning.riskMultiplier).toBe(1.5);
  });

  it('shifts 30% of the way toward the fee hotspot centre, never past the current tick', () => {
    const base = { currentTick: 0, tickSpacing: 1, annualVolatility: 0.8, horizonSeconds: 86400, riskLevel: 'moderate' as const };
    const r = optimalRange({ ...base, feeHotspots: [{ tick: 800 }, { tick: 1200 }] });
    expect(r.reasoning.hotspotCentre).toBe(1000);
    expect(r.reasoning.hotspotShiftTicks).toBeCloseTo(300, 12);
    expect([r.tickLower, r.tickUpper]).toEqual([-538, 1138]);
    const far = optimalRange({ ...base, feeHotspots: [{ tick: 100_000 }] });
    expect(far.reasoning.hotspotShiftClamped).toBe(true);
    expect(far.tickLower).toBeLessThanOrEqual(0);
    expect(far.tickUpper).toBeGreaterThan(0);
  });

  it('clamps to the usable ticks and rejects impossible inputs', () => {
    const r = optimalRange({ currentTick: 887_000, tickSpacing: 60, annualVolatility: 5, horizonSeconds: 86400 * 30, riskLevel: 'conservative' });
    expect(r.tickUpper).toBe(887_220);
    expect(r.reasoning.clampedToUsableTicks).toBe(true);
    expect(() => optimalRange({ currentTick: 887_250, tickSpacing: 60, annualVolatility: 1, horizonSeconds: 1, riskLevel: 'moderate' }))
      .toThrow(AnalyticsInputError);
    expect(() => optimalRange({ currentTick: 0, tickSpacing: 60, annualVolatility: -1, horizonSeconds: 1, riskLevel: 'moderate' }))
      .toThrow(/annualVolatility/);
    expect(() => optimalRange({ currentTick: 0, tickSpacing: 60, annualVolatility: 1, horizonSeconds: 1, riskLevel: 'yolo' as RiskLevel }))
      .toThrow(/riskLevel/);
  });
});
