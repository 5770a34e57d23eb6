/**
 * Float64 analytics: throughput of the per-event computations (IL, greeks, policies) and of the
 * window statistics (volatility over a year of hourly returns, the paired t-test, a 10,000-resample
 * stationary block bootstrap). No reference library does the same work, so `reference` is null.
 */
import {
  createSeededRandom, decideRebalance, ilMetrics, optimalRange, pairedTTest, positionGreeks,
  sizeHedge, stationaryBootstrapMean, volatilityStats,
} from '../src/math/index.js';
import { opsPerSecond, result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const MS = 250;

export const analyticsSuite: Suite = {
  name: 'analytics',
  async run(emit) {
    const rows: BenchResult[] = [];
    const push = (r: BenchResult): void => {
      rows.push(r);
      emit(r);
    };
    const rng = createSeededRandom(11);
    const hourly = Array.from({ length: 8760 }, () => 0.01 * rng.nextNormal());
    const a = Array.from({ length: 720 }, () => 0.0002 + 0.01 * rng.nextNormal());
    const b = Array.from({ length: 720 }, () => 0.01 * rng.nextNormal());
    let i = 0;
    const price = (): number => 1e-12 * 2000 * (1 + 0.01 * Math.sin(i++));

    push(result('analytics: ILMetrics + delta/gamma per price', opsPerSecond(() => {
      const p = price();
      const pos = { liquidity: 1e15, priceLower: 1.8e-9, priceUpper: 2.2e-9, price: p };
      ilMetrics({ ...pos, entryPrice: 2e-9, token1Decimals: 18, token1PriceUsd: 2000, feesEarnedUsd: 10 });
      return positionGreeks(pos);
    }, MS), null, 'ops/s'));
    push(result('analytics: optimalRange', opsPerSecond(() => optimalRange({
      currentTick: 200_000 + (i++ % 1000), tickSpacing: 60, annualVolatility: 0.7, horizonSeconds: 86400,
      riskLevel: 'moderate', feeHotspots: [{ tick: 200_500, weight: 2 }, { tick: 199_000 }],
    }), MS), null, 'ops/s'));
    push(result('analytics: decideRebalance', opsPerSecond(() => decideRebalance({
      currentTick: i++ % 2000 - 1000, tickLower: -1000, tickUpper: 1000, proximityThreshold: 0.05, currentApy: 0.2,
      apyThreshold: 0.1, capitalEfficiency: 0.9, positionValueUsd: 1e6, expectedApyAfter: 0.25,
      horizonSeconds: 604800, gasCostUsd: 50, swapCostUsd: 100,
    }), MS), null, 'ops/s'));
    push(result('analytics: sizeHedge', opsPerSecond(() => sizeHedge({
      delta: 10 + (i++ % 7) * 0.1, markPrice: 2000, positionValueUsd: 50_000, currentHedgeSize: -10, maxHedgeRatio: 0.8,
    }), MS), null, 'ops/s'));
    push(result('analytics: volatilityStats, 8760 hourly returns', opsPerSecond(() => volatilityStats({
      returns: hourly, periodsPerYear: 8760,
    }), MS), null, 'windows/s'));
    const d = a.map((x, k) => x - b[k]!);
    push(result('analytics: pairedTTest, 720 differences, batches of 9', opsPerSecond(() => pairedTTest(d, { batchLength: 9 }), MS), null, 'tests/s'));
    push(result('analytics: block bootstrap 10k resamples, 720', opsPerSecond(() => stationaryBootstrapMean(d, {
      blockLength: 9, resamples: 10_000, seed: i++,
    }), MS * 4), null, 'intervals/s'));
    return Promise.resolve(rows);
  },
};
