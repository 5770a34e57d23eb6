/**
 * Builds our exact in-memory pool model (src/math/pool) of a live v4 pool from StateView reads at
 * one block: slot0, in-range liquidity, fee growth, and every initialized tick in a window of
 * tick-bitmap words around the current tick. Liquidity beyond the window is folded into one
 * stand-in tick just outside each side (so the model's liquidity accounting balances); a quote
 * is exact as long as the swap does not reach a stand-in, which `knownRange` lets the caller
 * check (quoteExactIn widens the window until it holds).
 */
import type { Provider } from 'ethers';
import { Pool, type PoolSnapshot, type TickSnapshot } from '../../../math/pool/index.js';
import { MAX_SQRT_PRICE, MAX_TICK, MIN_SQRT_PRICE, MIN_TICK, getSqrtPriceAtTick } from '../../../math/tickMath.js';
import { StateViewReader } from '../stateView.js';
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

function compress(tick: number, spacing: number): number {
  return Math.floor(tick / spacing);
}

/** The model of `poolId` at one block, with the initialized ticks of a window of bitmap words. */
export async function readPoolModel(req: ReadPoolModelRequest): Promise<PoolModelWindow> {
  const spacing = req.key.tickSpacing;
  const blockNumber = req.blockNumber ?? (await req.provider.getBlockNumber());
  const at = { blockTag: blockNumber };
  const sv = new StateViewReader(req.stateView, req.provider);
  const [slot0, liquidity, growth] = await Promise.all([sv.getSlot0(req.poolId, at), sv.getLiquidity(req.poolId, at), sv.getFeeGrowthGlobals(req.poolId, at)]);

  const minWord = compress(MIN_TICK, spacing) >> 8;
  const maxWord = compress(MAX_TICK, spacing) >> 8;
  const centre = compress(slot0.tick, spacing) >> 8;
  let firstWord = Math.max(minWord, centre - req.radiusWords);
  let lastWord = Math.min(maxWord, centre + req.radiusWords);
  // the stand-in ticks sit on the last tick of the word below / first tick of the word above;
  // where that is outside [MIN_TICK, MAX_TICK] the window runs to the end instead
  if (firstWord > minWord && (firstWord * 256 - 1) * spacing < MIN_TICK) firstWord = minWord;
  if (lastWord < maxWord && (lastWord + 1) * 256 * spacing > MAX_TICK) lastWord = maxWord;

  const words = Array.from({ length: lastWord - firstWord + 1 }, (_, i) => firstWord + i);
  const bits = await Promise.all(words.map((w) => sv.getTickBitmap(req.poolId, w, at)));
  const tickIndices: number[] = [];
  bits.forEach((word, i) => {
    for (let bit = 0; bit < 256; bit++) if ((word >> BigInt(bit)) & 1n) tickIndices.push((words[i]! * 256 + bit) * spacing);
  });
  const infos = await Promise.all(tickIndices.map((t) => sv.getTickInfo(req.poolId, t, at)));
  const ticks: TickSnapshot[] = tickIndices.map((tick, i) => ({ tick, ...infos[i]! }));

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
