/**
 * Pools shared by several processes (leaseShares.ts) on the real Redis: members on their own
 * connections share 30 items fairly, a member joining takes its share from the others, a member
 * that dies (its connection cut: no heartbeat, no renewal) has its items taken by the survivors,
 * and at no instant do two members have the same item adopted.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/adapters/store/redisStore.js';
import type { LeaseShares } from '../../src/adapters/store/leaseShares.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';

const ns = uniqueNamespace('shares');
let admin: Redis;
const stores: RedisStore[] = [];

beforeAll(async () => {
  await requireRedis();
  admin = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  const keys = await admin.keys(`${ns}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

const TTL = 900;
const ITEMS = Array.from({ length: 30 }, (_, i) => `pool-${String(i).padStart(2, '0')}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Who has each item adopted right now, and every time two had it at once. */
class Registry {
  readonly adoptedBy = new Map<string, string>();
  readonly violations: string[] = [];
  readonly adoptedAt = new Map<string, number>();
  adopt(item: string, member: string): void {
    const other = this.adoptedBy.get(item);
    if (other !== undefined && other !== member) this.violations.push(`${item} adopted by ${member} while ${other} had it`);
    this.adoptedBy.set(item, member);
    this.adoptedAt.set(item, Date.now());
  }
  drop(item: string, member: string): void {
    if (this.adoptedBy.get(item) === member) this.adoptedBy.delete(item);
  }
  count(member: string): number {
    return [...this.adoptedBy.values()].filter((m) => m === member).length;
  }
}

async function member(group: string, name: string, reg: Registry): Promise<{ shares: LeaseShares; store: RedisStore }> {
  const store = await RedisStore.connect({ url: TEST_REDIS_URL, namespace: ns });
  stores.push(store);
  const shares = store.shares(group, {
    items: ITEMS, holder: name, ttlMs: TTL, leaseName: (item) => `${group}/${item}`,
    adopt: async (item) => {
      await sleep(5); // a reconciliation takes a moment
      reg.adopt(item, name);
    },
    drop: async (item) => {
      reg.drop(item, name);
    },
  });
  return { shares, store };
}

async function until(what: string, ok: () => boolean, ms = 8_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
}

describe('pools shared by several processes (real Redis)', () => {
  it('three members split 30 pools 10/10/10; a fourth joining takes its share; a member killed has its pools taken within ttl + a round', async () => {
    const group = 'agent/t1/pools';
    const reg = new Registry();
    const a = await member(group, 'a', reg);
    await a.shares.start();
    // alone, it takes everything
    await until('a holds 30', () => reg.count('a') === 30);
    const b = await member(group, 'b', reg);
    const c = await member(group, 'c', reg);
    await Promise.all([b.shares.start(), c.shares.start()]);
    await until('10/10/10', () => ['a', 'b', 'c'].every((m) => reg.count(m) === 10));
    expect(reg.adoptedBy.size).toBe(30);
    // the view shows who owns what, the same from any member (as of its last round)
    await until('c\'s view shows 30 owners', () => Object.values(c.shares.view().owners).filter((o) => o !== null).length === 30, 2_000);
    const owners = c.shares.view().owners;
    expect(new Set(Object.values(owners).map((o) => o!.split('#')[0]))).toEqual(new Set(['a', 'b', 'c']));

    const d = await member(group, 'd', reg);
    await d.shares.start();
    // ceil(30 / 4) = 8: nobody above 8, every pool held
    await until('4 members at most 8 each, all held', () => ['a', 'b', 'c', 'd'].every((m) => reg.count(m) <= 8) && reg.adoptedBy.size === 30 && reg.count('d') >= 6);

    // kill -9 of b: its connection goes, it neither heartbeats nor renews nor releases
    const orphaned = [...reg.adoptedBy.entries()].filter(([, m]) => m === 'b').map(([i]) => i);
    expect(orphaned.length).toBeGreaterThan(0);
    for (const i of orphaned) reg.drop(i, 'b');
    const killedAt = Date.now();
    await b.store.close().catch(() => undefined);
    (b.shares as unknown as { stopped: boolean }).stopped = true;
    await until('b\'s pools adopted by the others', () => orphaned.every((i) => reg.adoptedBy.has(i)), 5_000);
    const takeover = Math.max(...orphaned.map((i) => reg.adoptedAt.get(i)! - killedAt));
    // the lease expires after at most TTL; the next round comes within a third of it
    expect(takeover).toBeLessThan(TTL + TTL / 3 + 1_000);
    await until('ceil(30 / 3) = 10 each', () => ['a', 'c', 'd'].every((m) => reg.count(m) === 10));

    for (const m of [a, c, d]) await m.shares.stop();
    expect(reg.adoptedBy.size).toBe(0);
    expect(reg.violations).toEqual([]);
  }, 30_000);

  it('a member stopping hands its pools over at once (released, not left to expire)', async () => {
    const group = 'agent/t2/pools';
    const reg = new Registry();
    const a = await member(group, 'a', reg);
    const b = await member(group, 'b', reg);
    await a.shares.start();
    await b.shares.start();
    await until('15/15', () => reg.count('a') === 15 && reg.count('b') === 15);
    await a.shares.stop();
    const stoppedAt = Date.now();
    await b.shares.tick();
    expect(reg.count('b')).toBe(30);
    expect(Date.now() - stoppedAt).toBeLessThan(TTL);
    await b.shares.stop();
    expect(reg.violations).toEqual([]);
  }, 20_000);

  it('a member that stopped taking keeps what it holds and takes nothing more, not even what another member gives up', async () => {
    const group = 'agent/t3/pools';
    const reg = new Registry();
    const a = await member(group, 'a', reg);
    const b = await member(group, 'b', reg);
    await a.shares.start();
    await b.shares.start();
    await until('15/15', () => reg.count('a') === 15 && reg.count('b') === 15);
    // both processes stopping at once: b stops taking first, then a gives its pools back
    b.shares.stopTaking();
    await a.shares.stop();
    await b.shares.tick();
    await b.shares.tick();
    expect(reg.count('b')).toBe(15);
    expect(reg.count('a')).toBe(0);
    await b.shares.stop();
    expect(reg.adoptedBy.size).toBe(0);
    expect(reg.violations).toEqual([]);
  }, 20_000);
});
