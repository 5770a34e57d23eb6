/**
 * Applies one random operation to the simulated chain and to the independent replay, and
 * checks that both succeed with the same results or both refuse it.
 */
import { expect } from 'vitest';
import type { PoolDescriptor } from '../../src/actors/ports.js';
import { SimulatedTxError, type SimulatedChain } from '../../src/sim/simulatedChain.js';
import { humanPriceToSqrtPriceX96 } from '../../src/sim/humanSqrtPrice.js';
import { amountsFor, poolPrice, rangeAround, type Op, type Replay } from './support.js';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function outcome<T>(f: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The chain and the replay side by side; `nextTokenId` follows the chain's token numbering. */
export interface Pair {
  desc: PoolDescriptor;
  chain: SimulatedChain;
  replay: Replay;
  nextTokenId: number;
}

function expectSameFate(c: Outcome<unknown>, r: Outcome<unknown>): void {
  if (!c.ok) expect(c.error).toBeInstanceOf(SimulatedTxError);
  expect({ chainOk: c.ok, replayOk: r.ok }).toEqual({ chainOk: r.ok, replayOk: r.ok });
}

export async function applyOp(s: Pair, op: Op): Promise<void> {
  const { desc, chain, replay } = s;
  const poolId = desc.poolId;
  switch (op.kind) {
    case 'setPrice': {
      const snap = chain.setPrice(poolId, poolPrice(desc, op.usd));
      replay.setPrice(op.usd);
      // the market's swap stops exactly at the target price
      expect(snap.sqrtPriceX96).toBe(humanPriceToSqrtPriceX96(poolPrice(desc, op.usd), desc.token0.decimals, desc.token1.decimals));
      expect(Math.abs(snap.price / poolPrice(desc, op.usd) - 1)).toBeLessThan(1e-9);
      return;
    }
    case 'mint': {
      const { tickLower, tickUpper } = rangeAround(desc, replay.tick, op.lowerOffset, op.width);
      const { amount0, amount1 } = amountsFor(desc, op.usd0, op.usd1);
      const tokenId = String(s.nextTokenId);
      const c = await outcome(() => chain.mint({ poolId, tickLower, tickUpper, amount0Max: amount0, amount1Max: amount1 }));
      const r = await outcome(() => replay.mint(tokenId, tickLower, tickUpper, amount0, amount1));
      expectSameFate(c, r);
      if (c.ok && r.ok) {
        expect(c.value.position).toEqual({ tokenId, poolId, tickLower, tickUpper, liquidity: r.value.liquidity });
        expect({ amount0: c.value.amount0, amount1: c.value.amount1 }).toEqual({ amount0: r.value.amount0, amount1: r.value.amount1 });
        s.nextTokenId += 1;
      }
      return;
    }
    case 'roll': {
      const owned = await chain.ownedPositions(poolId);
      if (owned.length === 0) return;
      const old = owned[op.pick % owned.length]!;
      const { tickLower, tickUpper } = rangeAround(desc, replay.tick, op.lowerOffset, op.width);
      const tokenId = String(s.nextTokenId);
      const c = await outcome(() => chain.roll({ poolId, tokenId: old.tokenId, tickLower, tickUpper }));
      const r = await outcome(() => replay.roll(old, tokenId, tickLower, tickUpper));
      expectSameFate(c, r);
      if (c.ok && r.ok) {
        const { receipt: _receipt, position, ...rest } = c.value;
        expect(position).toEqual({ tokenId, poolId, tickLower, tickUpper, liquidity: r.value.liquidity });
        const { liquidity: _l, ...expected } = r.value;
        expect(rest).toEqual(expected);
        s.nextTokenId += 1;
      }
      return;
    }
    case 'withdraw': {
      const owned = await chain.ownedPositions(poolId);
      if (owned.length === 0) return;
      const pos = owned[op.pick % owned.length]!;
      const c = await outcome(() => chain.withdraw(pos));
      const r = await outcome(() => replay.withdraw(pos.tokenId, pos.tickLower, pos.tickUpper, pos.liquidity));
      expectSameFate(c, r);
      if (c.ok && r.ok) {
        const { receipt: _receipt, ...rest } = c.value;
        expect(rest).toEqual(r.value);
      }
      return;
    }
  }
}
