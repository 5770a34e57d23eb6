/**
 * Builds our exact in-memory pool model (src/math/pool) of a live v4 pool from StateView reads at
 * one block (../initializedTicks.ts): slot0, in-range liquidity, fee growth, and every initialized
 * tick in a window of tick-bitmap words around the current tick. Liquidity beyond the window is folded into one
 * stand-in tick just outside each side (so the model's liquidity accounting balances); a quote
 * is exact as long as the swap does not reach a stand-in, which `knownRange` lets the caller
 * check (quoteExactIn widens the window until it holds).
 */
import type { Provider } from 'ethers';
import { Pool, type PoolSnapshot, type TickSnapshot } from '../../../math/pool/index.js';
import { MAX_SQRT_PRICE, MIN_SQRT_PRICE, getSqrtPriceAtTick } from '../../../math/tickMath.js';
import { readInitializedTicks } from '../initializedTicks.js';
import type { PoolKey } from '../poolId.js';

/** A model of the pool and the sqrt-price interval in which it is exact. */
export interface PoolModelWindow {
  pool: Pool;
  blockNumber: number;
  /** A swap that ends strictly inside (low, high) only crossed ticks the model read from chain. */
  knownRange: { lowSqrtPriceX96: bigint; highSqrtPriceX96: bigint };
  /** True when the window spans every word of the pool (no stand-in ticks). */
  complete: boolean;
}

/** What to read. `radiusWords` bitmap words (256 tick spacings each) on each side of the current tick's word. */
export interface ReadPoolModelRequest {
  provider: Provider;
  stateView: string;
  poolId: string;
  key: PoolKey;
  radiusWords: number;
  /** Block to read at; default the latest. */
  blockNumber?: number;
}

/** The model of `poolId` at one block, with the initialized ticks of a window of bitmap words. */
export async function readPoolModel(req: ReadPoolModelRequest): Promise<PoolModelWindow> {
  const spacing = req.key.tickSpacing;
  const read = await readInitializedTicks({
    provider: req.provider, stateView: req.stateView, poolId: req.poolId, tickSpacing: spacing, radiusWords: req.radiusWords,
    ...(req.blockNumber === undefined ? {} : { blockNumber: req.blockNumber }),
  });
  const { slot0, liquidity, ticks, firstWord, lastWord, minWord, maxWord, blockNumber } = read;
  const growth = { feeGrowth0X128: read.feeGrowthGlobal0X128, feeGrowth1X128: read.feeGrowthGlobal1X128 };

  // liquidity outside the window: below it, what the in-range liquidity has beyond the window's
  // ticks at or below the current tick; above it, what makes all nets sum to zero
  let belowInWindow = 0n;
  let allInWindow = 0n;
  for (const t of ticks) {
    allInWindow += t.liquidityNet;
    if (t.tick <= slot0.tick) belowInWindow += t.liquidityNet;
  }
  const netBelow = liquidity - belowInWindow;
  const netAbove = -(netBelow + allInWindow);
  const lowStandIn = (firstWord * 256 - 1) * spacing;
  const highStandIn = (lastWord + 1) * 256 * spacing;
  const standIn = (tick: number, net: bigint): TickSnapshot => ({ tick, liquidityGross: net < 0n ? -net : net, liquidityNet: net, feeGrowthOutside0X128: 0n, feeGrowthOutside1X128: 0n });
  const all = [...ticks];
  if (netBelow !== 0n) all.unshift(standIn(lowStandIn, netBelow));
  if (netAbove !== 0n) all.push(standIn(highStandIn, netAbove));

  const snapshot: PoolSnapshot = {
    tickSpacing: spacing, fee: req.key.fee,
    sqrtPriceX96: slot0.sqrtPriceX96, tick: slot0.tick, protocolFee: slot0.protocolFee, lpFee: slot0.lpFee,
    liquidity, feeGrowthGlobal0X128: growth.feeGrowth0X128, feeGrowthGlobal1X128: growth.feeGrowth1X128,
    ticks: all, positions: [],
  };
  const complete = firstWord === minWord && lastWord === maxWord;
  return {
    pool: Pool.fromSnapshot(snapshot),
    blockNumber,
    knownRange: {
      lowSqrtPriceX96: firstWord === minWord ? MIN_SQRT_PRICE : getSqrtPriceAtTick(lowStandIn),
      highSqrtPriceX96: lastWord === maxWord ? MAX_SQRT_PRICE : getSqrtPriceAtTick(highStandIn),
    },
    complete,
  };
}
