/**
 * End to end on the devnet: anvil with the real Uniswap v4 contracts, the market simulator's
 * arbitrageur moving the pools to a reference price we control, the agent on the on-chain port
 * (PositionManager), the paper exchange for the hedge. Price pushed out of range -> the
 * PositionActor rolls on chain (the PositionManager position's range changes) -> the hedge is
 * back within 5% of target after each roll.
 */
import { describe, expect, it } from 'vitest';
import { positionConfig } from '../actors/support/fixture.js';
import { pollFor, useDevnetAgent } from './support/devnetAgent.js';

const rig = useDevnetAgent(3, (pool) => {
  const eth = 2n * 10n ** 18n;
  const usdc = 6_000n * 10n ** 6n;
  return positionConfig(pool, {
    amount0: pool.assetIsToken0 ? eth : usdc, amount1: pool.assetIsToken0 ? usdc : eth,
    range: { annualVolatility: 0.2, horizonSeconds: 86_400, riskLevel: 'moderate' },
  });
});

describe('devnet end to end', () => {
  it('price out of range -> roll on chain -> hedge back within 5% of target, after each roll', async () => {
    const { chain, agent, reference } = rig();
    const pool = chain.pools.find((p) => p.fee === 500)!;
    const owned0 = await chain.port.ownedPositions(pool.poolId);
    expect(owned0).toHaveLength(1);
    const first = owned0[0]!;
    reference.next({ time: Date.now(), price: 3000 });
    await pollFor('the hedge at 3000', async () => {
      const h = (await agent.hedge()).assets['ETH'];
      return h !== undefined && h.target < 0 && h.withinBand ? h : null;
    });

    let last = first;
    for (const [i, price] of [3250, 2950].entries()) {
      reference.next({ time: Date.now(), price });
      const pos = await pollFor(`roll ${i + 1} at ${price}`, async () => {
        const s = await agent.position(pool.poolId);
        return s.rolls >= i + 1 ? s : null;
      });
      const owned = await chain.port.ownedPositions(pool.poolId);
      expect(owned).toHaveLength(1); // the old token was burned: never two positions
      const now = owned[0]!;
      expect(now.tokenId).not.toBe(last.tokenId);
      expect([now.tickLower, now.tickUpper]).not.toEqual([last.tickLower, last.tickUpper]);
      expect(pos.position?.tokenId).toBe(now.tokenId);
      const snap = await chain.port.poolSnapshot(pool.poolId);
      expect(snap.tick).toBeGreaterThanOrEqual(now.tickLower);
      expect(snap.tick).toBeLessThan(now.tickUpper);
      const hedge = await pollFor(`hedge after roll ${i + 1}`, async () => {
        const h = (await agent.hedge()).assets['ETH']!;
        const p = await agent.position(pool.poolId);
        const target = -0.8 * p.delta;
        return Math.abs(h.current - target) <= 0.05 * Math.abs(target) + 0.001 ? h : null;
      });
      expect(hedge.current).toBeLessThan(0);
      last = now;
    }
    expect((await agent.risk()).status).toBe('running');
  });
});
