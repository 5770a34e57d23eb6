/** Compare and sweep result documents as `rangekeeper compare`/`sweep` store them, for the API's tests. */
import type { CompareResult, PathOutcome, StrategyMetrics, SweepResult } from '../../../src/backtest/researchResultSchema.js';

const metrics = (totalReturn: number): StrategyMetrics => ({ totalReturn, sharpeRatio: totalReturn * 50, sortinoRatio: null, calmarRatio: null, maxDrawdown: 0.02, volatility: 0.3, winRate: null, avgTradeDuration: null, avgPnLPerTrade: null });
const outcome = (r: number): PathOutcome => ({ totalReturn: r, pnlUsd: r * 1000, feesUsd: 5, lvrUsd: 2, rolls: 1, sharpeRatio: null, maxDrawdown: 0.01 });
const config = (name: string): CompareResult['strategyA']['config'] => ({ name, file: `${name}.yaml`, strategy: {}, hedge: {}, risk: {} });
const paths = { kind: 'synthetic' as const, description: 'GBM σ=0.8, 200 steps', count: 2, stepsPerPath: 200, labels: ['seed 1', 'seed 2'] };

export function compareResult(testId: string, timestamp: number): CompareResult {
  return {
    kind: 'compare', schemaVersion: 1, testId, timestamp, metric: 'totalReturn', paths,
    strategyA: { config: config('wide'), metrics: metrics(0.03), perPath: [outcome(0.02), outcome(0.04)] },
    strategyB: { config: config('narrow'), metrics: metrics(-0.01), perPath: [outcome(-0.02), outcome(0)] },
    statisticalSignificance: { test: 'paired-t', batchLength: 1, t: 8, degreesOfFreedom: 1, pValue: 0.04, alpha: 0.05, significant: true },
    confidenceInterval: { method: 'stationary-block-bootstrap', blockLength: 1, confidence: 0.95, estimate: 0.04, lower: 0.01, upper: 0.07, resamples: 1000, seed: 7 },
    effectSize: { meanDifference: 0.04, sdDifference: 0.005, cohensDz: 8 },
    recommendation: { verdict: 'A_BETTER', text: 'wide beats narrow' },
  };
}

export function sweepResult(sweepId: string, timestamp: number): SweepResult {
  const row = (width: number, r: number): SweepResult['rows'][number] => ({ params: { 'strategy.rangeWidthMultiplier': width }, metrics: metrics(r), meanReturn: r, sdReturn: 0.01, sharpe: r / 0.01, perPath: [outcome(r), outcome(r)] });
  return {
    kind: 'sweep', schemaVersion: 1, sweepId, timestamp, metric: 'totalReturn', baseConfig: config('base'), paths,
    parameters: [{ name: 'strategy.rangeWidthMultiplier', values: [1, 2] }],
    rows: [row(1, 0.01), row(2, 0.02)],
    best: { index: 1, deflatedSharpe: { sharpe: 2, expectedMaxSharpe: 0.56, trials: 2, observations: 2, skewness: 0, kurtosis: 3, probability: 0.9 }, warning: 'best of 2 configurations' },
    workers: 2, elapsedMs: 1000,
  };
}
