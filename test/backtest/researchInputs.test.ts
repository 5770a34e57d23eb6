/**
 * What compare and sweep run on: the parameter grid (the cartesian product, values set at dotted
 * paths without touching the base, duplicates refused) and the market paths (synthetic seeds in
 * order; windows of the shipped history that never cross a file and tile it without overlap).
 */
import { describe, expect, it } from 'vitest';
import { historyPaths, syntheticPaths } from '../../src/backtest/marketPaths.js';
import { GridError, gridPoints, parseParamFlag, withValue } from '../../src/backtest/parameterGrid.js';
import { EXAMPLE_MINUTE_BARS } from '../support/sharedData.js';

describe('parameter grid', () => {
  it('is the cartesian product, first parameter slowest', () => {
    const pts = gridPoints([parseParamFlag('risk.hedgeRatio=0,1'), parseParamFlag('hedge.band=0.02, 0.05,0.1')]);
    expect(pts).toHaveLength(6);
    expect(pts[0]).toEqual({ 'risk.hedgeRatio': 0, 'hedge.band': 0.02 });
    expect(pts[5]).toEqual({ 'risk.hedgeRatio': 1, 'hedge.band': 0.1 });
    expect(() => gridPoints([parseParamFlag('a=1'), parseParamFlag('a=2')])).toThrow(GridError);
  });

  it('sets a value at a dotted path in a copy, through arrays too', () => {
    const base = { pools: [{ deposit: { amount0: '1' } }], risk: { hedgeRatio: 0.8, maxIL: 0.2 } };
    const out = withValue(withValue(base, 'risk.hedgeRatio', 0.5), 'pools.0.fee', 3000) as typeof base & { pools: { fee: number }[] };
    expect(out.risk).toEqual({ hedgeRatio: 0.5, maxIL: 0.2 });
    expect(out.pools[0]).toEqual({ deposit: { amount0: '1' }, fee: 3000 });
    expect(base.risk.hedgeRatio).toBe(0.8);
    expect(withValue({}, 'hedge.band', 0.1)).toEqual({ hedge: { band: 0.1 } });
  });
});

describe('market paths', () => {
  it('synthetic: one path per seed, in order', () => {
    const s = syntheticPaths({ initialPrice: 1800, sigma: 0.8, stepSeconds: 60, seed: 7, steps: 30, count: 3 });
    expect(s.info).toMatchObject({ kind: 'synthetic', count: 3, stepsPerPath: 30, labels: ['seed 7', 'seed 8', 'seed 9'] });
    expect(() => syntheticPaths({ initialPrice: 1800, sigma: -1, stepSeconds: 60, seed: 1, steps: 30, count: 2 })).toThrow(/sigma/);
  });

  it('history: windows of the example day tile it without overlap', async () => {
    const h = await historyPaths({ data: EXAMPLE_MINUTE_BARS, windowMinutes: 240 });
    expect(h.info.count).toBe(6);
    h.paths.forEach((p, i) => expect(p).toMatchObject({ kind: 'bars', from: i * 240, to: (i + 1) * 240 }));
    const overlapping = await historyPaths({ data: EXAMPLE_MINUTE_BARS, windowMinutes: 240, strideMinutes: 120 });
    expect(overlapping.info.count).toBe(11);
  });
});
