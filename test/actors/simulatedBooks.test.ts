/**
 * The same actors keep the same books in backtests: on the simulated chain each pool's held
 * tokens come from books moved by exactly what its transactions moved in the shared wallet, so
 * with two pools sharing ETH and USDC, after mints and rolls in both, the wallet less what the
 * pools' books hold is exactly what it held beyond the deposits at the start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { positionConfig, startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('books on the simulated chain', () => {
  it('explain every wallet change of two pools sharing both tokens, to the unit, across rolls', async () => {
    f = await startFixture({ pools: 2 });
    const [p0, p1] = f.pools;
    // the fixture's wallet before the agent started (and minted in both pools)
    const start = { ETH: 1_000n * 10n ** 18n, USDC: 3_000_000n * 10n ** 6n };
    await f.move(3000);
    await f.move(3600);
    await f.move(3000);
    const states = await Promise.all([f.agent.position(p0!.poolId), f.agent.position(p1!.poolId)]);
    for (const s of states) expect(s.rolls).toBeGreaterThanOrEqual(1);
    const deposit = positionConfig(p0!);
    const heldEth = states.reduce((a, s) => a + BigInt(s.held.amount0), 0n);
    const heldUsdc = states.reduce((a, s) => a + BigInt(s.held.amount1), 0n);
    // the wallet less the books = what it held beyond the two deposits at the start
    expect(f.chain.balanceOf('ETH') - heldEth).toBe(start.ETH - 2n * deposit.amount0);
    expect(f.chain.balanceOf('USDC') - heldUsdc).toBe(start.USDC - 2n * deposit.amount1);
    for (const s of states) {
      expect(s.haltReason ?? '').not.toMatch(/^books:/);
      expect(BigInt(s.held.amount0)).toBeGreaterThanOrEqual(0n);
      expect(BigInt(s.held.amount1)).toBeGreaterThanOrEqual(0n);
      expect(s.walletShortfall).toEqual({ amount0: '0', amount1: '0' });
    }
  });
});
