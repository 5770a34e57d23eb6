/**
 * The instrumented ChainPort (metrics) passes every call through: the port `run` and `start` hand
 * the agent is this wrapper, and a member it drops is a capability the agent silently loses (it
 * dropped poolLiquidity, so no run ever read the pool's ticks or measured its fee growth).
 */
import { describe, expect, it } from 'vitest';
import { instrumentChain } from '../../src/adapters/chain/instrumentedChain.js';
import { newChain, poolDescriptor } from '../actors/support/fixture.js';

describe('instrumented chain', () => {
  it('forwards every member of the port it wraps, poolLiquidity included, and times it', async () => {
    const pool = poolDescriptor();
    const chain = newChain([pool]);
    const calls: string[] = [];
    const port = instrumentChain(chain, { call: (method, ok) => calls.push(`${method}:${ok}`) });
    // every ChainPort method the simulated chain has
    const methods = ['poolSnapshot', 'ownedPositions', 'positionFees', 'gasPriceWei', 'mint', 'roll', 'withdraw', 'heldTokens', 'adoptBooks', 'poolLiquidity'] as const;
    for (const m of methods) {
      expect(typeof (chain as unknown as Record<string, unknown>)[m]).toBe('function');
      expect(typeof (port as unknown as Record<string, unknown>)[m], m).toBe('function');
    }
    const direct = await chain.poolLiquidity(pool.poolId);
    const through = await port.poolLiquidity!(pool.poolId);
    expect(through).toEqual(direct);
    expect(through.ticks.length).toBeGreaterThan(0);
    expect(calls).toContain('poolLiquidity:true');
    await chain.close();
  });
});
