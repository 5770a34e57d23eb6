/**
 * Start-up reconciliation with more than one position owned in a configured pool (issue 9): the
 * agent manages the largest and counts the others in the position's value and delta, so the hedge
 * covers the asset they hold too, instead of only listing them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newChain, poolDescriptor, startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

const ETH = 10n ** 18n;
const USDC = 10n ** 6n;

describe('other positions owned in a configured pool', () => {
  it('are counted in value and delta (and so hedged), at the pool price and at the reference', async () => {
    const pool = poolDescriptor();
    const chain = newChain([pool], 3000);
    // two positions owned before the agent starts, from the pool's books: the larger one is managed, the other counted
    await chain.adoptBooks(pool.poolId, { amount0: 5n * ETH, amount1: 15_000n * USDC });
    const { tick } = await chain.poolSnapshot(pool.poolId);
    const at = (t: number): number => Math.round(t / 60) * 60;
    const big = await chain.mint({ poolId: pool.poolId, tickLower: at(tick - 1200), tickUpper: at(tick + 1200), amount0Max: 4n * ETH, amount1Max: 12_000n * USDC });
    const small = await chain.mint({ poolId: pool.poolId, tickLower: at(tick - 600), tickUpper: at(tick + 900), amount0Max: 1n * ETH, amount1Max: 3_000n * USDC });
    expect(big.position.liquidity).toBeGreaterThan(small.position.liquidity);
    f = await startFixture({ chain });
    await f.move(3000);
    const s = await f.agent.position(pool.poolId);
    expect(s.position?.tokenId).toBe(big.position.tokenId);
    expect(s.otherPositions).toEqual([small.position.tokenId]);
    expect(s.others).toHaveLength(1);
    const other = s.others![0]!;
    // what the small position holds, as the chain took it at mint (the price has not moved)
    const eth = Number(small.amount0) / 1e18;
    const usdc = Number(small.amount1) / 1e6;
    expect(other.delta).toBeCloseTo(eth, 6);
    expect(other.valueUsd).toBeCloseTo(eth * 3000 + usdc, 0);
    // the managed position's amounts plus the other's, plus what the wallet holds for the pool
    const held = (Number(BigInt(s.held.amount0) - BigInt(s.fromFloat?.amount0 ?? '0'))) / 1e18;
    expect(s.delta).toBeCloseTo(s.amounts.amount0 + held + eth, 6);
    expect(s.amounts.amount0).toBeCloseTo(Number(big.amount0) / 1e18, 6);
    expect(s.valueUsd).toBeGreaterThan((s.amounts.amount0 * 3000 + s.amounts.amount1) + other.valueUsd - 1);
    expect(s.atReference!.valueUsd).toBeCloseTo(s.valueUsd, 0);
    // the deposit the PnL is measured against includes it: counting it is no phantom profit
    expect(s.depositedUsd).toBeCloseTo(s.amounts.amount0 * 3000 + s.amounts.amount1 + other.valueUsd, 0);
    // the hedge covers the other position's ETH too
    const hedge = (await f.agent.hedge()).assets['ETH']!;
    expect(hedge.target).toBeCloseTo(-0.8 * s.delta, 3);
  });
});
