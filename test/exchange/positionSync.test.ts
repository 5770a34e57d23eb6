import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeSynchronization, discrepancySeverity, type HedgeExposure } from '../../src/adapters/exchange/positionSync.js';
import { marginShortfall, requiredMargin } from '../../src/adapters/exchange/marginRequirement.js';

const SYM = 'ETH/USDT:USDT';
const exp = (required: number, current: number, asset = 'ETH'): HedgeExposure => ({ asset, symbol: SYM, required, current });

describe('analyzeSynchronization (spec position sync)', () => {
  it('ignores differences within 5% of the required hedge', () => {
    const r = analyzeSynchronization([exp(-10, -9.6), exp(-10, -10.5)]);
    expect(r.requiresAction).toBe(false);
    expect(r.syncedCount).toBe(2);
    expect(r.actions).toEqual([]);
  });

  it('asks to increase an under-sized short hedge by selling the difference', () => {
    const r = analyzeSynchronization([exp(-10, -8)], { minSize: 0.001 });
    expect(r.discrepancies[0]).toMatchObject({ difference: -2, severity: 'medium' });
    expect(r.actions[0]).toMatchObject({ type: 'INCREASE_HEDGE', side: 'sell', size: 2, reduceOnly: false });
  });

  it('decreases an over-sized hedge with a reduce-only order', () => {
    const r = analyzeSynchronization([exp(-10, -13)], { minSize: 0.001 });
    expect(r.actions[0]).toMatchObject({ type: 'DECREASE_HEDGE', side: 'buy', size: 3, reduceOnly: true, severity: 'high' });
  });

  it('treats a wrong-signed hedge and a hedge with nothing required as critical', () => {
    const r = analyzeSynchronization([exp(-1, 1, 'BTC'), exp(0, -2, 'ETH'), exp(-10, -9, 'SOL')], { minSize: 0.001 });
    expect(r.actions.map((a) => [a.asset, a.severity])).toEqual([['BTC', 'critical'], ['ETH', 'critical'], ['SOL', 'low']]);
    const btc = r.actions.find((a) => a.asset === 'BTC');
    expect(btc).toMatchObject({ type: 'DECREASE_HEDGE', side: 'sell', size: 2, reduceOnly: false });
  });

  it('does not chase dust below the lot', () => {
    expect(analyzeSynchronization([exp(0, 0.0004)], { minSize: 0.001 }).requiresAction).toBe(false);
  });

  it('severity grows with the relative gap', () => {
    expect([0.06, 0.2, 0.4, 0.8].map((x) => discrepancySeverity(x, false))).toEqual(['low', 'medium', 'high', 'critical']);
  });

  // Executing the actions (as fills of exactly their size) always brings every asset within tolerance.
  it('property: applying the actions converges within tolerance in one pass', () => {
    const lots = fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 1000);
    fc.assert(fc.property(fc.array(fc.tuple(lots, lots), { minLength: 1, maxLength: 6 }), (pairs) => {
      const exposures = pairs.map(([req, cur], i) => exp(req, cur, `A${i}`));
      const r = analyzeSynchronization(exposures, { minSize: 0.001 });
      for (let k = 1; k < r.actions.length; k += 1) expect(r.actions[k - 1]!.priority).toBeGreaterThanOrEqual(r.actions[k]!.priority);
      const after = exposures.map((e) => {
        const a = r.actions.find((x) => x.asset === e.asset);
        return a === undefined ? e : { ...e, current: e.current + (a.side === 'buy' ? a.size : -a.size) };
      });
      const again = analyzeSynchronization(after, { minSize: 0.001 });
      expect(again.requiresAction).toBe(false);
      for (const a of r.actions) {
        const e = exposures.find((x) => x.asset === a.asset)!;
        if (a.reduceOnly) expect(Math.abs(e.current) + 1e-12).toBeGreaterThanOrEqual(a.size);
      }
    }), { numRuns: 300 });
  });
});

describe('requiredMargin', () => {
  it('is notional / leverage per symbol (spec default 3x) and flags maxPositionSize', () => {
    const m = requiredMargin([{ symbol: SYM, size: -10, price: 3000 }, { symbol: SYM, size: 2, price: 3000 }, { symbol: 'BTC/USDT:USDT', size: 1, price: 60_000 }]);
    expect(m.perSymbol[SYM]).toEqual({ notional: 36_000, margin: 12_000 });
    expect(m.total).toBe(32_000);
    expect(m.oversized).toEqual([]);
    expect(marginShortfall(m, 31_999)).toMatch(/Insufficient margin: need 32000.00, available 31999.00/);
    expect(marginShortfall(m, 32_000)).toBeNull();
    const big = requiredMargin([{ symbol: SYM, size: 400, price: 3000 }], { leverage: 5, maxPositionSize: 1_000_000 });
    expect(big.total).toBe(240_000);
    expect(marginShortfall(big, 1e9)).toMatch(/exceeds maxPositionSize 1000000/);
    expect(() => requiredMargin([{ symbol: SYM, size: Number.NaN, price: 1 }])).toThrow(RangeError);
  });
});
