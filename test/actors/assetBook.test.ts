/**
 * The hedge actor's book of an asset (assetBook.ts) keeps running sums that equal a from-scratch
 * pass over its records after any sequence of pool reports (with pools moving on and off their
 * own hedge ratio): the net delta and the value exactly as a fresh exact sum of the rows, within
 * the rounding bound of a naive sum, and the delta to hedge Σ delta × (own ratio, else the
 * agent's) within its rounding bound: the book computes ratio × Σ delta for the pools at the
 * agent's ratio where the naive pass multiplies each, which differ by rounding only (each product
 * and each addition rounds once: (2n + 2)·2^-53 of Σ|delta × ratio| bounds both sides' error).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssetBook, assetBookOf } from '../../src/actors/hedge/assetBook.js';
import { ExactSum } from '../../src/math/exactSum.js';

const AGENT_RATIO = 0.8;
const report = fc.record({
  pool: fc.nat(9).map((i) => `0x${i}`),
  delta: fc.oneof({ weight: 9, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0.1, 0.2, 1e12, -1e12) }),
  valueUsd: fc.double({ min: 0, max: 5e7, noNaN: true }),
  ratio: fc.option(fc.constantFrom(0, 0.5, 1, 0.3), { nil: null }),
});

const exact = (xs: number[]): number => {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s.value();
};
const gamma = (n: number): number => (n * 2 ** -53) / (1 - n * 2 ** -53);

describe('AssetBook', () => {
  it('property: after any sequence of pool reports its sums equal a from-scratch pass over its records', () => {
    fc.assert(fc.property(fc.array(report, { maxLength: 80 }), (reports) => {
      const a = { deltas: {} as Record<string, number>, values: {} as Record<string, number> };
      const book = assetBookOf(a);
      for (const r of reports) {
        book.put(r.pool, r.delta, r.valueUsd, r.ratio);
        const pools = Object.keys(a.deltas);
        const ds = pools.map((p) => a.deltas[p]!);
        const vs = pools.map((p) => a.values[p]!);
        expect(book.pools).toBe(pools.length);
        expect(book.ownRatios).toBe(Object.keys(book.ratios).length);
        expect(book.netDelta()).toBe(exact(ds));
        expect(Math.abs(book.netDelta() - ds.reduce((x, y) => x + y, 0))).toBeLessThanOrEqual(gamma(ds.length) * ds.reduce((x, y) => x + Math.abs(y), 0));
        expect(book.valueUsd()).toBe(exact(vs));
        const terms = pools.map((p) => a.deltas[p]! * (book.ratios[p] ?? AGENT_RATIO));
        const naive = terms.reduce((x, y) => x + y, 0);
        const bound = gamma(2 * terms.length + 2) * pools.reduce((x, p) => x + Math.abs(a.deltas[p]! * (book.ratios[p] ?? AGENT_RATIO)), 0);
        expect(Math.abs(book.hedgedDelta(AGENT_RATIO) - naive)).toBeLessThanOrEqual(bound);
      }
      // rebuilt from its records (a checkpoint restored): the same sums
      const rebuilt = new AssetBook({ ...a.deltas }, { ...a.values }, { ...book.ratios });
      expect(rebuilt.netDelta()).toBe(book.netDelta());
      expect(rebuilt.valueUsd()).toBe(book.valueUsd());
      expect(rebuilt.hedgedDelta(AGENT_RATIO)).toBe(book.hedgedDelta(AGENT_RATIO));
    }), { numRuns: 200 });
  });
});
