/**
 * On the devnet (anvil, the real Uniswap v4 contracts): a flash push of the pool price alone — a
 * large swap, then back — makes the agent do nothing: no withdraw, no halt, no mint, no roll,
 * though its exit rule's price bound and the drawdown limit would both fire on the pushed pool's
 * price. The reference it acts on is the median of a named source (the simulated market, standing
 * in for a venue's mark) and the pool's TWAP, which a push of a second or two barely moves. The
 * same move in the reference (the market moves, the arbitrageur takes the pool along) does make
 * it act: the exit rule withdraws.
 */
import { describe, expect, it } from 'vitest';
import { accountWithRole } from '../../src/adapters/chain/devnet/manifest.js';
import { createArbitrageur } from '../../src/adapters/chain/devnet/simulator/arbitrageur.js';
import { PoolSwapper } from '../../src/adapters/chain/devnet/simulator/poolSwapper.js';
import { walletFor } from '../../src/adapters/chain/devnet/wallets.js';
import { positionConfig } from '../actors/support/fixture.js';
import { pollFor, useDevnetAgent } from './support/devnetAgent.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const rig = useDevnetAgent(5, (pool) => {
  const eth = 2n * 10n ** 18n;
  const usdc = 6_000n * 10n ** 6n;
  return positionConfig(pool, {
    amount0: pool.assetIsToken0 ? eth : usdc, amount1: pool.assetIsToken0 ? usdc : eth,
    range: { annualVolatility: 0.2, horizonSeconds: 86_400, riskLevel: 'moderate' },
    // on the pushed pool's price this exit fires at once, as would the 15% drawdown limit
    exit: { priceBelow: 2500 },
    // two sources: the market and the pool's own TWAP (3 s: short, so the test is quick)
    reference: { minSources: 2, maxSpread: 0.03, twapSeconds: 3, staleMs: 600_000 },
  });
});

describe('a reference price that cannot be pushed (devnet)', () => {
  it('a flash push of the pool alone triggers no withdraw, halt, mint or roll; the same move in the reference does', async () => {
    const { devnet, chain, agent, reference } = rig();
    const pool = chain.pools.find((p) => p.fee === 500)!;
    const manifestPool = devnet.manifest.pools.find((p) => p.id === pool.poolId)!;
    const [first] = await chain.port.ownedPositions(pool.poolId);
    expect(first).toBeDefined();
    reference.next({ time: Date.now(), price: 3000 });
    await pollFor('the reference accepted at 3000 (market and pool TWAP agreeing)', async () => {
      const s = await agent.position(pool.poolId);
      return s.referencePrice !== null && Math.abs(s.referencePrice / 3000 - 1) < 0.01 ? s : null;
    });
    const before = await agent.position(pool.poolId);

    // the push: someone else (a noise trader's account, not the market's arbitrageur) sells the pool
    // down to 2000, holds it there for a second and a half, then buys it back to 3000
    const pusher = createArbitrageur({ manifest: devnet.manifest, provider: devnet.provider, swapper: new PoolSwapper(devnet.manifest, devnet.provider), signer: walletFor(accountWithRole(devnet.manifest, 'noise'), devnet.provider) });
    await pusher.align(manifestPool, 2000);
    const pushed = await pollFor('the agent to see the pushed pool', async () => {
      const s = await agent.position(pool.poolId);
      return s.assetPrice < 2200 ? s : null;
    });
    expect(pushed.atReference?.price).toBeGreaterThan(2900); // the reference did not follow the pool
    await sleep(1_500);
    await pusher.align(manifestPool, 3000);
    await pollFor('the agent to see the pool back', async () => {
      const s = await agent.position(pool.poolId);
      return Math.abs(s.assetPrice / 3000 - 1) < 0.01 ? s : null;
    });
    await sleep(4_000); // the TWAP window passes over the push

    const after = await agent.position(pool.poolId);
    expect(after.status).toBe('running');
    expect(after.exitReason).toBeNull();
    expect(after.rolls).toBe(before.rolls);
    expect(after.position?.tokenId).toBe(first!.tokenId);
    expect((await agent.risk()).status).toBe('running');
    const owned = await chain.port.ownedPositions(pool.poolId);
    expect(owned.map((p) => [p.tokenId, p.liquidity])).toEqual([[first!.tokenId, first!.liquidity]]); // no withdraw, no mint
    expect(after.referencePrice).not.toBeNull(); // and it acts again once the push is out of the window

    // the same move in the reference: the market falls to 2300 and the arbitrageur takes the pool along
    reference.next({ time: Date.now(), price: 2300 });
    const exited = await pollFor('the exit rule on the reference', async () => {
      const s = await agent.position(pool.poolId);
      return s.status === 'exited' ? s : null;
    }, 30_000);
    expect(exited.exitReason).toMatch(/reference price .* below 2500/);
    expect(exited.position).toBeNull();
    expect((await chain.port.ownedPositions(pool.poolId)).filter((p) => p.liquidity > 0n)).toHaveLength(0);
  });
});
