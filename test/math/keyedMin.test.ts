/**
 * KeyedMin is Math.min of the values held after any sequence of sets and deletes (NaN as
 * Math.min has it, +Infinity when empty), across the slot tree's growth and slot reuse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedMin } from '../../src/math/keyedMin.js';

type Op = { kind: 'set'; key: number; value: number } | { kind: 'delete'; key: number };
const value = fc.oneof({ weight: 8, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -0, 0, Number.NEGATIVE_INFINITY) });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.nat(40), value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(40) }) },
);

describe('KeyedMin', () => {
  it('property: min() is Math.min of the values held after any sets and deletes', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const m = new KeyedMin<number>();
      const held = new Map<number, number>();
      for (const o of ops) {
        if (o.kind === 'set') {
          m.set(o.key, o.value);
          held.set(o.key, o.value);
        } else {
          m.delete(o.key);
          held.delete(o.key);
        }
        expect(m.size).toBe(held.size);
        expect(m.min()).toBe(Math.min(...held.values()));
      }
    }), { numRuns: 300 });
  });
});
