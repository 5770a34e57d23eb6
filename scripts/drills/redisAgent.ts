/**
 * A drill agent on the Redis store (high availability): its configuration moved from the file
 * store to Redis under the drill's own namespace, with the given `ha` settings and the history
 * off, and the venue key stored encrypted in Redis; and the namespace's keys removed at the end.
 * Every process started with that configuration is one member of the same agent.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { Credentials } from '../../src/adapters/keys/credentials.js';
import { KeyStore } from '../../src/adapters/keys/keyStore.js';
import { deriveMasterKey } from '../../src/adapters/keys/masterKey.js';
import { RedisStore } from '../../src/adapters/store/redisStore.js';
import { TEST_API_KEY, TEST_SECRET, type VenueName } from '../../test/support/venues/venueHarness.js';
import { DRILL_MASTER_KEY, type DrillSetup } from './drillSetup.js';

export interface DrillRedis {
  url: string;
  /** The drill's key prefix: one per run, so runs and other users of the server never meet. */
  namespace: string;
}

/** A namespace for one run of `drill` (its pid and start time). */
export function drillNamespace(drill: string): string {
  return `drill:${drill}:${process.pid}:${Date.now().toString(36)}`;
}

/** Rewrites the agent's configuration for the Redis store with `ha`, and stores the venue key there. */
export async function useRedisStore(setup: DrillSetup, venue: VenueName, redis: DrillRedis, ha: Record<string, unknown>): Promise<void> {
  const cfg = JSON.parse(await readFile(setup.configFile, 'utf8')) as Record<string, unknown>;
  cfg['store'] = { kind: 'redis', url: redis.url, namespace: redis.namespace };
  cfg['ha'] = ha;
  cfg['history'] = { enabled: false };
  await writeFile(setup.configFile, JSON.stringify(cfg, null, 2));
  const store = await RedisStore.connect({ url: redis.url, namespace: redis.namespace });
  try {
    await (await KeyStore.open(store, deriveMasterKey(DRILL_MASTER_KEY))).add(venue, 'main', new Credentials(TEST_API_KEY, TEST_SECRET));
  } finally {
    await store.close();
  }
}

/** Removes every key of the drill's namespace. */
export async function dropNamespace(redis: DrillRedis): Promise<void> {
  const r = new Redis(redis.url);
  try {
    const keys = await r.keys(`${redis.namespace}:*`);
    if (keys.length > 0) await r.del(...keys);
  } finally {
    await r.quit();
  }
}
