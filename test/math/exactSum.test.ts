/**
 * ExactSum is the exact sum of the values it holds, rounded once to the nearest double, after any
 * sequence of adds and removes: checked against an independent exact sum in bigint (every double
 * is an integer multiple of 2^-1074), so a running sum never drifts from a re-sum.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../src/math/exactSum.js';

const view = new DataView(new ArrayBuffer(8));

/** x × 2^1074, exactly (x finite). */
function scaled(x: number): bigint {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponent = (bits >> 52n) & 0x7ffn;
  const mantissa = bits & ((1n << 52n) - 1n);
  const magnitude = exponent === 0n ? mantissa : (mantissa | (1n << 52n)) << (exponent - 1n);
  return negative ? -magnitude : magnitude;
}

/** The doubles next to x (finite, not at the ends of the range). */
function neighbours(x: number): [number, number] {
  if (x === 0) return [-Number.MIN_VALUE, Number.MIN_VALUE];
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, bits + 1n);
  const away = view.getFloat64(0);
  view.setBigUint64(0, bits - 1n);
  const toward = view.getFloat64(0);
  return x > 0 ? [toward, away] : [away, toward];
}

const abs = (b: bigint): bigint => (b < 0n ? -b : b);

/** True when `v` is a double nearest to the exact sum `exact` (× 2^1074). */
function nearest(v: number, exact: bigint): boolean {
  const d = abs(scaled(v) - exact);
  return neighbours(v).every((n) => abs(scaled(n) - exact) >= d);
}

// finite doubles of every size a sum of USD amounts, deltas and products meets (and far beyond),
// with cancellations: the same magnitudes come back with either sign
const value = fc.oneof(
  fc.double({ min: -1e12, max: 1e12, noNaN: true }),
  fc.double({ min: -1e300, max: 1e300, noNaN: true }),
  fc.constantFrom(0.1, 0.2, 0.3, 1e16, -1e16, 1, -1, 2 ** -1074, -0),
);
type Op = { kind: 'set'; key: number; value: number } | { kind: 'remove'; key: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.nat(7), value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), key: fc.nat(7) }) },
);

describe('ExactSum', () => {
  it('property: after any adds and removes, value() is the exact sum of the values held rounded to nearest (bigint reference), whatever the history', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const sum = new ExactSum();
      const held = new Map<number, number>();
      for (const o of ops) {
        const old = held.get(o.key);
        if (old !== undefined) sum.remove(old);
        held.delete(o.key);
        if (o.kind === 'set') {
          sum.add(o.value);
          held.set(o.key, o.value);
        }
        const exact = [...held.values()].reduce((a, x) => a + scaled(x), 0n);
        const v = sum.value();
        expect(Number.isFinite(v)).toBe(true);
        expect(nearest(v, exact)).toBe(true);
        // the same as a fresh sum of what is held: the history leaves no trace
        const fresh = new ExactSum();
        for (const x of [...held.values()].reverse()) fresh.add(x);
        expect(Object.is(fresh.value(), v) || (v === 0 && fresh.value() === 0)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  it('holds a sum that a naive running sum loses: 1e16 + 1 + 1 − 1e16 = 2, and 0.1 + 0.2 − 0.1 − 0.2 = 0', () => {
    const a = new ExactSum();
    for (const x of [1e16, 1, 1]) a.add(x);
    a.remove(1e16);
    expect(a.value()).toBe(2);
    expect(1e16 + 1 + 1 - 1e16).toBe(0); // what the naive sum says
    const b = new ExactSum();
    b.add(0.1);
    b.add(0.2);
    b.remove(0.1);
    b.remove(0.2);
    expect(b.value()).toBe(0);
  });

  it('property: non-finite values as IEEE addition has them, and they can be taken out again', () => {
    const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -2.5);
    fc.assert(fc.property(fc.array(special, { maxLength: 8 }), fc.array(fc.boolean(), { maxLength: 8 }), (xs, keep) => {
      const sum = new ExactSum();
      for (const x of xs) sum.add(x);
      const kept = xs.filter((x, i) => {
        if (keep[i] ?? true) return true;
        sum.remove(x);
        return false;
      });
      const naive = kept.reduce((a, x) => a + x, 0);
      expect(Object.is(sum.value(), naive) || (Number.isNaN(naive) && Number.isNaN(sum.value()))).toBe(true);
    }), { numRuns: 300 });
  });
});
