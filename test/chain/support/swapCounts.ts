/**
 * What a differential test counts of the swaps it ran on chain and in the model (to assert that
 * the random sequence covered both directions, exact input and output, and tick crossings), and
 * the protocol fees the model says accrued.
 */
import { expect } from 'vitest';
import type { SwapParams, SwapResult } from '../../../src/math/pool/index.js';

export interface SwapCounts {
  swaps: number;
  exactIn: number;
  exactOut: number;
  zeroForOne: number;
  ticksCrossed: number;
  /** Swaps that crossed more than one initialized tick. */
  multiTick: number;
  amountToProtocol0: bigint;
  amountToProtocol1: bigint;
}

export function noSwapsCounted(): SwapCounts {
  return { swaps: 0, exactIn: 0, exactOut: 0, zeroForOne: 0, ticksCrossed: 0, multiTick: 0, amountToProtocol0: 0n, amountToProtocol1: 0n };
}

/** Counts one executed swap: `params` as sent, `result` as the model computed it. */
export function countSwap(t: SwapCounts, params: Pick<SwapParams, 'zeroForOne' | 'amountSpecified'>, result: SwapResult): void {
  t.swaps++;
  if (params.amountSpecified < 0n) t.exactIn++;
  else t.exactOut++;
  if (params.zeroForOne) {
    t.zeroForOne++;
    t.amountToProtocol0 += result.amountToProtocol;
  } else {
    t.amountToProtocol1 += result.amountToProtocol;
  }
  t.ticksCrossed += result.ticksCrossed;
  if (result.ticksCrossed > 1) t.multiTick++;
}

/** The least counts (exclusive) a random swap sequence must reach to have exercised the pool. */
export interface SwapMix {
  /** Exact-input swaps, and exact-output swaps. */
  perKind: number;
  /** zeroForOne swaps, and oneForZero swaps. */
  perDirection: number;
  /** Swaps crossing more than one initialized tick. */
  multiTick: number;
}

/** The swaps counted must include more than `min` of each kind, each direction and multi-tick crossings. */
export function expectSwapMix(t: SwapCounts, min: SwapMix): void {
  expect(t.exactIn).toBeGreaterThan(min.perKind);
  expect(t.exactOut).toBeGreaterThan(min.perKind);
  expect(t.zeroForOne).toBeGreaterThan(min.perDirection);
  expect(t.swaps - t.zeroForOne).toBeGreaterThan(min.perDirection);
  expect(t.multiTick).toBeGreaterThan(min.multiTick);
}
