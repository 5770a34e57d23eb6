/**
 * The A/B statistics on per-path differences: the paired t-test against scipy, the deflated
 * Sharpe ratio against the paper's worked example, and the decision's calibration: under a null
 * where A and B differ only by noise (differences with mean 0: independent heavy-tailed paths, and
 * autocorrelated windows with the block length the compare command states) it calls a difference
 * no more often than alpha, over many seeded series; and it detects a real difference.
 */
import { describe, expect, it } from 'vitest';
import { stationaryBootstrapMean } from '../../../src/math/blockBootstrap.js';
import { deflatedSharpeFromStats } from '../../../src/math/deflatedSharpe.js';
import { comparePaired } from '../../../src/math/pairedComparison.js';
import { pairedTTest } from '../../../src/math/pairedTTest.js';
import { createSeededRandom, type SeededRandom } from '../../../src/math/seededRandom.js';

/** Student t with 4 degrees of freedom (heavy tails, finite variance), scaled to sd 1. */
const heavy = (rng: SeededRandom): number => {
  const z = rng.nextNormal();
  let chi = 0;
  for (let k = 0; k < 4; k++) chi += rng.nextNormal() ** 2;
  return (z / Math.sqrt(chi / 4)) / Math.SQRT2;
};
/** AR(1) with coefficient phi, stationary start. */
const ar1 = (rng: SeededRandom, n: number, phi: number): number[] => {
  const out: number[] = [];
  let x = rng.nextNormal() / Math.sqrt(1 - phi * phi);
  for (let i = 0; i < n; i++) {
    out.push(x);
    x = phi * x + rng.nextNormal();
  }
  return out;
};

export interface Calibration { runs: number; testRate: number; verdictRate: number }

/** Rate of calls under a null: `series(rng)` has mean 0. */
function calibrate(runs: number, series: (rng: SeededRandom) => number[], blockLength: number, alpha: number): Calibration {
  let test = 0, verdict = 0;
  for (let s = 0; s < runs; s++) {
    const rng = createSeededRandom(1000 + s);
    const c = comparePaired(series(rng), { alpha, blockLength, resamples: 400, seed: s });
    if (c.test.significant) test++;
    if (c.verdict !== 'NO_SIGNIFICANT_DIFFERENCE') verdict++;
  }
  return { runs, testRate: test / runs, verdictRate: verdict / runs };
}

describe('paired t-test', () => {
  it('matches scipy.stats.ttest_rel', () => {
    const a = [0.012, -0.004, 0.020, 0.007, 0.001, 0.015, -0.002, 0.009, 0.011, 0.004];
    const b = [0.010, -0.006, 0.013, 0.008, -0.003, 0.010, -0.001, 0.004, 0.006, 0.005];
    const r = pairedTTest(a.map((x, i) => x - b[i]!));
    expect(r.t).toBeCloseTo(2.8984078812062783, 10);
    expect(r.pValue).toBeCloseTo(0.017641047709105004, 10);
    expect(r.degreesOfFreedom).toBe(9);
    expect(r.significant).toBe(true);
    expect(r.cohensDz).toBeCloseTo(2.8984078812062783 / Math.sqrt(10), 10);
  });

  it('is undefined, not significant, on equal differences (identical deterministic strategies)', () => {
    const r = pairedTTest([0, 0, 0, 0]);
    expect(r.t).toBeNull();
    expect(r.pValue).toBeNull();
    expect(r.significant).toBe(false);
    expect(comparePaired([0.01, 0.01, 0.01]).verdict).toBe('NO_SIGNIFICANT_DIFFERENCE');
  });

  it('widens the standard error of positively autocorrelated differences by batching them', () => {
    const d = ar1(createSeededRandom(3), 200, 0.6);
    const plain = pairedTTest(d);
    const batched = pairedTTest(d, { batchLength: 10 });
    expect(batched.standardError).toBeGreaterThan(plain.standardError * 1.3);
    expect(batched.meanDifference).toBe(plain.meanDifference);
    expect(batched.degreesOfFreedom).toBe(19);
  });
});

describe('the deflated Sharpe ratio', () => {
  it("reproduces Bailey & López de Prado's example: SR 2.5/yr over 1250 days, 100 trials, V[SR] 0.5/yr → DSR 0.9004", () => {
    const r = deflatedSharpeFromStats({ sharpe: 2.5 / Math.sqrt(250), sharpeVariance: 0.5 / 250, trials: 100, observations: 1250, skewness: -3, kurtosis: 10 });
    expect(r.expectedMaxSharpe * Math.sqrt(250)).toBeCloseTo(1.7894, 3);
    expect(r.probability).toBeCloseTo(0.9004, 3);
    // one trial: the threshold is 0 (probabilistic Sharpe ratio)
    expect(deflatedSharpeFromStats({ sharpe: 0, sharpeVariance: 0, trials: 1, observations: 30, skewness: 0, kurtosis: 3 }).probability).toBe(0.5);
  });
});

describe('calibration of the A/B decision', () => {
  const alpha = 0.05;
  const runs = 2000;
  // 3 binomial standard errors above alpha at 2000 runs: sqrt(0.05 · 0.95 / 2000) ≈ 0.0049
  const tolerance = 0.015;

  it(`independent paths (heavy-tailed, n = 30): false-positive rate <= alpha + ${tolerance} over ${runs} seeds`, () => {
    const c = calibrate(runs, (rng) => Array.from({ length: 30 }, () => 0.002 * heavy(rng)), 1, alpha);
    console.log(`calibration, independent paths: alpha ${alpha}, ${runs} runs, t-test rate ${c.testRate}, decision rate ${c.verdictRate}`);
    expect(c.verdictRate).toBeLessThanOrEqual(alpha + tolerance);
    // and the test is not vacuous: it does reject about alpha of the time
    expect(c.testRate).toBeGreaterThan(alpha - tolerance);
    expect(c.testRate).toBeLessThanOrEqual(alpha + tolerance);
  });

  it(`autocorrelated windows (AR(1) φ = 0.3, n = 64, block length round(sqrt(n)) = 8): false-positive rate <= alpha + ${tolerance}`, () => {
    const c = calibrate(runs, (rng) => ar1(rng, 64, 0.3), 8, alpha);
    console.log(`calibration, AR(1) windows: alpha ${alpha}, ${runs} runs, t-test rate ${c.testRate}, decision rate ${c.verdictRate}`);
    expect(c.verdictRate).toBeLessThanOrEqual(alpha + tolerance);
    // without the block length the same series are called different far more often than alpha
    const naive = calibrate(400, (rng) => ar1(rng, 64, 0.3), 1, alpha);
    expect(naive.testRate).toBeGreaterThan(1.6 * alpha);
  });

  it('detects a real difference: mean 0.8 sd over 30 independent paths, in >= 90% of seeds', () => {
    let found = 0;
    for (let s = 0; s < 200; s++) {
      const rng = createSeededRandom(5000 + s);
      const d = Array.from({ length: 30 }, () => 0.8 + heavy(rng));
      if (comparePaired(d, { blockLength: 1, resamples: 400, seed: s }).verdict === 'A_BETTER') found++;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.9);
  });

  it('the bootstrap interval is reproducible from its seed and covers the true mean about 95% of the time', () => {
    const x = Array.from({ length: 40 }, (_, i) => Math.sin(i));
    expect(stationaryBootstrapMean(x, { blockLength: 3, seed: 7, resamples: 500 })).toEqual(stationaryBootstrapMean(x, { blockLength: 3, seed: 7, resamples: 500 }));
    let covered = 0;
    for (let s = 0; s < 400; s++) {
      const rng = createSeededRandom(9000 + s);
      const ci = stationaryBootstrapMean(Array.from({ length: 40 }, () => rng.nextNormal()), { blockLength: 1, resamples: 400, seed: s });
      if (ci.lower <= 0 && ci.upper >= 0) covered++;
    }
    expect(covered / 400).toBeGreaterThan(0.9);
    expect(covered / 400).toBeLessThan(0.98);
  });
});
