/**
 * maxExposure bounds the net unhedged exposure share of capital (issue 9: it was LP value /
 * equity, which halted a correctly funded agent at start: a ~30k USD LP with 5k USDT margin,
 * enough for its 12k notional hedge at 3x, halted with "max exposure 85.71% > 80%" and the LP
 * stayed unhedged). An LP the venue cannot hedge still halts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { netExposure } from '../../src/actors/risk/exposure.js';
import { settings, startFixture, SYMBOL, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('maxExposure on the agent', () => {
  it('a 30k USD LP with 5k USDT margin hedged at 3x starts and runs at ~9% exposure under the default 80% limit', async () => {
    f = await startFixture({ venueBalance: 5_000 });
    expect(settings([]).limits.maxExposure).toBe(0.8);
    await f.move(3000);
    const pos = await f.agent.position(f.pools[0]!.poolId);
    expect(pos.valueUsd).toBeGreaterThan(29_000);
    const hedge = (await f.agent.hedge()).assets['ETH']!;
    expect(hedge.rejections).toBe(0);
    expect(hedge.withinBand).toBe(true);
    expect(Math.abs(hedge.current) * 3000).toBeGreaterThan(10_000); // ~12k notional on 5k margin
    const risk = await f.agent.risk();
    expect(risk.status).toBe('running');
    expect(risk.reason).toBeNull();
    // net: LP delta ~15k USD long, perp ~12k USD short, over ~35k equity
    expect(risk.exposure).toBeGreaterThan(0.05);
    expect(risk.exposure).toBeLessThan(0.12);
    expect(risk.exposureUsd?.[SYMBOL]).toBeCloseTo(pos.delta * 3000 + hedge.current * 3000, 0);
  });

  it('an LP the venue cannot hedge (no margin) still halts on maxExposure', async () => {
    f = await startFixture({ venueBalance: 100, settings: { limits: { ...settings([]).limits, maxExposure: 0.4 } } });
    await f.move(3000);
    const hedge = (await f.agent.hedge()).assets['ETH']!;
    // the 100 USDT carry at most a partial hedge of 300 USDT notional at 3x; the rest is unplaced or refused
    expect(hedge.rejections > 0 || hedge.unplaced > 0).toBe(true);
    expect(Math.abs(hedge.current) * 3000).toBeLessThanOrEqual(300);
    const risk = await f.agent.risk();
    expect(risk.status).toBe('halted');
    expect(risk.reason).toMatch(/^max exposure: 4\d\.\d\d% > 40%$/);
    expect(risk.exposure).toBeGreaterThan(0.4);
    expect(risk.exposure).toBeLessThan(0.55);
  });
});

describe('netExposure', () => {
  it('a perp position equal and opposite to the LP delta leaves no exposure; exposure never exceeds the gross', () => {
    const usd = fc.double({ min: -1e7, max: 1e7, noNaN: true });
    fc.assert(fc.property(fc.array(fc.record({ symbol: fc.constantFrom('ETH/USDT:USDT', 'BTC/USDT:USDT'), deltaUsd: usd }), { maxLength: 6 }), fc.double({ min: 1, max: 1e8, noNaN: true }), (lp, equity) => {
        const hedges: Record<string, number> = {};
        for (const p of lp) hedges[p.symbol] = (hedges[p.symbol] ?? 0) - p.deltaUsd;
        expect(netExposure(lp, [hedges], equity).exposure).toBeLessThan(1e-6);
        const unhedged = netExposure(lp, [], equity).exposure;
        const gross = lp.reduce((a, p) => a + Math.abs(p.deltaUsd), 0) / equity;
        expect(unhedged).toBeLessThanOrEqual(gross + 1e-9);
      }));
  });

  it('the issue case: 15k USD long in the LP, 12k short on the venue, 35k equity: 8.57%', () => {
    const n = netExposure([{ symbol: SYMBOL, deltaUsd: 15_000 }], [{ [SYMBOL]: -12_000 }], 35_000);
    expect(n.exposure).toBeCloseTo(3_000 / 35_000, 12);
    expect(n.netUsd).toEqual({ [SYMBOL]: 3_000 });
  });
});
