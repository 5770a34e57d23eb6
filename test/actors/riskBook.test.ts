/**
 * The risk supervisor's book keeps running figures (riskBook.ts) that equal a from-scratch pass
 * over its rows after any sequence of reports: the LP value and each symbol's delta exactly as a
 * fresh exact sum of the rows (and within the rounding bound of a naive left-to-right sum), the
 * unfunded count and the worst IL exactly, and a book rebuilt from its rows (a restored
 * checkpoint) gives the same figures: the history leaves no trace, so no drift.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskBook, bookOf } from '../../src/actors/risk/riskBook.js';
import type { PositionReport } from '../../src/actors/position/positionActor.js';
import { ExactSum } from '../../src/math/exactSum.js';

const usd = fc.oneof({ weight: 9, arbitrary: fc.double({ min: -5e6, max: 5e6, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, 0.1, 0.2, 1e15, Number.NaN) });
const report: fc.Arbitrary<PositionReport> = fc.record({
  pool: fc.nat(9),
  symbol: fc.constantFrom('ETH/USDT:USDT', 'BTC/USDT:USDT'),
  deltaUsd: usd,
  quote: fc.option(fc.record({ symbol: fc.constantFrom('ETH/USDT:USDT', 'SOL/USDT:USDT'), deltaUsd: usd }), { nil: undefined }),
  valueUsd: fc.double({ min: 0, max: 5e6, noNaN: true }),
  depositedUsd: fc.constantFrom(0, 10_000, 25_000.5),
  ilPercent: fc.oneof({ weight: 9, arbitrary: fc.double({ min: -50, max: 5, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) }),
}).map((r) => ({
  poolId: `0x${r.pool}`, symbol: r.symbol, deltaUsd: r.deltaUsd, ...(r.quote === undefined ? {} : { quoteDelta: r.quote }),
  valueUsd: r.valueUsd, depositedUsd: r.depositedUsd, ilPercent: r.ilPercent, pnlPercent: 0, status: 'running' as const,
}));

/** Σ by a fresh exact sum, and the bound a naive left-to-right sum of n values stays within (γ_n Σ|x|, γ_n ≈ n·2^-53). */
function exactAndBound(xs: number[]): { exact: number; bound: number } {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  const n = xs.length;
  return { exact: s.value(), bound: ((n * 2 ** -53) / (1 - n * 2 ** -53)) * xs.reduce((a, x) => a + Math.abs(x), 0) };
}

const finite0 = (x: number): number => (Number.isFinite(x) ? x : 0);

function fromScratch(rows: PositionReport[]) {
  const bySymbol = new Map<string, number[]>();
  const push = (symbol: string, usd: number): void => {
    bySymbol.set(symbol, [...(bySymbol.get(symbol) ?? []), finite0(usd)]);
  };
  for (const r of rows) {
    push(r.symbol, r.deltaUsd);
    if (r.quoteDelta !== undefined) push(r.quoteDelta.symbol, r.quoteDelta.deltaUsd);
  }
  return {
    values: rows.map((r) => r.valueUsd),
    unfunded: rows.filter((r) => !(r.depositedUsd > 0)).length,
    worstIl: rows.reduce((a, r) => Math.min(a, r.ilPercent), 0),
    bySymbol,
  };
}

describe('RiskBook', () => {
  it('property: after any sequence of reports its figures equal a from-scratch pass over its rows', () => {
    fc.assert(fc.property(fc.array(report, { maxLength: 80 }), (reports) => {
      const rows: Record<string, PositionReport> = {};
      const book = bookOf(rows);
      for (const r of reports) {
        const before = rows[r.poolId];
        expect(book.put(r)).toBe(before);
        expect(rows[r.poolId]).toBe(r); // in place: the state's own record
        const all = Object.values(rows);
        const want = fromScratch(all);
        expect(book.pools).toBe(all.length);
        expect(book.unfunded).toBe(want.unfunded);
        expect(book.worstIlPercent()).toBe(want.worstIl);
        const lp = exactAndBound(want.values);
        expect(book.lpUsd()).toBe(lp.exact);
        expect(Math.abs(book.lpUsd() - want.values.reduce((a, x) => a + x, 0))).toBeLessThanOrEqual(lp.bound);
        const deltas = new Map(book.lpDeltas().map((d) => [d.symbol, d.deltaUsd]));
        expect([...deltas.keys()].sort()).toEqual([...want.bySymbol.keys()].sort());
        for (const [symbol, xs] of want.bySymbol) {
          const d = exactAndBound(xs);
          expect(deltas.get(symbol)).toBe(d.exact);
          expect(Math.abs(deltas.get(symbol)! - xs.reduce((a, x) => a + x, 0))).toBeLessThanOrEqual(d.bound);
        }
      }
      // a book rebuilt from the rows (a checkpoint restored) says the same
      const rebuilt = new RiskBook({ ...rows });
      expect(rebuilt.lpUsd()).toBe(book.lpUsd());
      expect(rebuilt.lpDeltas().sort((a, b) => a.symbol.localeCompare(b.symbol))).toEqual(book.lpDeltas().sort((a, b) => a.symbol.localeCompare(b.symbol)));
      expect(rebuilt.worstIlPercent()).toBe(book.worstIlPercent());
      expect(rebuilt.unfunded).toBe(book.unfunded);
    }), { numRuns: 200 });
  });

  it('property: undoing a failed turn\'s report leaves the rows and every figure as before that report', () => {
    fc.assert(fc.property(fc.array(report, { maxLength: 30 }), report, (reports, failed) => {
      const rows: Record<string, PositionReport> = {};
      const book = bookOf(rows);
      for (const r of reports) book.put(r);
      const rowsBefore = { ...rows };
      const figures = (b: RiskBook) => ({
        pools: b.pools, unfunded: b.unfunded, il: b.worstIlPercent(), lp: b.lpUsd(),
        deltas: b.lpDeltas().sort((x, y) => x.symbol.localeCompare(y.symbol)),
      });
      const want = figures(book);
      book.undo(failed, book.put(failed));
      expect(rows).toEqual(rowsBefore);
      expect(Object.keys(rows).sort()).toEqual(Object.keys(rowsBefore).sort());
      expect(figures(book)).toEqual(want);
      expect(figures(new RiskBook({ ...rows }))).toEqual(want);
    }), { numRuns: 200 });
  });

  it('bookOf keeps one book per record: the same record, the same book; a restored copy, its own', () => {
    const rows: Record<string, PositionReport> = {};
    expect(bookOf(rows)).toBe(bookOf(rows));
    expect(bookOf({ ...rows })).not.toBe(bookOf(rows));
  });
});
