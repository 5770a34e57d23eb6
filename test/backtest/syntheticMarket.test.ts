/**
 * Synthetic markets: seeded and reproducible, GBM and jump-diffusion log-returns with the
 * moments the parameters ask for, and the devnet's GBM path is the same process (one gbmStep).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gbmPath } from '../../src/adapters/chain/devnet/simulator/referencePrice.js';
import { syntheticMarket } from '../../src/backtest/syntheticMarket.js';
import { SECONDS_PER_YEAR, gbmLogStep, gbmStep, jumpCompensator } from '../../src/math/priceProcess.js';

function logReturns(prices: readonly number[]): number[] {
  return prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
}
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('synthetic markets', () => {
  it('the same seed gives the same path; another seed another one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, jumps) => {
        const opts = { initialPrice: 2000, sigma: 0.8, stepSeconds: 60, seed, ...(jumps ? { jumps: { intensity: 50, meanLogJump: -0.02, sdLogJump: 0.03 } } : {}) };
        const a = syntheticMarket(opts, 50);
        expect(syntheticMarket(opts, 50)).toEqual(a);
        expect(syntheticMarket({ ...opts, seed: seed + 1 }, 50)).not.toEqual(a);
        expect(a[0]).toEqual({ time: 0, price: 2000 });
        expect(a.every((p, i) => p.time === i * 60_000 && p.price > 0)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('GBM log-returns have mean (μ − σ²/2)dt and variance σ²dt', () => {
    const sigma = 0.9;
    const drift = 0.3;
    const stepSeconds = 3600;
    const n = 40_000;
    const r = logReturns(syntheticMarket({ initialPrice: 1, sigma, drift, stepSeconds, seed: 7 }, n + 1).map((p) => p.price));
    const dt = stepSeconds / SECONDS_PER_YEAR;
    expect(variance(r) / (sigma * sigma * dt)).toBeCloseTo(1, 1);
    // standard error of the mean: σ√(dt/n)
    expect(Math.abs(mean(r) - (drift - sigma * sigma / 2) * dt)).toBeLessThan(4 * sigma * Math.sqrt(dt / n));
  });

  it('jump diffusion adds the jumps’ variance λ·dt·(m² + s²) and keeps E[S] growing at μ', () => {
    const sigma = 0.5;
    const jumps = { intensity: 200, meanLogJump: -0.03, sdLogJump: 0.04 };
    const stepSeconds = 3600;
    const n = 60_000;
    const dt = stepSeconds / SECONDS_PER_YEAR;
    const r = logReturns(syntheticMarket({ initialPrice: 1, sigma, stepSeconds, seed: 11, jumps }, n + 1).map((p) => p.price));
    const expectedVar = sigma * sigma * dt + jumps.intensity * dt * (jumps.meanLogJump ** 2 + jumps.sdLogJump ** 2);
    expect(variance(r) / expectedVar).toBeGreaterThan(0.9);
    expect(variance(r) / expectedVar).toBeLessThan(1.1);
    // E[S(t+dt)/S(t)] = e^{μ dt} = 1 for μ = 0, to within sampling error
    const growth = mean(r.map((x) => Math.exp(x)));
    expect(Math.abs(growth - 1)).toBeLessThan(4 * Math.sqrt(expectedVar / n));
    // without the compensator the mean log-return would be higher by λ(e^{m+s²/2} − 1)dt
    expect(jumpCompensator(jumps, dt)).toBeGreaterThan(0);
  });

  it('the devnet GBM path is the synthetic market without jumps, step for step', () => {
    const opts = { initialPrice: 3000, sigma: 0.8, drift: 0.1, stepSeconds: 1, seed: 5, startTime: 1000 };
    const it = gbmPath(opts);
    const dev = Array.from({ length: 20 }, () => it.next().value);
    expect(dev).toEqual(syntheticMarket(opts, 20));
  });

  it('gbmStep is S·exp(mean + sd·z)', () => {
    const step = gbmLogStep(0.8, 0.1, 1 / 365);
    expect(step.mean).toBeCloseTo((0.1 - 0.32) / 365, 15);
    expect(step.sd).toBeCloseTo(0.8 / Math.sqrt(365), 15);
    expect(gbmStep(100, step, 1.5)).toBeCloseTo(100 * Math.exp(step.mean + 1.5 * step.sd), 10);
  });

  it('rejects a bad initial price, a negative σ and a non-positive step', () => {
    expect(() => syntheticMarket({ initialPrice: 0, sigma: 1, stepSeconds: 1, seed: 1 }, 2)).toThrow();
    expect(() => syntheticMarket({ initialPrice: 1, sigma: -1, stepSeconds: 1, seed: 1 }, 2)).toThrow(/sigma/);
    expect(() => syntheticMarket({ initialPrice: 1, sigma: 1, stepSeconds: 0, seed: 1 }, 2)).toThrow(/stepSeconds/);
    expect(() => syntheticMarket({ initialPrice: 1, sigma: 1, stepSeconds: 1, seed: 1, jumps: { intensity: -1, meanLogJump: 0, sdLogJump: 0 } }, 2)).toThrow(/intensity/);
  });
});
