/**
 * `rangekeeper run` on a devnet (examples/devnet.yaml pointed at a private anvil): with
 * chain.universalRouter the agent says so at start and a roll re-balances through it (the new
 * position holds both tokens); without it the start-up log warns that rolls will not re-balance.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountWithRole } from '../../../src/adapters/chain/devnet/manifest.js';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import { PositionManagerClient } from '../../../src/adapters/chain/positions/positionManager.js';
import { principalAmounts } from '../../../src/adapters/chain/positions/positionAmounts.js';
import { PoolSwapTestSwap } from '../../../src/adapters/chain/swap/poolSwapTestSwap.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { createLogger } from '../../../src/logging/logger.js';
import { revert, snapshot, useDevnet } from '../../support/devnet.js';

const BIN = join(process.cwd(), 'bin/rangekeeper.mjs');
const log = createLogger({ level: 'silent' });
const devnet = useDevnet({ seed: 1 });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rk-run-router-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
// each test starts from the freshly seeded devnet (no position of an earlier agent to adopt)
let chainState = '';
beforeEach(async () => {
  chainState = await snapshot(devnet());
});
afterEach(async () => {
  await revert(devnet(), chainState);
});

/** examples/devnet.yaml against this test's anvil, with or without its universalRouter line. */
async function configFile(name: string, withRouter: boolean): Promise<string> {
  const { manifest } = devnet();
  let text = await readFile('examples/devnet.yaml', 'utf8');
  text = text.replace('rpcUrls: ["http://127.0.0.1:8545"]', `rpcUrls: ["${manifest.rpcUrl}"]`).replace('port: 8080', 'port: 0');
  if (!withRouter) text = text.split('\n').filter((l) => !l.trimStart().startsWith('universalRouter:')).join('\n');
  expect(text.includes('universalRouter:')).toBe(withRouter);
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

interface Child {
  output: () => string;
  waitFor: (text: string) => Promise<void>;
  /** Sends SIGTERM and waits for the process to end. */
  stop: () => Promise<number | null>;
}

function runAgent(file: string): Child {
  const agent = accountWithRole(devnet().manifest, 'agent');
  const child = spawn(process.execPath, [BIN, 'run', '--config', file], { env: { ...process.env, RANGEKEEPER_PRIVATE_KEY: agent.privateKey, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiters.splice(0)) {
      if (out.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    output: () => out,
    waitFor: (text) => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        new Promise<void>((resolve) => (out.includes(text) ? resolve() : waiters.push({ text, resolve }))),
        exit.then((code) => {
          throw new Error(`run exited (${code}) before logging "${text}":\n${out.slice(-3000)}`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no "${text}" within 60 s:\n${out.slice(-3000)}`)), 60_000);
        }),
      ]).finally(() => clearTimeout(timer));
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

describe('rangekeeper run with and without chain.universalRouter', () => {
  it('without a router: a clear warning at start that rolls will not re-balance', async () => {
    const agent = runAgent(await configFile('no-router.yaml', false));
    try {
      await agent.waitFor('rangekeeper running');
      expect(agent.output()).toContain('chain.universalRouter is not configured: rolls will NOT re-balance');
      expect(agent.output()).not.toContain('rolls re-balance through the Universal Router');
    } finally {
      expect(await agent.stop()).toBe(0);
    }
  }, 90_000);

  it('with the router: a roll re-balances through it and the new position holds both tokens', async () => {
    const { manifest, provider } = devnet();
    const agent = runAgent(await configFile('router.yaml', true));
    try {
      await agent.waitFor('rangekeeper running');
      expect(agent.output()).toContain('rolls re-balance through the Universal Router');
      expect(agent.output()).not.toContain('rolls will NOT re-balance');
      await agent.waitFor('position minted');
      // the arbitrageur sells WETH until the pool leaves the agent's range (about ±2%)
      const arb = accountWithRole(manifest, 'arbitrageur');
      const sender = new TxSender({ signer: walletFor(arb, provider), provider, logger: log, config: { receiptPollMs: 20 } });
      const mover = new PoolSwapTestSwap({ address: manifest.contracts.poolSwapTest, provider, sender, log });
      const pool = manifest.pools[0]!;
      await mover.swapExactIn({ poolKey: pool.key, zeroForOne: false, amountIn: 2_000n * 10n ** 18n, amountOutMinimum: 0n, label: 'push price' });
      await agent.waitFor('roll re-balancing swap');
      await agent.waitFor('position rolled');
    } finally {
      expect(await agent.stop()).toBe(0);
    }
    const positions = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, provider, sender: new TxSender({ signer: walletFor(accountWithRole(manifest, 'agent'), provider), provider, logger: log }), logger: log });
    const owned = await positions.positionsOf(accountWithRole(manifest, 'agent').address, 0);
    const live = owned.filter((p) => p.liquidity > 0n);
    expect(live).toHaveLength(1);
    const held = principalAmounts(await positions.price(live[0]!.poolId), live[0]!.tickLower, live[0]!.tickUpper, live[0]!.liquidity, false);
    expect(held.amount0).toBeGreaterThan(0n);
    expect(held.amount1).toBeGreaterThan(0n);
  }, 120_000);
});
