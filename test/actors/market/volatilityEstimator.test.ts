import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VolatilityEstimator } from '../../../src/actors/position/market/volatilityEstimator.js';
import { createSeededRandom } from '../../../src/math/seededRandom.js';
import { volatilityStats } from '../../../src/math/volatility.js';

const YEAR_MS = 365 * 86_400_000;

/** A GBM path sampled every `stepMs` with jittered spacing, fed to a fresh estimator. */
function measure(sigma: number, o: { n: number; stepMs: number; seed: number; minSamples?: number; jitter?: boolean }): VolatilityEstimator {
  const est = new VolatilityEstimator({ windowSeconds: (o.n * o.stepMs * 2) / 1000, minSamples: o.minSamples ?? 30, maxSamples: o.n * 4, prior: 0.5 });
  const rng = createSeededRandom(o.seed);
  let t = 0;
  let p = 3000;
  est.add(t, p);
  for (let i = 0; i < o.n; i++) {
    const dt = o.jitter === true ? o.stepMs * (0.5 + rng.next()) : o.stepMs;
    p *= Math.exp(sigma * Math.sqrt(dt / YEAR_MS) * rng.nextNormal());
    t += dt;
    est.add(t, p);
  }
  return est;
}

describe('volatility estimator', () => {
  it('measures the σ of a GBM path, irregularly sampled, within its confidence interval', () => {
    for (const [sigma, seed] of [[0.8, 1], [0.4, 2], [1.5, 3]] as const) {
      const v = measure(sigma, { n: 2000, stepMs: 900_000, seed, jitter: true }).estimate();
      expect(v.source).toBe('measured');
      expect(v.samples).toBe(2000);
      expect(v.annualized).toBeGreaterThan(sigma * 0.93);
      expect(v.annualized).toBeLessThan(sigma * 1.07);
      expect(v.confidenceInterval.lower).toBeLessThan(v.annualized);
      expect(v.confidenceInterval.upper).toBeGreaterThan(v.annualized);
      expect(v.daily).toBeCloseTo(v.annualized / Math.sqrt(365), 12);
      expect(Math.abs(v.kurtosis!)).toBeLessThan(0.5);
      expect(Math.abs(v.skewness!)).toBeLessThan(0.3);
    }
  });

  it('uses the configured σ as a prior until minSamples returns exist, and reports the partial measurement', () => {
    const v = measure(0.8, { n: 10, stepMs: 60_000, seed: 4, minSamples: 30 }).estimate();
    expect(v.source).toBe('prior');
    expect(v.annualized).toBe(0.5);
    expect(v.samples).toBe(10);
    expect(v.measuredAnnualized).not.toBeNull();
    expect(measure(0.8, { n: 30, stepMs: 60_000, seed: 4, minSamples: 30 }).estimate().source).toBe('measured');
  });

  it('keeps samples at least window/maxSamples apart and only within the window', () => {
    const est = new VolatilityEstimator({ windowSeconds: 100, minSamples: 3, maxSamples: 10, prior: 0.5 });
    for (let t = 0; t <= 300_000; t += 1_000) est.add(t, 3000 + (t % 7_000));
    // spacing 10 s over a 100 s window: 11 samples, 10 returns
    expect(est.count).toBe(10);
    est.add(300_500, 1); // too close to the last sample
    expect(est.count).toBe(10);
  });

  it('property: scaling every log return by k >= 1 never lowers the measured σ (it multiplies it by k)', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 5, maxLength: 60 }),
      fc.double({ min: 1, max: 5, noNaN: true }),
      (returns, k) => {
        const a = new VolatilityEstimator({ windowSeconds: 1e6, minSamples: 3, maxSamples: 1e6, prior: 0.5 });
        const b = new VolatilityEstimator({ windowSeconds: 1e6, minSamples: 3, maxSamples: 1e6, prior: 0.5 });
        let la = 0;
        let lb = 0;
        a.add(0, 1);
        b.add(0, 1);
        returns.forEach((r, i) => {
          la += r;
          lb += k * r;
          a.add((i + 1) * 60_000, Math.exp(la));
          b.add((i + 1) * 60_000, Math.exp(lb));
        });
        const sa = a.estimate().annualized;
        const sb = b.estimate().annualized;
        expect(sb).toBeGreaterThanOrEqual(sa * (1 - 1e-9));
        expect(sb).toBeCloseTo(sa * k, 6);
      },
    ), { numRuns: 300 });
  });

  it('property: the running sums give what a fresh pass over the window gives, over many window turnovers, jumps and flat stretches', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.double({ min: -0.02, max: 0.02, noNaN: true }), fc.constant(0), fc.double({ min: -0.5, max: 0.5, noNaN: true })), { minLength: 50, maxLength: 400 }),
      fc.integer({ min: 5, max: 60 }),
      (returns, windowSteps) => {
        const est = new VolatilityEstimator({ windowSeconds: windowSteps * 60, minSamples: 3, maxSamples: windowSteps, prior: 0.5 });
        const kept: { at: number; price: number }[] = [];
        let lp = Math.log(3000);
        returns.forEach((r, i) => {
          lp += r;
          const at = i * 60_000 + (i % 3) * 7_000;
          est.add(at, Math.exp(lp));
          // the window as the module comment defines it, kept naively (a sample too close to the last is skipped, and drops nothing)
          if (kept.length === 0 || at - kept[kept.length - 1]!.at >= 60_000) {
            kept.push({ at, price: Math.exp(lp) });
            while (kept[0]!.at < at - windowSteps * 60_000) kept.shift();
          }
          const z = kept.slice(1).map((b, j) => Math.log(b.price / kept[j]!.price) / Math.sqrt((b.at - kept[j]!.at) / 1000 / (YEAR_MS / 1000)));
          const v = est.estimate();
          expect(v.samples).toBe(z.length);
          if (z.length < 3) return;
          const fresh = volatilityStats({ returns: z, periodsPerYear: 1 });
          const near = (a: number, b: number, rel: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(b), 1e-300));
          near(v.measuredAnnualized!, fresh.annualizedVolatility, 1e-9);
          if (fresh.annualizedVolatility === 0) {
            expect(v.measuredAnnualized).toBe(0);
            return;
          }
          near(v.confidenceInterval.upper, fresh.confidenceInterval.upper, 1e-9);
          // skewness and kurtosis are of order one (and may be 0): to 1e-6 of max(1, |fresh|)
          expect(Math.abs(v.skewness! - fresh.skewness!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fresh.skewness!)));
          if (fresh.excessKurtosis !== null) expect(Math.abs(v.kurtosis! - fresh.excessKurtosis)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fresh.excessKurtosis)));
        });
      },
    ), { numRuns: 200 });
  });
});

