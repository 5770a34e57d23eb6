import { Redis } from 'ioredis';

/** The Redis the tests use: REDIS_URL or 127.0.0.1:6379. */
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Fails fast, with instructions, when no Redis answers: the store tests need a real one.
 */
export async function requireRedis(): Promise<void> {
  const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(
      `These tests need a Redis server at ${TEST_REDIS_URL} (set REDIS_URL to use another). Start one with:\n` +
        `  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n` +
        `(Debian: apt-get install redis-server). Cause: ${(err as Error).message}`,
    );
  } finally {
    r.disconnect();
  }
}

/** A namespace no other test run uses, so parallel runs never see each other's keys. */
export function uniqueNamespace(prefix: string): string {
  return `test:${prefix}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
}
