import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRoll, HOTSPOT_SHIFT, recommendRange, type RollDecisionInput } from '../../src/actors/position/rollDecision.js';
import { VolatilityEstimator } from '../../src/actors/position/market/volatilityEstimator.js';
import type { PoolLiquidity } from '../../src/actors/ports.js';
import { expectedFeeApr } from '../../src/math/feeForecast.js';
import { tickToPrice } from '../../src/math/priceTick.js';
import { getSqrtPriceAtTick } from '../../src/math/tickMath.js';

const YEAR_S = 365 * 86_400;
const riskLevel = fc.constantFrom('conservative' as const, 'moderate' as const, 'aggressive' as const);

/** σ measured from `returns` (one a minute), each scaled by k. */
function measured(returns: number[], k: number): number {
  const est = new VolatilityEstimator({ windowSeconds: 1e6, minSamples: 3, maxSamples: 1e6, prior: 0.6 });
  let l = 0;
  est.add(0, 1);
  returns.forEach((r, i) => {
    l += k * r;
    est.add((i + 1) * 60_000, Math.exp(l));
  });
  return est.estimate().annualized;
}

describe('measured σ drives the range width', () => {
  it('property: a higher measured σ never gives a narrower range', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: -0.02, max: 0.02, noNaN: true }), { minLength: 5, maxLength: 40 }),
      fc.double({ min: 1, max: 4, noNaN: true }),
      fc.integer({ min: -200_000, max: 200_000 }),
      fc.constantFrom(1, 10, 60, 200),
      riskLevel,
      fc.double({ min: 600, max: 7 * 86_400, noNaN: true }),
      (returns, k, tick, spacing, risk, horizon) => {
        const low = measured(returns, 1);
        const high = measured(returns, k);
        expect(high).toBeGreaterThanOrEqual(low * (1 - 1e-12));
        const a = recommendRange(tick, spacing, { annualVolatility: low, horizonSeconds: horizon, riskLevel: risk });
        const b = recommendRange(tick, spacing, { annualVolatility: high, horizonSeconds: horizon, riskLevel: risk });
        expect(b.tickUpper - b.tickLower).toBeGreaterThanOrEqual(a.tickUpper - a.tickLower);
      },
    ), { numRuns: 500 });
  });
});

/** A pool whose only fees were paid in [hotLower, hotUpper), with deep liquidity from -20000 to 20000. */
function poolWithHotspot(tick: number, hotLower: number, hotUpper: number): PoolLiquidity {
  const G = 1n << 140n;
  const L = 10n ** 18n;
  const outside = (t: number): bigint => {
    // fee growth outside chosen so the inside of every band but [hotLower, hotUpper) is zero
    if (t === hotLower) return tick >= t ? 0n : G;
    if (t === hotUpper) return tick >= t ? G : 0n;
    return t <= hotLower ? (tick >= t ? 0n : G) : (tick >= t ? G : 0n);
  };
  const ticks = [
    { tick: -20_000, liquidityNet: L },
    { tick: hotLower, liquidityNet: L / 2n },
    { tick: hotUpper, liquidityNet: -L / 2n },
    { tick: 20_000, liquidityNet: -L },
  ].map((t) => ({ ...t, liquidityGross: t.liquidityNet < 0n ? -t.liquidityNet : t.liquidityNet, feeGrowthOutside0X128: 0n, feeGrowthOutside1X128: outside(t.tick) }));
  const active = ticks.filter((t) => t.tick <= tick).reduce((a, t) => a + t.liquidityNet, 0n);
  return {
    poolId: '0x01', blockNumber: 1, sqrtPriceX96: getSqrtPriceAtTick(tick), tick, liquidity: active,
    feeGrowthGlobal0X128: 0n, feeGrowthGlobal1X128: G, ticks, knownLower: -30_000, knownUpper: 30_000,
  };
}

describe('fee hotspots shift the range', () => {
  it(`property: a range is shifted toward the fee hotspot by ${HOTSPOT_SHIFT * 100}% of the distance from its centre`, () => {
    fc.assert(fc.property(
      fc.integer({ min: -100, max: 100 }).map((t) => t * 10),
      fc.double({ min: 0.3, max: 1.5, noNaN: true }),
      fc.integer({ min: -40, max: 36 }),
      fc.integer({ min: 1, max: 4 }),
      (tick, sigma, startSteps, lenSteps) => {
        const range = { annualVolatility: sigma, horizonSeconds: 43_200, riskLevel: 'moderate' as const };
        const hotLower = tick + startSteps * 10;
        const hotUpper = hotLower + lenSteps * 10;
        const r = recommendRange(tick, 10, range, { liquidity: poolWithHotspot(tick, hotLower, hotUpper) });
        const d = r.details;
        const half = Math.max(d.widthTicks / 2, 10);
        // the hotspot is the fee band clipped to the window the width asks for
        const lo = Math.max(hotLower, Math.floor(tick - half));
        const hi = Math.min(hotUpper, Math.ceil(tick + half));
        if (hi <= lo) {
          expect(d.hotspotCentre).toBeNull();
          return;
        }
        expect(d.hotspotCentre).toBeCloseTo((lo + hi) / 2, 9);
        const rangeCentre = tick + (d.upperOffsetTicks - d.lowerOffsetTicks) / 2;
        const raw = HOTSPOT_SHIFT * ((lo + hi) / 2 - rangeCentre);
        if (!d.hotspotShiftClamped) expect(d.hotspotShiftTicks).toBeCloseTo(raw, 9);
        // the aligned range's centre moved by the shift (alignment moves each bound by less than a spacing)
        const unshifted = tick + (d.upperOffsetTicks - d.lowerOffsetTicks) / 2;
        expect(Math.abs((r.tickLower + r.tickUpper) / 2 - (unshifted + d.hotspotShiftTicks))).toBeLessThanOrEqual(10);
        expect(r.tickLower).toBeLessThanOrEqual(tick);
        expect(r.tickUpper).toBeGreaterThan(tick);
      },
    ), { numRuns: 300 });
  });

  it('a hotspot above the price moves a symmetric range up', () => {
    const range = { annualVolatility: 0.8, horizonSeconds: 43_200, riskLevel: 'moderate' as const };
    const plain = recommendRange(0, 10, range);
    const r = recommendRange(0, 10, range, { liquidity: poolWithHotspot(0, 300, 400) });
    expect(r.details.hotspotCentre).toBe(350);
    expect(r.tickLower + r.tickUpper).toBeGreaterThan(plain.tickLower + plain.tickUpper);
    expect(r.reasoning.join('\n')).toMatch(/fee hotspot centre tick 350/);
  });
});

const base: Omit<RollDecisionInput, 'tick' | 'tickLower' | 'tickUpper'> = {
  tickSpacing: 10, range: { annualVolatility: 0.8, horizonSeconds: 43_200, riskLevel: 'moderate' }, rebalanceThreshold: 0.05, apyThreshold: 0.1,
  minCapitalEfficiency: 0, feeApy: 0.3, valueUsd: 60_000, rollGasUnits: 800_000, gasPriceWei: 2_000_000_000n, nativePriceUsd: 3000, poolFee: 0.0005, minNetGainUsd: 0,
};

describe('measured fee yield drives the APY trigger and the cost gate', () => {
  it('property: lowAPY fires exactly when the measured APY of the current range is below the threshold; a roll happens exactly when its expected gain beats gas + swap cost', () => {
    fc.assert(fc.property(
      fc.integer({ min: -3000, max: 3000 }),
      fc.integer({ min: -120, max: -1 }),
      fc.integer({ min: 1, max: 120 }),
      fc.double({ min: 1e-6, max: 1, noNaN: true }),
      fc.double({ min: 0.01, max: 0.5, noNaN: true }),
      fc.double({ min: 0, max: 50, noNaN: true }),
      fc.double({ min: 1_000, max: 1_000_000, noNaN: true }),
      (tick, lowSteps, highSteps, income, apyThreshold, minNetGainUsd, valueUsd) => {
        const tickLower = lowSteps * 10;
        const tickUpper = highSteps * 10;
        const d = decideRoll({ ...base, tick, tickLower, tickUpper, apyThreshold, minNetGainUsd, valueUsd, market: { feeIncomePerLiquidityPerYear: income } });
        // the APY of keeping the range, from the pool's measured income on the same model
        const current = expectedFeeApr({
          priceLower: tickToPrice(tickLower), priceUpper: tickToPrice(tickUpper), price: tickToPrice(tick),
          annualVolatility: 0.8, horizonSeconds: 43_200, feeIncomePerLiquidityPerYear: income,
        }).expectedFeeApr;
        expect(d.apySource).toBe('measured');
        expect(d.currentAPY).toBeCloseTo(current, 12);
        expect(d.triggers.includes('lowAPY')).toBe(current < apyThreshold);
        const gain = (valueUsd * (d.expectedAPY - d.currentAPY) * 43_200) / YEAR_S;
        expect(d.expectedGainUsd).toBeCloseTo(gain, 9);
        const cost = d.gasCostUsd + d.swapCostUsd;
        const wanted = d.triggers.length > 0 && gain - cost > minNetGainUsd;
        expect(d.newRange !== null).toBe(wanted);
        if (d.roll) expect(gain).toBeGreaterThan(cost);
        expect(d.confidence).toBeGreaterThanOrEqual(0);
        expect(d.confidence).toBeLessThanOrEqual(1);
        expect(d.reasoning.length).toBeGreaterThan(2);
      },
    ), { numRuns: 400 });
  });

  it('the trigger follows the measurement, not the configured fee APY', () => {
    const at = { ...base, tick: 0, tickLower: -600, tickUpper: 600 };
    // configured 30% in range: no low-APY trigger
    expect(decideRoll(at).triggers).not.toContain('lowAPY');
    // the pool pays almost nothing: the measured APY is below 10%
    const poor = decideRoll({ ...at, market: { feeIncomePerLiquidityPerYear: 1e-4 } });
    expect(poor.currentAPY).toBeLessThan(0.1);
    expect(poor.triggers).toContain('lowAPY');
    // but a fresh range earns as little: the gain does not pay for gas and the swap
    expect(poor.roll).toBe(false);
    // a rich pool: no trigger
    expect(decideRoll({ ...at, market: { feeIncomePerLiquidityPerYear: 0.05 } }).triggers).not.toContain('lowAPY');
  });

  it('the capital-efficiency trigger uses the measured efficiency', () => {
    const at = { ...base, tick: 0, tickLower: -600, tickUpper: 600, minCapitalEfficiency: 0.7 };
    expect(decideRoll({ ...at, market: { capitalEfficiency: 0.9 } }).triggers).not.toContain('lowEfficiency');
    const low = decideRoll({ ...at, market: { capitalEfficiency: 0.4 } });
    expect(low.triggers).toContain('lowEfficiency');
    expect(low.capitalEfficiencySource).toBe('measured');
  });
});
