/**
 * The mint and the roll's re-balancing swap are planned again, like the roll transaction, when
 * their pre-flight simulation is refused with a decoded slippage revert because the market moved
 * between planning and sending (MaximumAmountExceeded for the mint, V4TooLittleReceived for the
 * swap). Nothing was sent for the refused plan, so planning again at the new price is safe; it
 * used to abandon the saga ("mint not sent", "re-balancing swap not sent"). The market move is
 * another account's real swap on anvil, made at the exact moment of the simulation.
 */
import { Interface, type TransactionRequest } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevnetManifest } from '../../../src/adapters/chain/devnet/manifest.js';
import { agentSwaps, around, marketMover, poolOf, sagaDevnet, USDC, WETH, type AgentInstance } from '../support/sagaRig.js';

const MODIFY_LIQUIDITIES = new Interface(['function modifyLiquidities(bytes unlockData, uint256 deadline) payable']).getFunction('modifyLiquidities')!.selector;

const rig = sagaDevnet(29);
let manifest: DevnetManifest;

beforeAll(() => {
  manifest = rig.manifest();
});

/** Runs `move` once, right before the first eth_call that `matches`; counts the matching calls. */
function onceBefore(a: AgentInstance, matches: (tx: TransactionRequest) => boolean, move: () => Promise<void>): { calls: number } {
  const seen = { calls: 0 };
  a.provider.beforeCall = async (tx) => {
    if (!matches(tx)) return;
    seen.calls += 1;
    if (seen.calls === 1) await move();
  };
  return seen;
}

const to = (address: string) => (tx: TransactionRequest): boolean => typeof tx.to === 'string' && tx.to.toLowerCase() === address.toLowerCase();

describe('a step refused in simulation because the price moved', () => {
  it('a mint is planned again at the new price and minted once', async () => {
    const a = await rig.start();
    const poolId = poolOf(manifest).id;
    const mover = marketMover(manifest);
    try {
      const range = around(manifest, (await a.port.poolSnapshot(poolId)).tick, 10);
      const pm = to(manifest.contracts.positionManager);
      // 300 WETH sold move the price about 57 ticks on this book: past the mint's 0.5% amount bounds, inside its ±100-tick range
      const seen = onceBefore(a, (tx) => pm(tx) && typeof tx.data === 'string' && tx.data.startsWith(MODIFY_LIQUIDITIES), () => mover.swap(false, 300n * WETH));
      const minted = await a.port.mint({ poolId, ...range, amount0Max: 30_000n * USDC, amount1Max: 10n * WETH });
      expect(minted.position).toMatchObject(range);
      expect(seen.calls).toBe(2);
      expect(a.capture.text().match(/mint refused before sending: the price moved past its bounds; planning again at the new price/g)).toHaveLength(1);
      expect(a.capture.text()).toContain('MaximumAmountExceeded');
      expect((await a.journal.load(poolId))!.status).toBe('done');
      expect((await a.port.ownedPositions(poolId)).map((p) => p.tokenId)).toEqual([minted.position.tokenId]);
    } finally {
      mover.close();
    }
  });

  it('a roll\'s re-balancing swap is planned again at the new price; one swap, and the roll goes through', async () => {
    const a = await rig.start();
    const poolId = poolOf(manifest).id;
    const mover = marketMover(manifest);
    try {
      const minted = await a.port.mint({ poolId, ...around(manifest, (await a.port.poolSnapshot(poolId)).tick, 10), amount0Max: 30_000n * USDC, amount1Max: 10n * WETH });
      // out of range upwards: the position holds WETH only, the roll sells WETH through the Universal Router
      await mover.swap(false, 1_000n * WETH);
      const range = around(manifest, (await a.port.poolSnapshot(poolId)).tick, 20);
      const fromBlock = await a.provider.getBlockNumber();
      // someone else sells WETH first: our swap would get less than its minimum
      const seen = onceBefore(a, to(manifest.contracts.universalRouter!), () => mover.swap(false, 100n * WETH));
      const rolled = await a.port.roll({ poolId, tokenId: minted.position.tokenId, ...range });
      expect(rolled.position).toMatchObject(range);
      expect(seen.calls).toBe(2);
      expect(a.capture.text().match(/re-balancing swap refused before sending: the price moved past its bounds; planning again at the new price/g)).toHaveLength(1);
      expect(a.capture.text()).toContain('V4TooLittleReceived');
      expect(await agentSwaps(manifest, a.provider, fromBlock)).toHaveLength(1);
      expect((await a.journal.load(poolId))!.status).toBe('done');
    } finally {
      mover.close();
    }
  });
});
