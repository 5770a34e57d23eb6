/**
 * A roll is given its re-balancing swap's net flows from the swap's receipt — the output added,
 * the input taken off the old position's tokens — so the mint never counts the spent input twice.
 * The case that broke the books in the kill drill: the swap is mined, the agent is killed, and the
 * market moves on before the restarted agent sends the roll, towards the token the swap sold, so
 * the new range wants more of it. Given the output only, the mint was sized on the old position's
 * whole principal of the sold token and took what the swap had spent again from the wallet's
 * float: the pool's books went below zero and the agent halted itself. Real anvil, real v4
 * contracts, the real file store.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevnetManifest } from '../../../src/adapters/chain/devnet/manifest.js';
import { agentSwaps, around, marketMover, poolOf, sagaDevnet, USDC, WETH, walletBalances } from '../support/sagaRig.js';

class SimulatedKill extends Error {
  override readonly name = 'SimulatedKill';
}

const rig = sagaDevnet(23);
let manifest: DevnetManifest;

beforeAll(() => {
  manifest = rig.manifest();
});

const DEPOSIT = { amount0: 30_000n * USDC, amount1: 10n * WETH };

describe('a roll resumed after the market moved on from its swap', () => {
  it('mints from the old position less what the swap sold, never from the wallet\'s float', async () => {
    const dir = await rig.dataDir();
    const first = await rig.start(dir);
    const poolId = poolOf(manifest).id;
    const walletBefore = await walletBalances(manifest, first.provider);
    const tick0 = (await first.port.poolSnapshot(poolId)).tick;
    const minted = await first.port.mint({ poolId, ...around(manifest, tick0, 10), amount0Max: DEPOSIT.amount0, amount1Max: DEPOSIT.amount1 });
    const mover = marketMover(manifest);
    try {
      // the price leaves the range upwards: the position holds WETH only, so the roll sells WETH for USDC
      await mover.swap(false, 1_000n * WETH);
      const range = around(manifest, (await first.port.poolSnapshot(poolId)).tick, 20);
      const fromBlock = await first.provider.getBlockNumber();
      const heldBefore = (await first.books.held(poolId))!;
      const err = await first.port.roll({
        poolId, tokenId: minted.position.tokenId, ...range,
        beforeStep: (step) => {
          if (step === 'roll') throw new SimulatedKill('kill -9 after the swap was mined');
        },
      }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(SimulatedKill);
      const swap = (await first.journal.load(poolId))!.steps[0]!;
      // journaled from the receipt: WETH paid in, USDC received
      expect(BigInt(swap.extra1!)).toBeLessThan(0n);
      expect(BigInt(swap.extra0!)).toBeGreaterThan(0n);
      await rig.kill(first);

      // meanwhile the market keeps selling WETH: the tick rises inside the new range, which now wants more WETH
      await mover.swap(false, 150n * WETH);
      const second = await rig.start(dir);
      const tickNow = (await second.port.poolSnapshot(poolId)).tick;
      expect(tickNow).toBeGreaterThan((range.tickLower + range.tickUpper) / 2);
      expect(tickNow).toBeLessThan(range.tickUpper);

      const rolled = await second.port.roll({ poolId, tokenId: minted.position.tokenId, ...range });
      expect(rolled.position).toMatchObject(range);
      expect(await agentSwaps(manifest, second.provider, fromBlock)).toHaveLength(1);
      const held = (await second.books.held(poolId))!;
      // the saga used no more of either token than the old position and the swap brought: the books
      // did not fall (given the output only, WETH's went some WETH below zero here)
      expect(held.amount1).toBeGreaterThanOrEqual(heldBefore.amount1);
      expect(held.amount0).toBeGreaterThanOrEqual(heldBefore.amount0);
      expect(await second.books.fromFloat(poolId)).toEqual({ amount0: 0n, amount1: 0n });
      // and the books are the wallet less what it held beyond the deposit, to the wei
      const w = await walletBalances(manifest, second.provider);
      expect(held).toEqual({ amount0: w.amount0 - (walletBefore.amount0 - DEPOSIT.amount0), amount1: w.amount1 - (walletBefore.amount1 - DEPOSIT.amount1) });
      // most of the value went back into the new range: the WETH left over is a small part of the deposit's
      expect(held.amount1 - heldBefore.amount1).toBeLessThan(DEPOSIT.amount1 / 2n);
    } finally {
      mover.close();
    }
  });
});
