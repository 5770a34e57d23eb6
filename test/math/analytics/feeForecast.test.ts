import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { normalCdf } from '../../../src/math/distributions.js';
import { SECONDS_PER_YEAR } from '../../../src/math/feeApy.js';
import { expectedFeeApr, expectedInRangeFraction, feeIncomePerLiquidityPerYear } from '../../../src/math/feeForecast.js';

/** Brute-force (1/T)∫P(a <= X_t < b)dt by the midpoint rule in u = t/T, independent of the closed form. */
function bruteForceFraction(a: number, b: number, sigmaT: number, n = 100_000): number {
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const s = sigmaT * Math.sqrt((k + 0.5) / n);
    sum += normalCdf(Math.max(-40, Math.min(40, b / s))) - normalCdf(Math.max(-40, Math.min(40, a / s)));
  }
  return sum / n;
}

describe('fee forecast', () => {
  it('fee income per unit of liquidity from fee growth', () => {
    const day = 86400;
    const q128 = 1n << 128n;
    // 0.001 token1 per L per day from token1 fees, plus 0.002 token0 per L at P = 2 -> 0.005/day
    const r = feeIncomePerLiquidityPerYear({
      feeGrowthGlobal0DeltaX128: (q128 * 2n) / 1000n, feeGrowthGlobal1DeltaX128: q128 / 1000n, price: 2, elapsedSeconds: day,
    });
    expect(r).toBeCloseTo(0.005 * 365, 12);
    expect(() => feeIncomePerLiquidityPerYear({ feeGrowthGlobal0DeltaX128: -1n, feeGrowthGlobal1DeltaX128: 0n, price: 1, elapsedSeconds: 1 }))
      .toThrow(AnalyticsInputError);
  });

  it('in-range fraction: exact cases', () => {
    const base = { annualVolatility: 0.8, horizonSeconds: 7 * 86400 };
    // starting on the lower bound with an unbounded top: in range exactly half the time
    expect(expectedInRangeFraction({ ...base, priceLower: 1, priceUpper: 1e300, price: 1 })).toBeCloseTo(0.5, 9);
    expect(expectedInRangeFraction({ ...base, priceLower: 1e-300, priceUpper: 1e300, price: 1 })).toBeCloseTo(1, 9);
    expect(expectedInRangeFraction({ ...base, annualVolatility: 0, priceLower: 1, priceUpper: 2, price: 1.5 })).toBe(1);
    expect(expectedInRangeFraction({ ...base, annualVolatility: 0, priceLower: 1, priceUpper: 2, price: 2 })).toBe(0);
  });

  it('in-range fraction matches a brute-force integral and grows with the range', () => {
    fc.assert(fc.property(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }),
      fc.double({ min: 0.05, max: 2, noNaN: true }), fc.double({ min: 3600, max: 90 * 86400, noNaN: true }),
      (lnLowerRel, lnWidth, sigma, horizon) => {
        const input = { priceLower: Math.exp(lnLowerRel), priceUpper: Math.exp(lnLowerRel + lnWidth), price: 1, annualVolatility: sigma, horizonSeconds: horizon };
        const f = expectedInRangeFraction(input);
        const sigmaT = sigma * Math.sqrt(horizon / SECONDS_PER_YEAR);
        expect(Math.abs(f - bruteForceFraction(lnLowerRel, lnLowerRel + lnWidth, sigmaT, 20_000))).toBeLessThan(2e-4);
        expect(expectedInRangeFraction({ ...input, priceUpper: input.priceUpper * 1.5 })).toBeGreaterThanOrEqual(f - 1e-12);
      }), { numRuns: 40 });
    // one tight comparison with a finer brute force
    const f = expectedInRangeFraction({ priceLower: 0.9, priceUpper: 1.05, price: 1, annualVolatility: 0.7, horizonSeconds: 14 * 86400 });
    const sigmaT = 0.7 * Math.sqrt((14 * 86400) / SECONDS_PER_YEAR);
    expect(Math.abs(f - bruteForceFraction(Math.log(0.9), Math.log(1.05), sigmaT, 400_000))).toBeLessThan(1e-9);
  });

  it('expected APR: a (near) full range earns income / (2 sqrt P) and pays LVR sigma^2 / 8', () => {
    const r = expectedFeeApr({
      priceLower: 1e-30, priceUpper: 1e30, price: 4, annualVolatility: 0.8, horizonSeconds: 7 * 86400,
      feeIncomePerLiquidityPerYear: 0.4,
    });
    expect(r.inRangeFraction).toBeCloseTo(1, 12);
    expect(r.inRangeApr).toBeCloseTo(0.4 / (2 * 2), 12);
    expect(r.expectedLvrApr).toBeCloseTo(0.64 / 8, 12);
    expect(r.netApr).toBeCloseTo(0.1 - 0.08, 12);
  });

  it('a narrower range earns more while in range but is in range less often', () => {
    const common = { price: 1, annualVolatility: 0.8, horizonSeconds: 30 * 86400, feeIncomePerLiquidityPerYear: 0.1 };
    const wide = expectedFeeApr({ ...common, priceLower: 0.5, priceUpper: 2 });
    const narrow = expectedFeeApr({ ...common, priceLower: 0.95, priceUpper: 1.05 });
    expect(narrow.inRangeApr).toBeGreaterThan(wide.inRangeApr);
    expect(narrow.inRangeFraction).toBeLessThan(wide.inRangeFraction);
  });
});
