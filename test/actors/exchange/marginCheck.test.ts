/**
 * The margin implementation (src/actors/exchange/marginCheck.ts): the liquidation estimate of a
 * cross position matches the venues' formula, the safe notional puts liquidation exactly at the
 * buffer, and the funding ledger takes each payment once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affordableAmount, DEFAULT_MARGIN_BUFFER, marginHealth } from '../../../src/actors/exchange/marginCheck.js';
import { foldFunding } from '../../../src/actors/exchange/fundingLedger.js';

describe('marginHealth', () => {
  it('a position of exactly the safe notional sits on the buffer, long or short', () => {
    fc.assert(fc.property(
      fc.double({ min: 100, max: 1e6, noNaN: true }), // equity
      fc.double({ min: 1, max: 1e5, noNaN: true }), // mark
      fc.double({ min: 0.01, max: 0.9, noNaN: true }), // buffer
      fc.double({ min: 0.001, max: 0.05, noNaN: true }), // maintenance rate
      fc.boolean(),
      (equity, mark, buffer, mmr, short) => {
        const cfg = { ...DEFAULT_MARGIN_BUFFER, minLiquidationDistance: buffer, maxMarginRatio: 1 };
        const probe = marginHealth({ size: short ? -1 : 1, markPrice: mark, maintenanceMargin: mmr * mark, liquidationPrice: null }, equity, cfg);
        const size = (probe.maxSafeNotional / mark) * (short ? -1 : 1);
        const h = marginHealth({ size, markPrice: mark, maintenanceMargin: mmr * Math.abs(size) * mark, liquidationPrice: null }, equity, cfg);
        if (h.liquidationPrice === null) return; // a long so small nothing liquidates it
        expect(h.liquidationDistance!).toBeCloseTo(buffer, 6);
      },
    ));
  });

  it('trusts the venue liquidation price over its estimate, and flags a margin ratio over the limit', () => {
    const h = marginHealth({ size: -2, markPrice: 3000, maintenanceMargin: 30, liquidationPrice: 3300 }, 1000, DEFAULT_MARGIN_BUFFER);
    expect(h.liquidationPrice).toBe(3300);
    expect(h.liquidationDistance).toBeCloseTo(0.1, 12);
    expect(h.healthy).toBe(false);
    const r = marginHealth({ size: -2, markPrice: 3000, maintenanceMargin: 30, liquidationPrice: 9000 }, 50, DEFAULT_MARGIN_BUFFER);
    expect(r.marginRatio).toBeCloseTo(0.6, 12);
    expect(r.reason).toMatch(/margin ratio 60\.00% above 50\.00%/);
  });

  it('affordable amount keeps the reserve free and rounds down to the lot', () => {
    expect(affordableAmount(3000, 3000, 3000, 3, 0.001)).toBeCloseTo(2.94, 12);
    expect(affordableAmount(50, 3000, 3000, 3, 0.001)).toBe(0);
  });
});

describe('funding ledger', () => {
  it('folds each payment once, whatever the reads overlap', () => {
    const p = (id: string, amount: number, timestamp: number) => ({ id, symbol: 'ETH', amount, rate: null, timestamp });
    let l = foldFunding({ bySymbol: {}, total: 0, checkedAt: null }, 'ETH', [p('a', 1, 10), p('b', -3, 20)]);
    l = foldFunding(l, 'ETH', [p('b', -3, 20), p('c', 0.5, 20), p('d', 2, 30)]);
    l = foldFunding(l, 'ETH', [p('c', 0.5, 20), p('d', 2, 30)]);
    expect(l.bySymbol['ETH']).toMatchObject({ received: 0.5, payments: 4, lastAt: 30 });
    expect(l.total).toBeCloseTo(0.5, 12);
  });
});
