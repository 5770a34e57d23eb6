import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JsonRpcProvider, ZeroAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/adapters/chain/devnet/anvil.js';
import { parseManifest, type DevnetManifest } from '../../src/adapters/chain/devnet/manifest.js';
import { MAX_DEVNET_POOLS } from '../../src/adapters/chain/devnet/pools.js';
import { StateViewReader } from '../../src/adapters/chain/stateView.js';

const BIN = join(import.meta.dirname, '../../bin/rangekeeper.mjs');

function cli(args: string[]): { child: ChildProcessWithoutNullStreams; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'devnet', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exit, stderr: () => err };
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  const rl = createInterface({ input: child.stdout });
  for await (const line of rl) return line;
  throw new Error('stdout closed before the first line');
}

async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !isProcessAlive(pid);
}

describe('rangekeeper devnet (CLI)', () => {
  it('--json prints the manifest first, writes it to --out, --vault adds the vault, and SIGTERM leaves no anvil behind', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rk-devnet-')), 'manifest.json');
    const { child, exit, stderr } = cli(['--port', '0', '--json', '--vault', '--out', out]);
    let manifest: DevnetManifest;
    try {
      manifest = parseManifest(JSON.parse(await firstLine(child)));
      expect(parseManifest(JSON.parse(readFileSync(out, 'utf8')))).toEqual(manifest);
      const provider = new JsonRpcProvider(manifest.rpcUrl, manifest.chainId, { staticNetwork: true });
      expect((await provider.getCode(manifest.contracts.poolManager)).length).toBeGreaterThan(2);
      expect(manifest.pools).toHaveLength(2);
      expect(manifest.vault).toBeDefined();
      for (const a of [manifest.vault!.vault, manifest.vault!.hook]) expect((await provider.getCode(a)).length).toBeGreaterThan(2);
      expect(BigInt(manifest.vault!.hook) & 0x3fffn).toBe(0x500n); // afterAddLiquidity | afterRemoveLiquidity
      expect(manifest.vault!.pool.key.hooks).toBe(manifest.vault!.hook);
      provider.destroy();
      expect(manifest.anvilPid).toBeDefined();
      expect(isProcessAlive(manifest.anvilPid!)).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit, stderr()).toBe(0);
    expect(isProcessAlive(manifest.anvilPid!)).toBe(false);
  });

  it('--pools N creates N initialized, seeded WETH/USDC pools with distinct keys, the default two first', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rk-devnet-')), 'manifest.json');
    const { child, exit, stderr } = cli(['--port', '0', '--json', '--pools', '7', '--out', out]);
    try {
      const manifest = parseManifest(JSON.parse(await firstLine(child)));
      expect(manifest.pools).toHaveLength(7);
      expect(manifest.pools.slice(0, 2).map((p) => [p.key.fee, p.key.tickSpacing])).toEqual([[500, 10], [3000, 60]]);
      expect(new Set(manifest.pools.map((p) => p.id)).size).toBe(7);
      expect(new Set(manifest.pools.map((p) => `${p.key.fee}/${p.key.tickSpacing}`)).size).toBe(7);
      const provider = new JsonRpcProvider(manifest.rpcUrl, manifest.chainId, { staticNetwork: true });
      const sv = new StateViewReader(manifest.contracts.stateView, provider);
      for (const p of manifest.pools) {
        expect(p.key.hooks).toBe(ZeroAddress);
        expect((await sv.getSlot0(p.id)).sqrtPriceX96, p.id).toBeGreaterThan(0n);
        expect(await sv.getLiquidity(p.id), p.id).toBeGreaterThan(0n);
      }
      provider.destroy();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit, stderr()).toBe(0);
  });

  it('anvil dies with the CLI even when the CLI is SIGKILLed', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rk-devnet-')), 'manifest.json');
    const { child, exit } = cli(['--port', '0', '--json', '--out', out]);
    const manifest = parseManifest(JSON.parse(await firstLine(child)));
    child.kill('SIGKILL');
    await exit;
    expect(await waitGone(manifest.anvilPid!)).toBe(true);
  });

  it('`npx rangekeeper devnet` killed with SIGTERM leaves nothing behind (npx does not forward the signal)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rk-devnet-')), 'manifest.json');
    const child = spawn('npx', ['rangekeeper', 'devnet', '--port', '0', '--json', '--out', out], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    const exit = new Promise((r) => child.on('exit', r));
    const manifest = parseManifest(JSON.parse(await firstLine(child)));
    expect(isProcessAlive(manifest.anvilPid!)).toBe(true);
    child.kill('SIGTERM');
    await exit;
    expect(await waitGone(manifest.anvilPid!)).toBe(true);
  });

  it('a taken port exits 1 with a clear message', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const { exit, stderr } = cli(['--port', String(port), '--json']);
      expect(await exit).toBe(1);
      expect(stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      server.close();
    }
  });

  it('bad options exit 2 before starting anything', async () => {
    const a = cli(['--port', 'abc']);
    expect(await a.exit).toBe(2);
    expect(a.stderr()).toContain('--port must be an integer');
    const b = cli(['--sigma', '0.5']);
    expect(await b.exit).toBe(2);
    expect(b.stderr()).toContain('only apply with --simulate');
    const c = cli(['--pools', '0']);
    expect(await c.exit).toBe(2);
    expect(c.stderr()).toContain(`--pools must be an integer 1-${MAX_DEVNET_POOLS}`);
  });
});
