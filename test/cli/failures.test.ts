/**
 * Every failure a user can cause prints ONE line and exits 2 (usage) or 1 (runtime), with no
 * Node stack trace (issue 8, finding 10): the real CLI, spawned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, expectOneLineFailure, listening, runCli } from '../support/cli.js';

const root = new URL('../../', import.meta.url).pathname;
const VALID_KEY = `0x${'5c'.repeat(32)}`;
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rk-cli-fail-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('usage errors: one line, exit 2', () => {
  it.each([['start'], ['run'], ['keys'], ['venue'], ['events'], ['devnet']])('an unknown flag on %s', async (cmd) => {
    expectOneLineFailure(await runCli([cmd, '--bogus']), 2, new RegExp(`^rangekeeper ${cmd}: Unknown option '--bogus'`));
  });

  it('an unknown command', async () => {
    expectOneLineFailure(await runCli(['frobnicate']), 2, /unknown command "frobnicate"/);
  });

  it('venue check of an unknown venue names the argument, not zod JSON', async () => {
    const r = await runCli(['venue', 'check', 'kraken', 'main', '--data-dir', dir]);
    expectOneLineFailure(r, 2, /<venue>: .*binanceusdm.*bybit/);
    expect(r.stderr).not.toContain('"code"');
  });

  it('events --pool that is not a 32-byte PoolId is refused before connecting', async () => {
    const port = await closedPort();
    const r = await runCli(['events', '--rpc', `http://127.0.0.1:${port}`, '--chain-id', '31337', '--pool-manager', `0x${'11'.repeat(20)}`, '--pool', '0x1234']);
    expectOneLineFailure(r, 2, /--pool must be a 32-byte PoolId/);
  });

  it('run --check refuses the example\'s placeholder poolId that run refuses', async () => {
    const r = await runCli(['run', '--check', '--config', join(root, 'examples/rangekeeper.example.yaml')]);
    expectOneLineFailure(r, 2, /pools\.0\.poolId: 0x0{64} is not the id of its PoolKey/);
  });

  it('bench --only naming no suite exits 2 instead of printing an empty table', async () => {
    const r = await runCli(['--only', 'nonsense'], { argv0: ['--import', 'tsx', join(root, 'bench/run.ts')] });
    expectOneLineFailure(r, 2, /--only "nonsense" matches no suite/);
  });
});

describe('runtime errors: one line, exit 1', () => {
  it('a busy port', async () => {
    const busy: Server = await listening();
    try {
      const port = (busy.address() as { port: number }).port;
      const r = await runCli(['start', '--simulated', '--port', String(port)], { env: { LOG_LEVEL: 'error' } });
      expectOneLineFailure(r, 1, new RegExp(`127\\.0\\.0\\.1:${port}: the port is already in use`));
    } finally {
      busy.close();
    }
  });

  it('an unreachable Redis (keys and start)', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    expectOneLineFailure(await runCli(['keys', 'list', '--redis', url], { env: { RANGEKEEPER_MASTER_KEY: 'f'.repeat(64) } }), 1, /cannot reach Redis/);
    expectOneLineFailure(await runCli(['start', '--simulated', '--port', '0', '--redis', url], { env: { LOG_LEVEL: 'error' } }), 1, /cannot reach Redis/);
  });

  it('an unreachable RPC', async () => {
    const rpc = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['run', '--config', join(root, 'examples/devnet.yaml')], { env: { RPC_URL: rpc, RANGEKEEPER_PRIVATE_KEY: VALID_KEY, LOG_LEVEL: 'error' } });
    expectOneLineFailure(r, 1, /no RPC endpoint reachable/);
  });

  it('an unreachable RPC whose URL carries an API key names the endpoint without the key', async () => {
    const key = 'aK3yTh4tMustN0tLeak0123456789';
    const rpc = `http://user:pw@127.0.0.1:${await closedPort()}/v2/${key}?token=${key}`;
    const r = await runCli(['run', '--config', join(root, 'examples/devnet.yaml')], { env: { RPC_URL: rpc, RANGEKEEPER_PRIVATE_KEY: VALID_KEY, LOG_LEVEL: 'info' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no RPC endpoint reachable: http:\/\/\*\*\*@127\.0\.0\.1:\d+\/v2\/\*\*\*\?\*\*\*/);
    expect(r.stderr + r.stdout).not.toContain(key);
    expect(r.stderr + r.stdout).not.toContain('pw@');
  });

  it('a data directory held by another process', async () => {
    const data = join(dir, 'held');
    await mkdir(data, { recursive: true });
    await writeFile(join(data, '.lock'), String(process.pid)); // a live process holds it
    const cfg = join(dir, 'sim.json');
    await writeFile(cfg, JSON.stringify({
      pools: [{ asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'ETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 }, fee: 500, tickSpacing: 10, deposit: { amount0: '1', amount1: '3000' } }],
      store: { kind: 'file', dataDir: data },
      api: { host: '127.0.0.1', port: 0 },
    }));
    const r = await runCli(['run', '--config', cfg], { env: { LOG_LEVEL: 'error' } });
    expectOneLineFailure(r, 1, new RegExp(`data directory is in use by process ${process.pid}`));
  });
});
