/**
 * `rangekeeper start --redis` acts under the agent's lease (issue 12): while another process holds
 * it, the demo refuses to start (one line, exit 2; its chain lives inside it, so it cannot be a
 * standby); once free, the demo takes it, shows it, and gives it back on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/adapters/store/redisStore.js';
import { BIN, expectOneLineFailure, runCli } from '../support/cli.js';
import { requireRedis, TEST_REDIS_URL } from '../support/redis.js';

// a database of its own: the demo's keys (agent "demo", default namespace) stay away from anyone's real demo
const url = (() => {
  const u = new URL(TEST_REDIS_URL);
  u.pathname = '/11';
  return u.toString();
})();
const LEASE_KEY = 'rangekeeper:lease:agent/demo';
let redis: Redis;

beforeAll(async () => {
  await requireRedis();
  redis = new Redis(url);
});

afterAll(async () => {
  await redis.quit();
});

describe('rangekeeper start --redis and the agent lease', () => {
  it('refuses to start while another process holds the lease, then runs under it once free', async () => {
    const store = await RedisStore.connect({ url });
    const other = store.lease('agent/demo', { holder: 'other-host:4242', ttlMs: 20_000 });
    try {
      expect((await other.tryAcquire()).acquired).toBe(true);
      const refused = await runCli(['start', '--simulated', '--port', '0', '--redis', url], { env: { LOG_LEVEL: 'error' } });
      expectOneLineFailure(refused, 2, /another process \(other-host:4242, fencing token \d+\) holds the lease of agent "demo".*rangekeeper run/);
    } finally {
      await other.release();
      await store.close();
    }

    const child = spawn(process.execPath, [BIN, 'start', '--simulated', '--port', '0', '--redis', url], { env: { ...process.env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const token = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no lease line within 60 s: ${out}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /lease agent\/demo held in Redis \(fencing token (\d+)\)/.exec(out);
          if (m !== null) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(await redis.get(LEASE_KEY)).toMatch(new RegExp(`:${child.pid}#${token}$`));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(await redis.get(LEASE_KEY)).toBeNull();
  }, 90_000);
});
