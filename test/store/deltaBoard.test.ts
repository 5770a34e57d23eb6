/**
 * The delta board (deltaBoard.ts) on the real Redis: pools move between two owners in any order
 * while both keep publishing; the board holds, for every pool, the delta of the freshest owner
 * that published (a stale owner's publication is refused), so the net the hedge computes never
 * counts a pool twice nor loses one that moved. The watcher wakes on each change.
 */
import { Redis } from 'ioredis';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/adapters/store/redisStore.js';
import { FencedOutError } from '../../src/adapters/store/lease.js';
import type { PoolDelta } from '../../src/adapters/store/deltaBoard.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';

const ns = uniqueNamespace('deltas');
let store: RedisStore;
let admin: Redis;

beforeAll(async () => {
  await requireRedis();
  store = await RedisStore.connect({ url: TEST_REDIS_URL, namespace: ns });
  admin = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  const keys = await admin.keys(`${ns}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
  await store.close();
});

const POOLS = ['p0', 'p1', 'p2'];
type Step = { kind: 'take'; w: 0 | 1; pool: number } | { kind: 'publish'; w: 0 | 1; pool: number; delta: number };
const w = fc.constantFrom<0 | 1>(0, 1);
const pool = fc.integer({ min: 0, max: POOLS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('take' as const), w, pool }),
  fc.record({ kind: fc.constant('publish' as const), w, pool, delta: fc.integer({ min: -1000, max: 1000 }) }),
);

describe('delta board (real Redis)', () => {
  it('pools moving between owners in any order: the board keeps each pool\'s freshest owner\'s delta, and only that', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
      run += 1;
      const leaseName = (p: string): string => `agent/prop-${run}/pool/${p}`;
      const board = store.deltaBoard(`agent/prop-${run}/deltas/ETH`, 'ETH', leaseName);
      // each owner's token per pool (what its lease got when it took the pool over); a take is a
      // new lease after the previous holder's lapsed (the lease key removed, as its ttl would)
      const tokens = [new Map<number, number>(), new Map<number, number>()];
      const newest = new Map<number, number>();
      const expected = new Map<string, { delta: number; token: number }>();
      for (const s of steps) {
        if (s.kind === 'take') {
          await admin.del(`${ns}:lease:${leaseName(POOLS[s.pool]!)}`);
          const lease = store.lease(leaseName(POOLS[s.pool]!), { holder: `w${s.w}`, ttlMs: 60_000 });
          const r = await lease.tryAcquire();
          expect(r.acquired).toBe(true);
          if (r.acquired) {
            tokens[s.w]!.set(s.pool, r.token);
            newest.set(s.pool, r.token);
          }
          continue;
        }
        const token = tokens[s.w]!.get(s.pool);
        if (token === undefined) continue;
        const poolId = POOLS[s.pool]!;
        let fencedOut = false;
        const ok = await board.publish({ name: leaseName(poolId), token, onFencedOut: () => (fencedOut = true) }, { poolId, asset: 'ETH', symbol: 'ETH/USDT:USDT', delta: s.delta, price: 3000, valueUsd: 1, at: 0, holder: `w${s.w}` }).then(() => true, (err: unknown) => {
          expect(err).toBeInstanceOf(FencedOutError);
          return false;
        });
        expect(ok).toBe(token === newest.get(s.pool));
        expect(fencedOut).toBe(!ok);
        if (ok) expected.set(poolId, { delta: s.delta, token });
      }
      // a pool taken over but not yet published by its new owner keeps its last delta (not missed)
      const read = await board.read();
      expect(new Map([...read].map(([p, d]) => [p, { delta: d.delta, token: d.token }]))).toEqual(expected);
    }), { numRuns: 60 });
  });

  it('the watcher sees the whole board at once and again after each change', async () => {
    const leaseName = (p: string): string => `agent/watch/pool/${p}`;
    const board = store.deltaBoard('agent/watch/deltas/ETH', 'ETH', leaseName);
    const lease = store.lease(leaseName('p0'), { holder: 'w0', ttlMs: 60_000 });
    const r = await lease.tryAcquire();
    if (!r.acquired) throw new Error('lease not taken');
    const entry = (delta: number): Omit<PoolDelta, 'token'> => ({ poolId: 'p0', asset: 'ETH', symbol: 'ETH/USDT:USDT', delta, price: 3000, valueUsd: 1, at: 0, holder: 'w0' });
    await board.publish({ name: leaseName('p0'), token: r.token }, entry(1));
    const seen: number[] = [];
    let wake: () => void = () => undefined;
    const stop = board.watch((b) => {
      seen.push(b.get('p0')?.delta ?? NaN);
      wake();
    }, (err) => { throw err; }, 60_000);
    const next = (): Promise<void> => new Promise((res) => (wake = res));
    await next();
    expect(seen).toEqual([1]);
    const changed = next();
    await board.publish({ name: leaseName('p0'), token: r.token }, entry(2));
    await changed;
    expect(seen).toEqual([1, 2]);
    await stop();
    await lease.release();
  });
});
