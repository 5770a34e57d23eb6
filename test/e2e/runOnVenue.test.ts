/**
 * `rangekeeper run` hedging on a real venue client: ccxt against the Bybit / Binance loopback
 * stand-ins, credentials from the encrypted key store in the agent's data directory, the
 * simulated chain for the pools. The hedge orders must reach the venue, and no secret the log.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Credentials } from '../../src/adapters/keys/credentials.js';
import { KeyStore } from '../../src/adapters/keys/keyStore.js';
import { deriveMasterKey } from '../../src/adapters/keys/masterKey.js';
import { FileStore } from '../../src/adapters/store/fileStore.js';
import { SimAccount } from '../support/venues/simAccount.js';
import { startStandIn, TEST_API_KEY, TEST_SECRET, type VenueName } from '../support/venues/venueHarness.js';

const BIN = join(import.meta.dirname, '../../bin/rangekeeper.mjs');
const MASTER = '9'.repeat(64);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function setUp(name: VenueName, baseUrl: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rk-run-venue-'));
  dirs.push(dir);
  const store = await FileStore.open(join(dir, 'data'));
  await (await KeyStore.open(store, deriveMasterKey(MASTER))).add(name, 'main', new Credentials(TEST_API_KEY, TEST_SECRET));
  await store.close();
  const cfg = [
    'agentId: venue-e2e',
    'chain: { kind: simulated }',
    'pools:',
    '  - asset: ETH',
    '    hedgeSymbol: ETH/USDT:USDT',
    '    token0: { symbol: WETH, decimals: 18 }',
    '    token1: { symbol: USDC, decimals: 6 }',
    '    fee: 500',
    '    tickSpacing: 10',
    '    deposit: { amount0: "2", amount1: "6000" }',
    `hedge: { venue: ${name}, band: 0.05, leverage: 3 }`,
    'exchanges:',
    `  - { kind: ${name}, id: ${name}, label: main, sandbox: false, apiUrl: "${baseUrl}" }`,
    `store: { kind: file, dataDir: "${join(dir, 'data')}" }`,
    'api: { host: 127.0.0.1, port: 0 }',
    'venueSyncMs: 1000',
  ].join('\n');
  const file = join(dir, 'agent.yaml');
  await writeFile(file, cfg);
  return file;
}

function runAgent(file: string): { output: () => string; exit: Promise<number | null>; stop: () => void } {
  const child = spawn(process.execPath, [BIN, 'run', '--config', file], { env: { ...process.env, RANGEKEEPER_MASTER_KEY: MASTER, LOG_LEVEL: 'debug' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { output: () => out, exit, stop: () => child.kill('SIGTERM') };
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describe.each<VenueName>(['bybit', 'binanceusdm'])('rangekeeper run hedging on %s (loopback stand-in)', (name) => {
  it('opens the venue with the stored key and places the hedge there; the log holds no secret', async () => {
    const account = new SimAccount();
    const server = await startStandIn(name, account);
    try {
      const file = await setUp(name, server.baseUrl);
      const agent = runAgent(file);
      const orderRoute = name === 'bybit' ? 'POST /v5/order/create' : 'POST /fapi/v1/order';
      const placed = await until(() => server.count(orderRoute) > 0, 30_000);
      agent.stop();
      expect(await agent.exit, agent.output()).toBe(0);
      expect(placed, agent.output()).toBe(true);
      expect(agent.output()).toContain('API key permission check');
      expect(agent.output()).not.toContain(TEST_SECRET);
      expect(agent.output()).not.toContain(TEST_API_KEY);
    } finally {
      await server.stop();
    }
  });
});

describe('rangekeeper run refuses a venue key that can withdraw', () => {
  it('exits 2 with the reason, before any order', async () => {
    const account = new SimAccount();
    account.keyCanWithdraw = true;
    const server = await startStandIn('bybit', account);
    try {
      const agent = runAgent(await setUp('bybit', server.baseUrl));
      expect(await agent.exit).toBe(2);
      expect(agent.output()).toMatch(/can withdraw funds/);
      expect(server.count('POST /v5/order/create')).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
