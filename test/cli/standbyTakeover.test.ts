/**
 * `rangekeeper run` twice with one configuration on the Redis store (simulated chain, paper
 * venue): the first is active, the second waits as the standby (both say so in GET
 * /api/v1/state); kill -9 the active one and the standby takes the lease with the next fencing
 * token once it expires, and acts. The devnet drill (npm run drill:failover) checks the same on
 * one shared chain and venue, with duplicates counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';

const ns = uniqueNamespace('standby');
const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeAll(requireRedis);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  const r = new Redis(TEST_REDIS_URL);
  const keys = await r.keys(`${ns}:*`);
  if (keys.length > 0) await r.del(...keys);
  await r.quit();
});

interface Proc { child: ChildProcess; out: () => string; exit: Promise<number | null> }

/** The agents' API token (RANGEKEEPER_API_TOKEN, an admin token): the state snapshot needs one. */
const API_TOKEN = 'standby-test-token-90af';

function start(cfg: string): Proc {
  const child = spawn(process.execPath, [BIN, 'run', '--config', cfg], { env: { ...process.env, LOG_LEVEL: 'info', RANGEKEEPER_API_TOKEN: API_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out, exit: new Promise((r) => child.on('exit', (code) => r(code))) };
}

async function until<T>(probe: () => T | null | undefined, ms: number): Promise<T | null> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface HaEntry { role: string; holder: string; active?: string | null; fencingToken?: number; tookOver?: boolean }

async function haState(httpUrl: string): Promise<{ ha: HaEntry; kinds: string[] }> {
  const events = (await (await fetch(`${httpUrl}/api/v1/state`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json()) as Array<{ kind: string; state: unknown }>;
  return { ha: events.find((e) => e.kind === 'ha')!.state as HaEntry, kinds: events.map((e) => e.kind) };
}

describe('run on Redis: one active, one standby, takeover after kill -9', () => {
  it('the standby takes the lease with the next token when the active process is killed, and acts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-standby-'));
    dirs.push(dir);
    const cfg = join(dir, 'agent.yaml');
    await writeFile(cfg, [
      'agentId: standby-e2e',
      'chain: { kind: simulated }',
      'pools:',
      '  - { asset: ETH, hedgeSymbol: ETH/USDT:USDT, token0: { symbol: WETH, decimals: 18 }, token1: { symbol: USDC, decimals: 6 }, fee: 500, tickSpacing: 10, deposit: { amount0: "2", amount1: "6000" } }',
      `store: { kind: redis, url: "${TEST_REDIS_URL}", namespace: "${ns}" }`,
      'api: { host: 127.0.0.1, port: 0 }',
      'ha: { leaseTtlMs: 3000, standbyPollMs: 100 }',
      'history: { enabled: false }',
    ].join('\n'));
    const a = start(cfg);
    const aLine = await until(() => /state feed ws:\/\/([\d.:]+)\/ws \(active, lease token (\d+)\)/.exec(a.out()), 60_000);
    expect(aLine, a.out()).not.toBeNull();
    const aUrl = `http://${aLine![1]}`;
    const aToken = Number(aLine![2]);
    const b = start(cfg);
    const bLine = await until(() => /rangekeeper standby .* is active; .* state (http:\/\/[\d.:]+)\/api\/v1\/state/.exec(b.out()), 60_000);
    expect(bLine, b.out()).not.toBeNull();
    const standby = await haState(bLine![1]!);
    const active = await haState(aUrl);
    expect(active.ha).toMatchObject({ role: 'active', fencingToken: aToken, tookOver: false });
    expect(active.kinds).toContain('position');
    expect(standby.ha).toMatchObject({ role: 'standby', active: `${active.ha.holder}#${aToken}` });
    expect(standby.kinds).toEqual(['ha']);

    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    const bRunning = await until(() => /state feed ws:\/\/([\d.:]+)\/ws \(active, lease token (\d+)\)/.exec(b.out()), 30_000);
    expect(bRunning, b.out()).not.toBeNull();
    const tookOverMs = Date.now() - killedAt;
    expect(Number(bRunning![2])).toBe(aToken + 1);
    const after = await haState(`http://${bRunning![1]}`);
    expect(after.ha).toMatchObject({ role: 'active', fencingToken: aToken + 1, tookOver: true });
    // it acts: the hedge of its position goes out under the new lease
    expect(await until(() => (b.out().includes('"msg":"hedge adjusted"') ? true : null), 20_000), b.out()).toBe(true);
    console.log(`standby took over ${tookOverMs} ms after kill -9 (lease ttl 3000 ms)`);

    b.child.kill('SIGTERM');
    expect(await b.exit, b.out()).toBe(0);
    // a clean stop gives the lease up at once
    const r = new Redis(TEST_REDIS_URL);
    expect(await r.exists(`${ns}:lease:agent/standby-e2e`)).toBe(0);
    await r.quit();
  }, 120_000);
});
