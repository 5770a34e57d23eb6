/**
 * Finding 8: a revert during gas estimation (the price moved between the pre-flight eth_call and
 * eth_estimateGas) is decoded, so a roll whose bounds the move broke is planned again instead of
 * failing after its swap. The move is another account's real swap on anvil, injected right
 * before the roll's eth_estimateGas, so the race is reproduced every run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Interface, type TransactionRequest } from 'ethers';
import type { DevnetManifest } from '../../../src/adapters/chain/devnet/manifest.js';
import { revert, snapshot, useDevnet } from '../../support/devnet.js';
import { agentInstance, agentSwaps, around, marketMover, poolOf, USDC, WETH } from '../support/sagaRig.js';

const MODIFY_LIQUIDITIES = new Interface(['function modifyLiquidities(bytes unlockData, uint256 deadline) payable']).getFunction('modifyLiquidities')!.selector;

const devnet = useDevnet({ seed: 23 });
let manifest: DevnetManifest;
let clean = '';
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ manifest } = devnet());
  clean = await snapshot(devnet());
});

afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
  await revert(devnet(), clean);
  clean = await snapshot(devnet());
});

function isRollCall(tx: TransactionRequest): boolean {
  return typeof tx.to === 'string' && tx.to.toLowerCase() === manifest.contracts.positionManager.toLowerCase() && typeof tx.data === 'string' && tx.data.startsWith(MODIFY_LIQUIDITIES);
}

describe('a revert in eth_estimateGas', () => {
  it('of a roll whose bounds the market broke after the simulation is planned again: the roll goes through, with one swap', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-est-'));
    const a = await agentInstance(manifest, dir);
    const mover = marketMover(manifest);
    cleanup.push(async () => {
      mover.close();
      await a.kill();
      await rm(dir, { recursive: true, force: true });
    });
    const pool = poolOf(manifest);
    const tick0 = (await a.port.poolSnapshot(pool.id)).tick;
    const minted = await a.port.mint({ poolId: pool.id, ...around(manifest, tick0, 10), amount0Max: 30_000n * USDC, amount1Max: 10n * WETH });
    await mover.swap(false, 1_000n * WETH);
    const fromBlock = await a.provider.getBlockNumber();
    let moves = 1;
    let estimates = 0;
    let up = true;
    a.provider.beforeEstimate = async (tx) => {
      if (!isRollCall(tx)) return;
      estimates += 1;
      if (moves-- <= 0) return;
      // 60-70 ticks, past the roll's 0.5% amount bounds, inside the new ±200-tick range
      await mover.swap(!up, up ? 100n * WETH : 300_000n * USDC);
      up = !up;
    };
    const out = (await a.port.poolSnapshot(pool.id)).tick;
    const range = around(manifest, out, 20);
    const rolled = await a.port.roll({ poolId: pool.id, tokenId: minted.position.tokenId, ...range });
    expect(rolled.position).toMatchObject(range);
    expect(estimates).toBe(2);
    const replans = a.capture.text().split('\n').filter((l) => l.includes('planning again at the new price'));
    expect(replans).toHaveLength(1);
    expect(replans[0]).toContain('"stage":"estimation"');
    expect(replans[0]).toMatch(/"reason":"(MaximumAmountExceeded|MinimumAmountInsufficient)"/);
    expect(await agentSwaps(manifest, a.provider, fromBlock)).toHaveLength(1);
  });
});
