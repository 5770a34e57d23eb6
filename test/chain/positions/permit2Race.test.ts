/**
 * Two pools sharing a token mint at once through one wallet. Permit2's approve SETS the allowance
 * (and a transfer lowers it unless it is the maximum), so approving each mint's own amount let
 * one pool's approval overwrite the other's between its approval and its mint, which then
 * reverted or took its tokens from an allowance meant for the other. The PositionManager (and the
 * Universal Router) are approved the maximum, never expiring, once per token: the allowance
 * never runs out and concurrent callers share one approval. Real anvil, real v4 contracts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, dataSlice, getAddress, id, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWithRole, type DevnetManifest } from '../../../src/adapters/chain/devnet/manifest.js';
import { MAX_UINT160 } from '../../../src/adapters/chain/positions/permit2.js';
import { useDevnet } from '../../support/devnet.js';
import { agentInstance, USDC, WETH, type AgentInstance } from '../support/sagaRig.js';

const APPROVAL = id('Approval(address,address,address,uint160,uint48)');
const devnet = useDevnet({ seed: 31 });
let manifest: DevnetManifest;
let a: AgentInstance;
let dir = '';

beforeAll(async () => {
  ({ manifest } = devnet());
  dir = await mkdtemp(join(tmpdir(), 'rk-permit2-'));
  a = await agentInstance(manifest, dir, {}, true);
});

afterAll(async () => {
  await a.kill();
  await rm(dir, { recursive: true, force: true });
});

async function rangeOf(poolId: string): Promise<{ tickLower: number; tickUpper: number }> {
  const spacing = manifest.pools.find((p) => p.id === poolId)!.key.tickSpacing;
  const c = Math.floor((await a.port.poolSnapshot(poolId)).tick / spacing) * spacing;
  return { tickLower: c - 10 * spacing, tickUpper: c + 10 * spacing };
}

describe('Permit2 approvals of a token two pools share', () => {
  it('let both pools mint at once, and are the maximum, given once per token', async () => {
    const [p0, p1] = manifest.pools;
    expect(p1!.key.currency0).toBe(p0!.key.currency0);
    const [r0, r1] = await Promise.all([rangeOf(p0!.id), rangeOf(p1!.id)]);
    const fromBlock = await a.provider.getBlockNumber();
    // different sizes: an approval of one mint's amount is too small for the other
    const [m0, m1] = await Promise.all([
      a.port.mint({ poolId: p0!.id, ...r0, amount0Max: 40_000n * USDC, amount1Max: 12n * WETH }),
      a.port.mint({ poolId: p1!.id, ...r1, amount0Max: 3_000n * USDC, amount1Max: 1n * WETH }),
    ]);
    expect(m0.position.liquidity).toBeGreaterThan(0n);
    expect(m1.position.liquidity).toBeGreaterThan(0n);
    const owner = accountWithRole(manifest, 'agent').address;
    const permit2 = new Contract(manifest.contracts.permit2, ['function allowance(address,address,address) view returns (uint160,uint48,uint48)'], a.provider);
    for (const token of [p0!.key.currency0, p0!.key.currency1]) {
      const [amount, expiration] = (await permit2.getFunction('allowance')(owner, token, manifest.contracts.positionManager)) as [bigint, bigint, bigint];
      expect(amount).toBe(MAX_UINT160);
      expect(expiration).toBe((1n << 48n) - 1n);
    }
    // one Permit2 approval of the PositionManager per token, however many mints asked at once
    const approvals = await a.provider.getLogs({ address: manifest.contracts.permit2, topics: [APPROVAL, zeroPadValue(owner, 32)], fromBlock });
    const toPm = approvals.filter((l) => getAddress(dataSlice(l.topics[3]!, 12)) === getAddress(manifest.contracts.positionManager));
    expect(toPm.map((l) => getAddress(dataSlice(l.topics[2]!, 12))).sort()).toEqual([p0!.key.currency0, p0!.key.currency1].map((t) => getAddress(t)).sort());
    // a later mint of the same pool sends no approval at all
    const nonce = await a.provider.getTransactionCount(owner, 'latest');
    await a.port.withdraw(m1.position);
    await a.port.mint({ poolId: p1!.id, ...(await rangeOf(p1!.id)), amount0Max: 50_000n * USDC, amount1Max: 15n * WETH });
    expect(await a.provider.getTransactionCount(owner, 'latest')).toBe(nonce + 2);
  });
});
