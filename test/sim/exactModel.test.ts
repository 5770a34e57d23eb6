/**
 * The simulated chain is the exact v4 pool model, not an approximation: after any sequence of
 * market moves, mints, rolls and withdrawals, its pool state (slot0, liquidity, fee growth,
 * every tick, every position), the wallet, every transaction's amounts and every position's fees
 * equal those of a fresh src/math/pool Pool replaying the same operations by the v4 rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ETH_USDC, Replay, USDC_WETH, newChain, opsArb } from './support.js';
import { applyOp, type Pair } from './apply.js';
import { SIMULATED_POSITION_MANAGER, SimulatedRpcError, SimulatedTxError, positionSalt } from '../../src/sim/simulatedChain.js';

async function expectSameState(s: Pair): Promise<void> {
  const { desc, chain, replay } = s;
  expect(chain.poolState(desc.poolId)).toEqual(replay.pool.toSnapshot());
  expect({ amount0: chain.balanceOf(desc.token0.symbol), amount1: chain.balanceOf(desc.token1.symbol) }).toEqual(replay.wallet);
  const snap = await chain.poolSnapshot(desc.poolId);
  const slot0 = replay.pool.getSlot0();
  expect({ sqrtPriceX96: snap.sqrtPriceX96, tick: snap.tick, liquidity: snap.liquidity }).toEqual({ sqrtPriceX96: slot0.sqrtPriceX96, tick: slot0.tick, liquidity: replay.pool.getLiquidity() });
  for (const pos of await chain.ownedPositions(desc.poolId)) {
    // what collecting would pay: a zero-liquidity poke of the position on a copy
    const poke = replay.pool.clone().modifyLiquidity({ owner: SIMULATED_POSITION_MANAGER, tickLower: pos.tickLower, tickUpper: pos.tickUpper, liquidityDelta: 0n, salt: positionSalt(pos.tokenId) });
    expect(await chain.positionFees(pos)).toEqual({ fees0: poke.feesAccrued.amount0, fees1: poke.feesAccrued.amount1 });
  }
}

describe('SimulatedChain on the exact pool model', () => {
  it('starts as a fresh Pool initialized at the price with the other LPs added', async () => {
    for (const desc of [ETH_USDC, USDC_WETH]) {
      const chain = newChain(desc);
      const background = chain.backgroundPositions(desc.poolId);
      expect(background.length).toBeGreaterThanOrEqual(5);
      await expectSameState({ desc, chain, replay: new Replay(desc, 3000, background), nextTokenId: 1 });
    }
  });

  it('property: after random setPrice / mint / roll / withdraw it equals a fresh Pool replaying them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(ETH_USDC, USDC_WETH), opsArb, async (desc, ops) => {
        const chain = newChain(desc);
        const s: Pair = { desc, chain, replay: new Replay(desc, 3000, chain.backgroundPositions(desc.poolId)), nextTokenId: 1 };
        for (const op of ops) {
          await applyOp(s, op);
          await expectSameState(s);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a refused transaction changes nothing; injected RPC failures still fire once each', async () => {
    const desc = ETH_USDC;
    const chain = newChain(desc);
    const tick = (await chain.poolSnapshot(desc.poolId)).tick;
    const range = { tickLower: Math.floor(tick / 60) * 60 - 600, tickUpper: Math.floor(tick / 60) * 60 + 600 };
    const { position } = await chain.mint({ poolId: desc.poolId, ...range, amount0Max: 5n * 10n ** 18n, amount1Max: 15_000n * 10n ** 6n });
    chain.setPrice(desc.poolId, 3100);
    const state = chain.poolState(desc.poolId);
    const wallet = [chain.balanceOf('ETH'), chain.balanceOf('USDC')];
    const txs = chain.transactions.length;
    // more than the wallet holds
    await expect(chain.mint({ poolId: desc.poolId, ...range, amount0Max: 10n ** 30n, amount1Max: 10n ** 30n })).rejects.toThrow(/insufficient/);
    // misaligned range, unknown token, a token of another pool
    await expect(chain.mint({ poolId: desc.poolId, tickLower: range.tickLower + 1, tickUpper: range.tickUpper, amount0Max: 1n, amount1Max: 1n })).rejects.toThrow(SimulatedTxError);
    await expect(chain.roll({ poolId: desc.poolId, tokenId: '99', ...range })).rejects.toThrow(/unknown token id/);
    await expect(chain.roll({ poolId: `0x09${'00'.repeat(31)}`, tokenId: position.tokenId, ...range })).rejects.toThrow(/unknown pool/);
    chain.failNext('roll');
    await expect(chain.roll({ poolId: desc.poolId, tokenId: position.tokenId, ...range })).rejects.toThrow(SimulatedRpcError);
    expect(chain.poolState(desc.poolId)).toEqual(state);
    expect([chain.balanceOf('ETH'), chain.balanceOf('USDC')]).toEqual(wallet);
    expect(chain.transactions).toHaveLength(txs);
    const rolled = await chain.roll({ poolId: desc.poolId, tokenId: position.tokenId, ...range });
    expect(rolled.fees1).toBeGreaterThan(0n);
    expect(await chain.ownedPositions(desc.poolId)).toEqual([rolled.position]);
  });
});
