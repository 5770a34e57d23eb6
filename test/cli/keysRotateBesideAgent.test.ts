/**
 * `rangekeeper keys rotate` beside a running agent on the default file store (issue 8, finding
 * 7): the agent holds the data directory's lock; the key commands use the key store's own lock,
 * and the agent picks the rotated key up from the same files (keyRotationCheckMs).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimAccount } from '../support/venues/simAccount.js';
import { startStandIn, TEST_API_KEY, TEST_SECRET } from '../support/venues/venueHarness.js';
import { BIN, runCli } from '../support/cli.js';

const MASTER = '7'.repeat(64);
const ROTATED = { apiKey: 'rkRotatedBesideAgentKey0123456789abcd', secret: 'rkRotatedBesideAgentSecret0123456789abcdef' };
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && !cond()) await new Promise((r) => setTimeout(r, 100));
  return cond();
}

describe('keys rotate beside a running agent (file store)', () => {
  it('rotates while the agent holds the data directory, and the agent switches to the new key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-rotate-'));
    dirs.push(dir);
    const data = join(dir, 'data');
    const env = { RANGEKEEPER_MASTER_KEY: MASTER };
    const added = await runCli(['keys', 'add', 'bybit', 'main', '--data-dir', data], { env, input: `${TEST_API_KEY}\n${TEST_SECRET}\n` });
    expect(added.code, added.stderr).toBe(0);
    const account = new SimAccount();
    const server = await startStandIn('bybit', account);
    const cfg = join(dir, 'agent.yaml');
    await writeFile(cfg, [
      'agentId: rotate-e2e',
      'chain: { kind: simulated }',
      'pools:',
      '  - { asset: ETH, hedgeSymbol: ETH/USDT:USDT, token0: { symbol: WETH, decimals: 18 }, token1: { symbol: USDC, decimals: 6 }, fee: 500, tickSpacing: 10, deposit: { amount0: "2", amount1: "6000" } }',
      'hedge: { venue: bybit, band: 0.05, leverage: 3 }',
      'exchanges:',
      `  - { kind: bybit, id: bybit, label: main, sandbox: false, apiUrl: "${server.baseUrl}", watch: false }`,
      `store: { kind: file, dataDir: "${data}" }`,
      'api: { host: 127.0.0.1, port: 0 }',
      'keyRotationCheckMs: 300',
    ].join('\n'));
    const agent = spawn(process.execPath, [BIN, 'run', '--config', cfg], { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    agent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    agent.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((r) => agent.on('exit', (code) => r(code)));
    try {
      expect(await until(() => out.includes('rangekeeper running'), 60_000), out).toBe(true);
      const rotated = await runCli(['keys', 'rotate', 'bybit', 'main', '--data-dir', data], { env, input: `${ROTATED.apiKey}\n${ROTATED.secret}\n` });
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(rotated.stdout).toMatch(/rotated bybit\/main \(fingerprint [0-9a-f]{12}, generation 2\)/);
      account.key = ROTATED; // the venue now accepts only the new key
      expect(await until(() => out.includes('rotated API key picked up'), 20_000), out).toBe(true);
      const list = await runCli(['keys', 'list', '--json', '--data-dir', data], { env });
      expect(list.code, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as Array<{ generation: number }>)[0]?.generation).toBe(2);
    } finally {
      agent.kill('SIGTERM');
      expect(await exit, out).toBe(0);
      await server.stop();
    }
    expect(out).not.toContain(ROTATED.secret);
    expect(out).not.toContain(TEST_SECRET);
  });
});
