/**
 * The strategy comparison's stored part: the compare and sweep results in a results directory,
 * newest first and paged, summarised by what a reader decides on (each arm's return, the paired
 * test, the interval, the verdict; a sweep's best grid point and its deflated Sharpe), with a file
 * that does not validate named rather than dropped, and a directory that cannot be read reported.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResearchResult } from '../../src/backtest/researchResultStore.js';
import { storedResearch, storedResearchSchema } from '../../src/api/routes/storedResearch.js';
import { compareResult, sweepResult } from './support/researchResults.js';

describe('stored compare and sweep results', () => {
  it('summarises them newest first, pages them and names an unreadable file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rk-stored-'));
    await writeResearchResult(dir, compareResult('old', 1_000));
    await writeResearchResult(dir, sweepResult('mid', 2_000));
    await writeResearchResult(dir, compareResult('new', 3_000));
    writeFileSync(join(dir, 'compare-broken.json'), '{"kind":"compare"');
    const first = storedResearchSchema.parse(await storedResearch(dir, { limit: 2, offset: 0 }));
    expect(first.total).toBe(3);
    expect(first.results.map((r) => r.id)).toEqual(['new', 'mid']);
    expect(first.results[0]).toMatchObject({
      kind: 'compare', file: join(dir, 'compare-new.json'), pathCount: 2,
      strategyA: { name: 'wide', totalReturn: 0.03 }, strategyB: { name: 'narrow', totalReturn: -0.01 },
      pValue: 0.04, significant: true, confidenceInterval: { lower: 0.01, upper: 0.07, confidence: 0.95 }, verdict: 'A_BETTER',
    });
    expect(first.results[1]).toMatchObject({
      kind: 'sweep', configs: 2,
      best: { params: { 'strategy.rangeWidthMultiplier': 2 }, meanReturn: 0.02, deflatedSharpeProbability: 0.9, warning: 'best of 2 configurations' },
    });
    expect(first.unreadable).toEqual([{ file: join(dir, 'compare-broken.json'), error: expect.any(String) }]);
    const second = await storedResearch(dir, { limit: 2, offset: 2 });
    expect(second.results.map((r) => r.id)).toEqual(['old']);
  });

  it('reports a directory it cannot read instead of failing the request', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rk-stored-')), 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await storedResearch(file, { limit: 20, offset: 0 });
    expect(r).toMatchObject({ total: 0, results: [], unreadable: [{ file, error: expect.stringMatching(/ENOTDIR/) }] });
  });
});
