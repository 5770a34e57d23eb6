import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { chunkBlockRange } from '../../../src/streams/blockRanges.js';
import { CanonicalChain } from '../../../src/streams/canonicalChain.js';
import { ConfirmationBuffer, placeKey } from '../../../src/streams/confirmationBuffer.js';
import { exactlyOnce } from '../../../src/streams/exactlyOnce.js';
import type { StreamItem } from '../../../src/streams/streamItem.js';
import { PoolStreamConfigSchema } from '../../../src/streams/streamConfig.js';

interface Ev { blockNumber: number; blockHash: string; logIndex: number }
const hashOf = (block: number, fork: number) => '0x' + `${fork.toString(16)}f${block.toString(16)}`.padStart(64, '0');

describe('chunkBlockRange', () => {
  it('covers [from, to] exactly once, in order, with chunks of at most size', () => {
    fc.assert(fc.property(fc.nat(1_000_000), fc.nat(5000), fc.integer({ min: 1, max: 3000 }), (from, len, size) => {
      const to = from + len - 1;
      const chunks = chunkBlockRange(from, to, size);
      let next = from;
      for (const c of chunks) {
        expect(c.from).toBe(next);
        expect(c.to - c.from + 1).toBeLessThanOrEqual(size);
        expect(c.to).toBeGreaterThanOrEqual(c.from);
        next = c.to + 1;
      }
      expect(next).toBe(len === 0 ? from : to + 1);
    }));
  });
  it('rejects a zero chunk size', () => {
    expect(() => chunkBlockRange(0, 10, 0)).toThrow(RangeError);
  });
});

describe('CanonicalChain', () => {
  it('links blocks by parent hash, forgets beyond its window, rewinds', () => {
    const c = new CanonicalChain(3);
    c.reset(10, hashOf(10, 0));
    for (let n = 11; n <= 14; n++) {
      expect(c.extendsHead({ number: n, hash: hashOf(n, 0), parentHash: hashOf(n - 1, 0) })).toBe(true);
      c.record(n, hashOf(n, 0));
    }
    expect(c.known()).toEqual([14, 13, 12]);
    expect(c.oldest).toBe(12);
    expect(c.extendsHead({ number: 15, hash: hashOf(15, 1), parentHash: hashOf(14, 1) })).toBe(false);
    expect(c.extendsHead({ number: 16, hash: hashOf(16, 0), parentHash: hashOf(15, 0) })).toBe(false);
    c.rewindTo(12);
    expect(c.head).toBe(12);
    expect(c.hashAt(13)).toBeUndefined();
    expect(() => c.record(14, hashOf(14, 0))).toThrow(RangeError);
  });
});

type Op = { op: 'add'; block: number; logIndex: number; fork: number } | { op: 'release'; through: number } | { op: 'rewind'; fork: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), block: fc.integer({ min: 0, max: 30 }), logIndex: fc.integer({ min: 0, max: 4 }), fork: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('release' as const), through: fc.integer({ min: -1, max: 30 }) }),
  fc.record({ op: fc.constant('rewind' as const), fork: fc.integer({ min: -1, max: 30 }) }),
);

describe('ConfirmationBuffer', () => {
  it('delivers each event once, in chain order, only when confirmed, and retracts exactly what a reorg removed', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
      const buf = new ConfirmationBuffer<Ev>();
      const live = new Map<string, Ev>();
      const known = new Map<string, Ev>(); // added and not removed by a rewind
      for (const o of ops) {
        if (o.op === 'add') {
          const e = { blockNumber: o.block, blockHash: hashOf(o.block, o.fork), logIndex: o.logIndex };
          const fresh = buf.add(e);
          expect(fresh).toBe(!known.has(placeKey(e)));
          known.set(placeKey(e), e);
        } else if (o.op === 'release') {
          const out = buf.release(o.through);
          // Non-strict: this random script may hold the same (block, logIndex) from two forks at once
          // (the follower never does: it rewinds before scanning the other fork).
          for (let i = 1; i < out.length; i++) {
            const a = out[i - 1]!.event;
            const b = out[i]!.event;
            expect(a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex <= b.logIndex)).toBe(true);
          }
          for (const item of out) {
            expect(item.kind).toBe('event');
            expect(live.has(item.key)).toBe(false);
            expect(item.event.blockNumber).toBeLessThanOrEqual(o.through);
            live.set(item.key, item.event);
          }
          for (const [k, e] of known) if (e.blockNumber <= o.through) expect(live.has(k)).toBe(true);
        } else {
          const out = buf.rewind(o.fork);
          for (const item of out) {
            expect(item.kind).toBe('retraction');
            expect(live.delete(item.key)).toBe(true);
          }
          for (const [k, e] of known) if (e.blockNumber > o.fork) known.delete(k);
          for (const e of live.values()) expect(e.blockNumber).toBeLessThanOrEqual(o.fork);
        }
      }
    }), { numRuns: 500 });
  });
});

describe('exactlyOnce', () => {
  it('drops repeated events and retractions of events never seen', async () => {
    const e = (k: string): StreamItem<string> => ({ kind: 'event', key: k, event: k });
    const r = (k: string): StreamItem<string> => ({ kind: 'retraction', key: k, event: k, forkBlock: 0 });
    const out = await lastValueFrom(from([e('a'), e('a'), r('b'), e('b'), r('a'), r('a'), e('a')]).pipe(exactlyOnce(), toArray()));
    expect(out.map((i) => `${i.kind[0]}${i.key}`)).toEqual(['ea', 'eb', 'ra', 'ea']);
  });
});

describe('PoolStreamConfigSchema', () => {
  it('fills defaults and names the bad field', () => {
    expect(PoolStreamConfigSchema.parse({})).toMatchObject({ fromBlock: 'latest', confirmations: 2, chunkSize: 2000, reorgWindow: 128 });
    const bad = PoolStreamConfigSchema.safeParse({ confirmations: 10, reorgWindow: 5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['reorgWindow']);
    expect(PoolStreamConfigSchema.safeParse({ chunkSize: 0 }).error?.issues[0]?.path).toEqual(['chunkSize']);
  });
});
