import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readReference, type ReferenceRules, type SourceQuote } from '../../../src/math/referencePrice.js';

const rules: ReferenceRules = { minSources: 2, maxSpread: 0.03, staleMs: 30_000 };
const price = fc.double({ min: 1e-3, max: 1e6, noNaN: true, noDefaultInfinity: true });
/** Quotes from distinct sources, all fresh at now = 1e6. */
const quotes = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), price), { minLength: 1, maxLength: 9, selector: ([s]) => s })
  .map((qs) => qs.map(([source, p]): SourceQuote => ({ source, price: p, at: 1e6 })));
const loose: ReferenceRules = { minSources: 1, maxSpread: Number.MAX_VALUE, staleMs: 1 };

describe('reference price', () => {
  it('known cases: the median of three, the geometric middle of two, refusals with the reason', () => {
    const at = 0;
    expect(readReference([{ source: 'a', price: 3000, at }, { source: 'b', price: 3010, at }, { source: 'c', price: 3005, at }], 0, rules).price).toBe(3005);
    expect(readReference([{ source: 'a', price: 3000, at }, { source: 'b', price: 3030, at }], 0, rules).price).toBeCloseTo(Math.sqrt(3000 * 3030), 9);
    const one = readReference([{ source: 'binance', price: 3000, at }], 0, rules);
    expect(one.price).toBeNull();
    expect(one.refused).toBe('1 fresh reference source (binance), 2 required');
    const apart = readReference([{ source: 'binance', price: 3000, at }, { source: 'twap', price: 3300, at }], 0, rules);
    expect(apart.price).toBeNull();
    expect(apart.median).toBeCloseTo(Math.sqrt(3000 * 3300), 9);
    expect(apart.refused).toBe('reference sources disagree by 10.00% > 3.00% (binance 3000, twap 3300)');
    const old = readReference([{ source: 'binance', price: 3000, at: 0 }, { source: 'twap', price: 3000, at: 40_000 }], 40_000, rules);
    expect(old).toMatchObject({ price: null, fresh: ['twap'], stale: ['binance'] });
    expect(old.refused).toContain('stale: binance');
    // a per-source bound replaces the default one
    expect(readReference([{ source: 'binance', price: 3000, at: 0 }, { source: 'twap', price: 3000, at: 40_000 }], 40_000, { ...rules, sourceStaleMs: { binance: 60_000 } }).price).toBe(3000);
  });

  it('lies within the fresh sources and does not depend on their order', () => {
    fc.assert(fc.property(quotes, fc.nat(), (qs, rot) => {
      const r = readReference(qs, 1e6, loose);
      const k = rot % qs.length;
      const rotated = readReference([...qs.slice(k), ...qs.slice(0, k)].reverse(), 1e6, loose);
      const ps = qs.map((q) => q.price);
      return r.price !== null && r.price >= Math.min(...ps) * (1 - 1e-12) && r.price <= Math.max(...ps) * (1 + 1e-12) && rotated.price === r.price;
    }));
  });

  it('one source alone cannot move it beyond the others: with three or more, it stays within the range of the rest', () => {
    fc.assert(fc.property(quotes.filter((qs) => qs.length >= 3), price, fc.nat(), (qs, pushed, which) => {
      const i = which % qs.length;
      const moved = qs.map((q, j) => (j === i ? { ...q, price: pushed } : q));
      const rest = qs.filter((_, j) => j !== i).map((q) => q.price);
      const r = readReference(moved, 1e6, loose).price!;
      return r >= Math.min(...rest) * (1 - 1e-12) && r <= Math.max(...rest) * (1 + 1e-12);
    }));
  });

  it('inverts with the prices (either token order of a pool reads the same reference)', () => {
    fc.assert(fc.property(quotes, (qs) => {
      const r = readReference(qs, 1e6, loose).price!;
      const inv = readReference(qs.map((q) => ({ ...q, price: 1 / q.price })), 1e6, loose).price!;
      return Math.abs(Math.log(r * inv)) <= 1e-9;
    }));
  });

  it('a stale source never counts, whatever its price; fewer fresh than required or a spread beyond the bound refuses', () => {
    fc.assert(fc.property(quotes, price, fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (qs, stalePrice, minSources, maxSpread) => {
      const r0 = { minSources, maxSpread, staleMs: 10_000 };
      const withStale = readReference([...qs, { source: 'stale-source-x', price: stalePrice, at: 1e6 - 10_001 }], 1e6, r0);
      const without = readReference(qs, 1e6, r0);
      const ps = qs.map((q) => q.price);
      const spread = Math.max(...ps) / Math.min(...ps) - 1;
      const shouldRefuse = qs.length < minSources || spread > maxSpread;
      return withStale.median === without.median && withStale.price === without.price && withStale.stale.includes('stale-source-x')
        && (without.price === null) === shouldRefuse && (without.refused === null) === !shouldRefuse;
    }));
  });

  it('the latest quote of a source is the one that counts', () => {
    const r = readReference([{ source: 'a', price: 100, at: 5 }, { source: 'a', price: 200, at: 3 }], 5, loose);
    expect(r.price).toBe(100);
  });
});
