/**
 * The kill drill's books check counts what a pool's sagas took from the wallet's float: the
 * strategy's own tokens outside its position are held − fromFloat, and that is what must equal
 * the wallet less what was never the agent's. (Counting held alone, an agent whose books took from
 * the float would be reported as holding more than the wallet.)
 */
import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { compare, type AccountingContext } from '../../scripts/drills/accountingCheck.js';
import type { AgentPositionState, AgentState } from '../../scripts/drills/agentState.js';
import type { ChainHoldings } from '../../scripts/drills/chainHoldings.js';
import type { DrillPool } from '../../scripts/drills/drillSetup.js';

const USDC = getAddress(`0x${'11'.repeat(20)}`);
const WETH = getAddress(`0x${'22'.repeat(20)}`);
const POOL: DrillPool = {
  poolId: `0x${'ab'.repeat(32)}`, fee: 500, tickSpacing: 10, assetIsToken0: false, deposit: { amount0: '30000', amount1: '10' },
  token0: { symbol: 'USDC', decimals: 6, address: USDC }, token1: { symbol: 'WETH', decimals: 18, address: WETH },
};

function ctx(unmanaged0: bigint, unmanaged1: bigint): AccountingContext {
  return { reader: {} as AccountingContext['reader'], unmanaged: { [USDC]: unmanaged0, [WETH]: unmanaged1 }, stateUrl: 'http://unused', pools: [POOL] };
}

function state(held: [bigint, bigint], fromFloat?: [bigint, bigint]): AgentState {
  const p: AgentPositionState = {
    poolId: POOL.poolId, status: 'running', held: { amount0: held[0].toString(), amount1: held[1].toString() }, position: null, otherPositions: [], rolls: 0,
    ...(fromFloat === undefined ? {} : { fromFloat: { amount0: fromFloat[0].toString(), amount1: fromFloat[1].toString() } }),
  };
  return { positions: [p], hedge: null, risk: null };
}

function chain(wallet0: bigint, wallet1: bigint): ChainHoldings {
  return { block: 7, wallet: { [USDC]: wallet0, [WETH]: wallet1 }, positions: [], prices: { [POOL.poolId]: { sqrtPriceX96: 1n << 96n, tick: 0 } } };
}

describe('the drill\'s books check', () => {
  it('compares held − fromFloat with the wallet less what was never the agent\'s', () => {
    // the float paid 40 USDC of a mint beyond the books: the wallet holds 40 less than unmanaged + held
    const s = compare(ctx(1_000n, 5n), state([0n, 3n], [40n, 0n]), chain(960n, 8n));
    expect(s.diff).toEqual({ USDC: 0n, WETH: 0n });
    expect(s.ok).toBe(true);
  });

  it('still reports a difference the float does not explain, and reads a state without fromFloat as none taken', () => {
    expect(compare(ctx(1_000n, 5n), state([0n, 3n], [40n, 0n]), chain(950n, 8n)).diff).toEqual({ USDC: 10n, WETH: 0n });
    const old = compare(ctx(1_000n, 5n), state([12n, 3n]), chain(1_012n, 8n));
    expect(old.diff).toEqual({ USDC: 0n, WETH: 0n });
  });
});
