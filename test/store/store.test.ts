import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/adapters/store/fileStore.js';
import { DataDirLockedError } from '../../src/adapters/store/fileLock.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';
import { RedisStore, StoreUnavailableError } from '../../src/adapters/store/redisStore.js';
import { StaleVersionError, type Store } from '../../src/adapters/store/store.js';
import { InvalidStoreKeyError } from '../../src/adapters/store/storeKey.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';

const dirs: string[] = [];
const namespaces: string[] = [];

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'rk-store-'));
  dirs.push(d);
  return d;
}

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  const r = new Redis(TEST_REDIS_URL);
  for (const ns of namespaces) {
    const keys = await r.keys(`${ns}:*`);
    if (keys.length > 0) await r.del(...keys);
  }
  await r.quit();
});

const kinds: Array<[string, () => Promise<Store>]> = [
  ['memory', async () => new MemoryStore()],
  ['file', async () => FileStore.open(await tempDir())],
  [
    'redis',
    async () => {
      const ns = uniqueNamespace('store');
      namespaces.push(ns);
      return RedisStore.connect({ url: TEST_REDIS_URL, namespace: ns });
    },
  ],
];

beforeAll(requireRedis);

describe.each(kinds)('%s store', (_name, make) => {
  it('writes, versions and reads documents, keeping bigint exact', async () => {
    const s = await make();
    expect(await s.get('position/a')).toBeNull();
    const big = 2n ** 200n + 7n;
    expect(await s.put('position/a', { liquidity: big, tick: -5 })).toBe(1);
    expect(await s.put('position/a', { liquidity: big + 1n, tick: -6 })).toBe(2);
    expect(await s.get('position/a')).toEqual({ value: { liquidity: big + 1n, tick: -6 }, version: 2 });
    await s.close();
  });

  it('stores what was put at the call, even when the caller changes the value while writes queue', async () => {
    // an actor's book is updated in place by its next turn while the store still writes the last
    // checkpoint: the document must be the state as it was put, not a mix of two turns
    const s = await make();
    const book: Record<string, number> = { a: 1 };
    const state = { capital: 1, book };
    const first = s.put('actor/risk', { ...state });
    const second = s.put('actor/risk', state);
    const entry = { n: 1 };
    const logged = s.append('journal/j', entry);
    book['a'] = 2; // the next turn, before the queued writes ran
    entry.n = 2;
    await Promise.all([first, second, logged]);
    expect(await s.get('actor/risk')).toEqual({ value: { capital: 1, book: { a: 1 } }, version: 2 });
    expect(await s.read('journal/j')).toEqual([{ n: 1 }]);
    await s.close();
  });

  it('refuses a write with a stale expected version, and a create over an existing key', async () => {
    const s = await make();
    await s.put('k', 1, 0);
    await expect(s.put('k', 2, 0)).rejects.toBeInstanceOf(StaleVersionError);
    await expect(s.put('k', 2, 5)).rejects.toMatchObject({ expected: 5, actual: 1 });
    expect(await s.put('k', 3, 1)).toBe(2);
    expect((await s.get('k'))?.value).toBe(3);
    await s.close();
  });

  it('lists keys by prefix, sorted, and deletes', async () => {
    const s = await make();
    await s.put('pos/b', 1);
    await s.put('pos/a', 1);
    await s.append('pos/c', { e: 1 });
    await s.put('hedge/x', 1);
    expect(await s.keys('pos/')).toEqual(['pos/a', 'pos/b', 'pos/c']);
    expect(await s.delete('pos/a')).toBe(true);
    expect(await s.delete('pos/a')).toBe(false);
    expect(await s.keys('pos/')).toEqual(['pos/b', 'pos/c']);
    await s.close();
  });

  it('appends to logs and reads them back in order, with offset and limit', async () => {
    const s = await make();
    for (let i = 0; i < 10; i++) await s.append('audit', { i, amount: BigInt(i) * 10n ** 18n });
    expect((await s.read<{ i: number }>('audit')).map((e) => e.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await s.read<{ i: number }>('audit', 3, 2)).map((e) => e.i)).toEqual([3, 4]);
    expect(await s.read('missing')).toEqual([]);
    await s.close();
  });

  it('rejects malformed keys with the key in the error', async () => {
    const s = await make();
    await expect(s.put('../etc/passwd', 1)).rejects.toBeInstanceOf(InvalidStoreKeyError);
    await expect(s.get('has space')).rejects.toThrow(/has space/);
    await s.close();
  });

  it('concurrent versioned writers: exactly one wins each round (property)', async () => {
    const s = await make();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 1e6 }), async (writers, salt) => {
        const key = `race/${salt}`;
        const cur = (await s.get(key))?.version ?? 0;
        const results = await Promise.allSettled(Array.from({ length: writers }, (_, w) => s.put(key, w, cur)));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof StaleVersionError)).toHaveLength(writers - 1);
        expect((await s.get(key))?.version).toBe(cur + 1);
      }),
      { numRuns: 25 },
    );
    await s.close();
  });
});

describe('file store durability', () => {
  it('ignores a torn last log line (crash mid-append) and keeps the rest', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.append('fills', { n: 1 });
    await s.append('fills', { n: 2 });
    await s.close();
    await appendFile(join(dir, 'logs', 'fills.jsonl'), '{"n":3, "amo');
    const s2 = await FileStore.open(dir);
    expect(await s2.read('fills')).toEqual([{ n: 1 }, { n: 2 }]);
    await s2.close();
  });

  it('survives reopen with versions intact and files private (0600)', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.put('a/b', { x: 1 });
    await s.put('a/b', { x: 2 });
    await s.close();
    const s2 = await FileStore.open(dir);
    expect(await s2.get('a/b')).toEqual({ value: { x: 2 }, version: 2 });
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(dir, 'docs', 'a%2Fb.json'))).mode & 0o777).toBe(0o600);
    await s2.close();
  });

  it('refuses a data directory locked by a live process, takes over a stale lock', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.lock'), '1'); // pid 1 is alive
    await expect(FileStore.open(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await writeFile(join(dir, '.lock'), '999999999'); // no such process
    const s = await FileStore.open(dir);
    expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(String(process.pid));
    await s.close();
  });
});

describe('redis store errors', () => {
  it('says clearly when Redis cannot be reached', async () => {
    await expect(RedisStore.connect({ url: 'redis://127.0.0.1:1', redis: { retryStrategy: () => null, maxRetriesPerRequest: 0 } })).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
