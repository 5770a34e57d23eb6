/**
 * The example configurations work as written: `run --check` accepts examples/devnet.yaml (and
 * refuses the template's placeholder poolId, as `run` does), and every address,
 * pool id and the wallet key of examples/devnet.yaml are those a default devnet deploys (so
 * `rangekeeper devnet` + `run --config examples/devnet.yaml` works without editing).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { startDevnet, type Devnet } from '../../src/adapters/chain/devnet/devnet.js';
import { createLogger } from '../../src/logging/logger.js';

const EXAMPLES = ['examples/devnet.yaml'];

describe('example configurations', () => {
  it('run --check refuses the template until its placeholder poolId is replaced (as run would)', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
    });
    try {
      expect(await run(['--config', 'examples/rangekeeper.example.yaml', '--check'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toMatch(/pools\.0\.poolId: 0x0{64} is not the id of its PoolKey/);
  });

  it('run --check refuses a reference no configuration can meet: paper venue only, minSources 2 (the default)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-reference-'));
    const file = join(dir, 'paper-only.yaml');
    const text = (await readFile('examples/devnet.yaml', 'utf8')).split('\n').filter((l) => !l.startsWith('reference:')).join('\n');
    await writeFile(file, text);
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
    });
    try {
      expect(await run(['--config', file, '--check'])).toBe(2);
    } finally {
      spy.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
    expect(errors.join('\n')).toMatch(/reference\.minSources: 2 fresh reference sources required, but only 1 can exist \(the pool TWAP; a paper venue is not a source\)/);
  });

  it.each(EXAMPLES)('run --check accepts %s', async (file) => {
    const out: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      out.push(args.map(String).join(' '));
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await run(['--config', file, '--check'])).toBe(0);
    } finally {
      spy.mockRestore();
      errors.mockRestore();
    }
    expect(out.join('\n')).toMatch(new RegExp(`configuration ${file} is valid \\(1 pool\\(s\\), chain rpc`));
  });

  describe('examples/devnet.yaml matches a default devnet', () => {
    let devnet: Devnet;
    beforeAll(async () => {
      devnet = await startDevnet({ port: 0, logger: createLogger({ level: 'silent' }) });
    }, 60_000);
    afterAll(async () => {
      await devnet?.stop();
    });

    it('has its contract addresses, chain id, pool id, token addresses and agent key', async () => {
      const cfg = await loadConfig('examples/devnet.yaml', {});
      const m = devnet.manifest;
      if (cfg.chain.kind !== 'rpc') throw new Error('examples/devnet.yaml must use chain.kind rpc');
      expect(cfg.chain.chainId).toBe(m.chainId);
      expect(cfg.chain.rpcUrls).toEqual(['http://127.0.0.1:8545']);
      const lower = (s: string): string => s.toLowerCase();
      expect(lower(cfg.chain.poolManager)).toBe(lower(m.contracts.poolManager));
      expect(lower(cfg.chain.positionManager)).toBe(lower(m.contracts.positionManager));
      expect(lower(cfg.chain.stateView)).toBe(lower(m.contracts.stateView));
      expect(lower(cfg.chain.permit2)).toBe(lower(m.contracts.permit2));
      expect(lower(cfg.chain.universalRouter ?? '')).toBe(lower(m.contracts.universalRouter ?? 'missing'));
      const p = cfg.pools[0]!;
      const pool = m.pools.find((x) => lower(x.id) === lower(p.poolId!));
      expect(pool, `pool ${p.poolId} is not on the devnet`).toBeDefined();
      expect(pool!.key.fee).toBe(p.fee);
      expect(pool!.key.tickSpacing).toBe(p.tickSpacing);
      expect(lower(pool!.key.currency0)).toBe(lower(p.token0.address!));
      expect(lower(pool!.key.currency1)).toBe(lower(p.token1.address!));
      // the key the file's comment tells the user to export is the devnet's funded agent account
      const text = await readFile('examples/devnet.yaml', 'utf8');
      const key = /RANGEKEEPER_PRIVATE_KEY=(0x[0-9a-f]{64})/.exec(text)?.[1];
      const agent = m.accounts.find((a) => a.role === 'agent')!;
      expect(key).toBe(agent.privateKey);
      expect(new Wallet(key!).address).toBe(agent.address);
    });
  });
});
