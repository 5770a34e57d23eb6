/**
 * The result files the operator API reads: a compare result written by writeResearchResult reads
 * back equal through the exported schema; a file that is not a valid result is reported with
 * the field at fault, never dropped silently; an absent directory holds no results.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareResult, PathOutcome, StrategyMetrics } from '../../src/backtest/researchResultSchema.js';
import { readResearchResults, writeResearchResult } from '../../src/backtest/researchResultStore.js';

const metrics: StrategyMetrics = { totalReturn: 0.01, sharpeRatio: 1.2, sortinoRatio: null, calmarRatio: 3, maxDrawdown: 0.02, volatility: 0.3, winRate: null, avgTradeDuration: null, avgPnLPerTrade: null };
const outcome = (r: number): PathOutcome => ({ totalReturn: r, pnlUsd: r * 1000, feesUsd: 5, lvrUsd: 2, rolls: 1, sharpeRatio: null, maxDrawdown: 0.01 });
const arm = (name: string): CompareResult['strategyA'] => ({
  config: { name, file: `${name}.yaml`, strategy: { annualVolatility: 0.6 }, hedge: { band: 0.05 }, risk: { hedgeRatio: 1 } },
  metrics, perPath: [outcome(0.01), outcome(0.02)],
});
const result: CompareResult = {
  kind: 'compare', schemaVersion: 1, testId: 't1', timestamp: 1_700_000_000_000, metric: 'totalReturn',
  paths: { kind: 'synthetic', description: 'GBM σ=0.8', count: 2, stepsPerPath: 100, labels: ['seed 1', 'seed 2'] },
  strategyA: arm('a'), strategyB: arm('b'),
  statisticalSignificance: { test: 'paired-t', batchLength: 1, t: null, degreesOfFreedom: 1, pValue: null, alpha: 0.05, significant: false },
  confidenceInterval: { method: 'stationary-block-bootstrap', blockLength: 1, confidence: 0.95, estimate: 0, lower: 0, upper: 0, resamples: 1000, seed: 1 },
  effectSize: { meanDifference: 0, sdDifference: 0, cohensDz: null },
  recommendation: { verdict: 'NO_SIGNIFICANT_DIFFERENCE', text: 'no difference' },
};

describe('research result files', () => {
  it('round-trips a result and reports a bad file by its field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rk-results-'));
    const file = await writeResearchResult(dir, result);
    expect(file).toBe(join(dir, 'compare-t1.json'));
    writeFileSync(join(dir, 'sweep-bad.json'), JSON.stringify({ kind: 'sweep', schemaVersion: 1 }));
    writeFileSync(join(dir, 'notes.json'), '{}');
    const read = await readResearchResults(dir);
    expect(read).toHaveLength(2);
    expect(read[0]).toEqual({ file, result });
    expect(read[1]!.file).toBe(join(dir, 'sweep-bad.json'));
    expect('error' in read[1]! ? read[1].error : '').toMatch(/sweepId/);
  });

  it('refuses to write an invalid result and reads an absent directory as empty', async () => {
    await expect(writeResearchResult(tmpdir(), { ...result, statisticalSignificance: { ...result.statisticalSignificance, alpha: 2 } })).rejects.toThrow(/alpha/);
    expect(await readResearchResults(join(tmpdir(), 'rk-no-such-dir-xyz'))).toEqual([]);
  });
});
