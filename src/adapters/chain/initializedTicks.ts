/**
 * Reads a pool's liquidity around its price through StateView at one block: slot0, in-range
 * liquidity, global fee growth, and every initialized tick in a window of tick-bitmap words
 * (256 tick spacings each) around the current tick's word, with each tick's liquidity and fee
 * growth outside. The pool model reader (swap/poolModelReader.ts) and the on-chain port's
 * poolLiquidity both read through here.
 */
import type { Provider } from 'ethers';
import type { PoolLiquidity, PoolTick } from '../../actors/ports.js';
import { MAX_TICK, MIN_TICK } from '../../math/tickMath.js';
import { StateViewReader, type Slot0 } from './stateView.js';

export interface ReadInitializedTicksRequest {
  provider: Provider;
  stateView: string;
  poolId: string;
  tickSpacing: number;
  /** Bitmap words read on each side of the current tick's word. */
  radiusWords: number;
  /** Block to read at; default the latest. */
  blockNumber?: number;
}

/** What was read, with the bitmap words it covers. */
export interface InitializedTicksWindow extends PoolLiquidity {
  slot0: Slot0;
  firstWord: number;
  lastWord: number;
  /** The pool's lowest and highest bitmap words: a window spanning both is complete. */
  minWord: number;
  maxWord: number;
}

function compress(tick: number, spacing: number): number {
  return Math.floor(tick / spacing);
}

/** The pool's initialized ticks in a window of bitmap words around its price (see the module comment). */
export async function readInitializedTicks(req: ReadInitializedTicksRequest): Promise<InitializedTicksWindow> {
  const spacing = req.tickSpacing;
  const blockNumber = req.blockNumber ?? (await req.provider.getBlockNumber());
  const at = { blockTag: blockNumber };
  const sv = new StateViewReader(req.stateView, req.provider);
  const [slot0, liquidity, growth] = await Promise.all([sv.getSlot0(req.poolId, at), sv.getLiquidity(req.poolId, at), sv.getFeeGrowthGlobals(req.poolId, at)]);

  const minWord = compress(MIN_TICK, spacing) >> 8;
  const maxWord = compress(MAX_TICK, spacing) >> 8;
  const centre = compress(slot0.tick, spacing) >> 8;
  let firstWord = Math.max(minWord, centre - req.radiusWords);
  let lastWord = Math.min(maxWord, centre + req.radiusWords);
  // a window whose neighbouring tick would lie outside [MIN_TICK, MAX_TICK] runs to the end instead
  if (firstWord > minWord && (firstWord * 256 - 1) * spacing < MIN_TICK) firstWord = minWord;
  if (lastWord < maxWord && (lastWord + 1) * 256 * spacing > MAX_TICK) lastWord = maxWord;

  const words = Array.from({ length: lastWord - firstWord + 1 }, (_, i) => firstWord + i);
  const bits = await Promise.all(words.map((w) => sv.getTickBitmap(req.poolId, w, at)));
  const tickIndices: number[] = [];
  bits.forEach((word, i) => {
    for (let bit = 0; bit < 256; bit++) if ((word >> BigInt(bit)) & 1n) tickIndices.push((words[i]! * 256 + bit) * spacing);
  });
  const infos = await Promise.all(tickIndices.map((t) => sv.getTickInfo(req.poolId, t, at)));
  const ticks: PoolTick[] = tickIndices.map((tick, i) => ({ tick, ...infos[i]! }));
  return {
    poolId: req.poolId, blockNumber, slot0, sqrtPriceX96: slot0.sqrtPriceX96, tick: slot0.tick, liquidity,
    feeGrowthGlobal0X128: growth.feeGrowth0X128, feeGrowthGlobal1X128: growth.feeGrowth1X128, ticks,
    knownLower: Math.max(MIN_TICK, firstWord * 256 * spacing), knownUpper: Math.min(MAX_TICK, (lastWord + 1) * 256 * spacing),
    firstWord, lastWord, minWord, maxWord,
  };
}
