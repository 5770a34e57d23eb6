/**
 * Conservation of tokens on the simulated chain: across any sequence of market moves, mints,
 * rolls and withdrawals, wallet + pool reserves change only by what outside traders paid in
 * (the agent's own re-balancing swaps move tokens between wallet and pool), and the pool stays
 * solvent: withdrawing every LP's liquidity (ours and the other LPs') with its fees from a copy
 * of the pool leaves it with a non-negative remainder, as rounding in the pool's favour does on chain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pool } from '../../src/math/pool/index.js';
import type { SimulatedChain } from '../../src/sim/simulatedChain.js';
import type { PoolDescriptor } from '../../src/actors/ports.js';
import { ETH_USDC, Replay, USDC_WETH, newChain, opsArb } from './support.js';
import { applyOp, type Pair } from './apply.js';

interface Totals { amount0: bigint; amount1: bigint }

function holdings(chain: SimulatedChain, desc: PoolDescriptor): Totals {
  const r = chain.poolReserves(desc.poolId);
  return { amount0: chain.balanceOf(desc.token0.symbol) + r.amount0, amount1: chain.balanceOf(desc.token1.symbol) + r.amount1 };
}

/** Reserves left after every position of the pool is withdrawn with its fees (on a copy). */
function remainderAfterEveryoneLeaves(chain: SimulatedChain, desc: PoolDescriptor): Totals {
  const copy = Pool.fromSnapshot(chain.poolState(desc.poolId));
  const left = chain.poolReserves(desc.poolId);
  for (const p of chain.poolState(desc.poolId).positions) {
    if (p.liquidity === 0n) continue;
    const r = copy.modifyLiquidity({ owner: p.owner, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidityDelta: -p.liquidity, salt: p.salt });
    left.amount0 -= r.callerDelta.amount0;
    left.amount1 -= r.callerDelta.amount1;
  }
  expect(copy.getLiquidity()).toBe(0n);
  return left;
}

describe('SimulatedChain token conservation', () => {
  it('property: wallet + pool reserves move only by what outside traders paid in; the pool stays solvent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(ETH_USDC, USDC_WETH), opsArb, async (desc, ops) => {
        const chain = newChain(desc);
        const s: Pair = { desc, chain, replay: new Replay(desc, 3000, chain.backgroundPositions(desc.poolId)), nextTokenId: 1 };
        const start = holdings(chain, desc);
        expect(chain.marketPaidIn(desc.poolId)).toEqual({ amount0: 0n, amount1: 0n });
        for (const op of ops) {
          await applyOp(s, op);
          const now = holdings(chain, desc);
          const paid = chain.marketPaidIn(desc.poolId);
          expect(now).toEqual({ amount0: start.amount0 + paid.amount0, amount1: start.amount1 + paid.amount1 });
          const left = remainderAfterEveryoneLeaves(chain, desc);
          expect(left.amount0).toBeGreaterThanOrEqual(0n);
          expect(left.amount1).toBeGreaterThanOrEqual(0n);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a market move is paid for: the trader pays in the token sold and takes out the other', () => {
    const chain = newChain(ETH_USDC);
    chain.setPrice(ETH_USDC.poolId, 3100); // ETH bought from the pool: USDC in, ETH out
    const up = chain.marketPaidIn(ETH_USDC.poolId);
    expect(up.amount1).toBeGreaterThan(0n);
    expect(up.amount0).toBeLessThan(0n);
    chain.setPrice(ETH_USDC.poolId, 3000); // and back: ETH in, USDC out, fees kept by the LPs
    const back = chain.marketPaidIn(ETH_USDC.poolId);
    expect(back.amount0).toBeGreaterThan(0n);
    expect(back.amount1).toBeGreaterThan(0n);
  });
});
