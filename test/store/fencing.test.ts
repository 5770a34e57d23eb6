/**
 * The lease and its fencing token against the real Redis: two writers (two processes of one
 * agent id) take, renew and lose the lease in any order while both write checkpoints, append
 * journal entries and send orders through the agent's gate; only the freshest token's writes and
 * orders get through.
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/adapters/store/redisStore.js';
import type { RedisLease } from '../../src/adapters/store/redisLease.js';
import { FencedOutError, LeaseLostError } from '../../src/adapters/store/lease.js';
import { gateVenue, KillSwitch } from '../../src/actors/core/killSwitch.js';
import { newVenue, SYMBOL } from '../actors/support/fixture.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';

const ns = uniqueNamespace('fencing');
let store: RedisStore;
let redis: Redis;

beforeAll(async () => {
  await requireRedis();
  store = await RedisStore.connect({ url: TEST_REDIS_URL, namespace: ns });
  redis = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  const keys = await redis.keys(`${ns}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await store.close();
});

const TTL = 60_000;
const MARGIN = 10_000;

type Step =
  | { kind: 'acquire'; w: 0 | 1 }
  | { kind: 'renew'; w: 0 | 1 }
  | { kind: 'expire' }
  | { kind: 'put'; w: 0 | 1 }
  | { kind: 'append'; w: 0 | 1 }
  | { kind: 'order'; w: 0 | 1 };

const writer = fc.constantFrom<0 | 1>(0, 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  writer.map((w) => ({ kind: 'acquire' as const, w })),
  writer.map((w) => ({ kind: 'renew' as const, w })),
  fc.constant({ kind: 'expire' as const }),
  writer.map((w) => ({ kind: 'put' as const, w })),
  writer.map((w) => ({ kind: 'append' as const, w })),
  writer.map((w) => ({ kind: 'order' as const, w })),
);

describe('lease with fencing token (real Redis)', () => {
  it('any interleaving of two writers leaves only the freshest token\'s writes and orders', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 40, size: 'max' }), async (steps) => {
      run += 1;
      const name = `agent/prop-${run}`;
      const leaseKey = `${ns}:lease:${name}`;
      const docKey = `agent/prop-${run}/actors/risk`;
      const logKey = `agent/prop-${run}/orders/paper`;
      let clock = 0;
      const now = (): number => clock;
      /** Each writer: its current lease object (a new one after a loss: the process restarts as standby), its fenced store, its gated venue. */
      const writers = [0, 1].map((w) => {
        const venue = newVenue();
        const ks = new KillSwitch(now);
        return { id: w, venue, ks, gated: gateVenue(venue, ks), lease: null as RedisLease | null, view: null as RedisStore | null, orders: 0 };
      });
      const fresh = (w: number): RedisLease => store.lease(name, { holder: `${hostname()}:w${w}`, ttlMs: TTL, marginMs: MARGIN, now });
      // the model: the newest token issued, the token in the lease key (null once expired), each writer's validity
      let issued = 0;
      let keyHolder: number | null = null;
      const model = [{ token: 0, validUntil: -Infinity, lost: false }, { token: 0, validUntil: -Infinity, lost: false }];
      const puts: number[] = [];
      const orders: number[] = [];
      let seq = 0;
      for (const s of steps) {
        if (s.kind === 'expire') {
          clock += TTL;
          await redis.del(leaseKey); // what Redis does when the key's ttl runs out
          keyHolder = null;
          continue;
        }
        const w = writers[s.w]!;
        const m = model[s.w]!;
        if (s.kind === 'acquire') {
          if (w.lease === null || m.lost) {
            w.lease = fresh(s.w);
            w.ks.fenceWith(w.lease);
            Object.assign(m, { token: 0, validUntil: -Infinity, lost: false });
          }
          const r = await w.lease.tryAcquire();
          if (m.token !== 0) {
            expect(r).toEqual({ acquired: true, token: m.token });
          } else if (keyHolder === null) {
            issued += 1;
            expect(r).toEqual({ acquired: true, token: issued });
            keyHolder = issued;
            Object.assign(m, { token: issued, validUntil: clock + TTL - MARGIN });
            w.view = store.fenced({ name, token: issued, onFencedOut: (err) => w.lease!.fencedOut(err) });
          } else {
            expect(r.acquired).toBe(false);
          }
        } else if (s.kind === 'renew') {
          if (w.lease === null) continue;
          const ok = await w.lease.renew();
          const expected = !m.lost && m.token !== 0 && keyHolder === m.token;
          expect(ok).toBe(expected);
          if (expected) m.validUntil = clock + TTL - MARGIN;
          else if (m.token !== 0) m.lost = true;
        } else if (s.kind === 'put' || s.kind === 'append') {
          if (w.view === null) continue;
          seq += 1;
          const entry = { token: m.token, seq };
          const write = s.kind === 'put' ? w.view.put(docKey, entry) : w.view.append(logKey, entry);
          const ok = await write.then(() => true, (err: unknown) => {
            expect(err).toBeInstanceOf(FencedOutError);
            return false;
          });
          // fenced by the token alone: refused exactly when a newer token was issued
          expect(ok).toBe(m.token === issued);
          if (!ok) m.lost = true;
          if (ok && s.kind === 'put') puts.push(m.token);
        } else {
          if (w.lease === null) continue;
          const before = w.venue.attempts.length;
          const ok = await w.gated.createOrder({ symbol: SYMBOL, side: 'buy', type: 'market', amount: 0.01, clientOrderId: `w${s.w}-${seq++}` }).then(() => true, (err: unknown) => {
            expect(err).toBeInstanceOf(LeaseLostError);
            return false;
          });
          // an order leaves only while the lease is held, fresh on the holder's own clock
          expect(ok).toBe(!m.lost && m.token !== 0 && clock < m.validUntil);
          expect(w.venue.attempts.length).toBe(before + (ok ? 1 : 0));
          if (ok) orders.push(m.token);
        }
      }
      // only the freshest writer's effects: tokens never go back in the log, the checkpoint or the orders
      const log = await store.read<{ token: number }>(logKey);
      for (const seqOf of [log.map((e) => e.token), puts, orders]) {
        for (let i = 1; i < seqOf.length; i++) expect(seqOf[i]).toBeGreaterThanOrEqual(seqOf[i - 1]!);
      }
      const doc = await store.get<{ token: number }>(docKey);
      expect(doc?.value.token ?? 0).toBe(puts.at(-1) ?? 0);
      for (const w of writers) await w.venue.close();
    }), { numRuns: 50 });
  });

  it('a holder paused past its ttl refuses its own sends on waking, loses the renewal, and is fenced out of the store', async () => {
    const name = 'agent/paused';
    const a = store.lease(name, { holder: 'a', ttlMs: 300, marginMs: 60, renewMs: 100 });
    const b = store.lease(name, { holder: 'b', ttlMs: 300, marginMs: 60, renewMs: 100 });
    const ta = await a.tryAcquire();
    expect(ta.acquired).toBe(true);
    expect(await b.tryAcquire()).toEqual({ acquired: false, holder: `a#${(ta as { token: number }).token}` });
    a.assertHeld('order');
    const aStore = store.fenced({ name, token: a.token, onFencedOut: (err) => a.fencedOut(err) });
    await aStore.put('agent/actors/hedge', { by: 'a' });
    // a is "paused": no renewal runs; its lease runs out in Redis
    await new Promise((r) => setTimeout(r, 350));
    expect(() => a.assertHeld('order')).toThrow(LeaseLostError);
    const tb = await b.tryAcquire();
    expect(tb).toEqual({ acquired: true, token: a.token + 1 });
    const bStore = store.fenced({ name, token: b.token });
    await bStore.put('agent/actors/hedge', { by: 'b' });
    // a wakes: its write is refused and it learns it lost the lease; its renewal is refused too
    await expect(aStore.put('agent/actors/hedge', { by: 'a' })).rejects.toBeInstanceOf(FencedOutError);
    await expect(aStore.append('agent/orders/x', { by: 'a' })).rejects.toBeInstanceOf(FencedOutError);
    await expect(a.lost).resolves.toMatch(/fenced out/);
    expect(await a.renew()).toBe(false);
    expect((await store.get<{ by: string }>('agent/actors/hedge'))?.value).toEqual({ by: 'b' });
    expect(await store.read('agent/orders/x')).toEqual([]);
    // b holds it by renewing; releasing lets the next one in at once, with a newer token
    b.hold();
    await new Promise((r) => setTimeout(r, 400));
    b.assertHeld('order');
    await b.release();
    expect(() => b.assertHeld('order')).toThrow(LeaseLostError);
    const c = store.lease(name, { holder: 'c', ttlMs: 300, marginMs: 60 });
    expect(await c.tryAcquire()).toEqual({ acquired: true, token: b.token + 1 });
    await c.release();
  });
});
