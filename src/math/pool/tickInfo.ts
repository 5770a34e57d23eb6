import { MAX_TICK, MIN_TICK } from '../tickMath.js';

/** Pool.TickInfo: what the pool stores for each initialized tick. */
export interface TickInfo {
  /** Total position liquidity that references this tick (uint128). */
  liquidityGross: bigint;
  /** Liquidity added when the tick is crossed left to right, removed right to left (int128). */
  liquidityNet: bigint;
  /** Fee growth per unit of liquidity on the other side of this tick, token0 (uint256, X128). */
  feeGrowthOutside0X128: bigint;
  /** Same for token1. */
  feeGrowthOutside1X128: bigint;
}

/** A read-only view of an uninitialized tick (all zero). */
export const EMPTY_TICK: Readonly<TickInfo> = Object.freeze({
  liquidityGross: 0n,
  liquidityNet: 0n,
  feeGrowthOutside0X128: 0n,
  feeGrowthOutside1X128: 0n,
});

/** A fresh mutable copy of a tick's info (or of the empty tick). */
export function copyTickInfo(info: Readonly<TickInfo> | undefined): TickInfo {
  const src = info ?? EMPTY_TICK;
  return {
    liquidityGross: src.liquidityGross,
    liquidityNet: src.liquidityNet,
    feeGrowthOutside0X128: src.feeGrowthOutside0X128,
    feeGrowthOutside1X128: src.feeGrowthOutside1X128,
  };
}

/**
 * Pool.tickSpacingToMaxLiquidityPerTick: type(uint128).max divided by the number of usable
 * ticks for this spacing, the cap on liquidityGross of any one tick.
 */
export function tickSpacingToMaxLiquidityPerTick(tickSpacing: number): bigint {
  const minTick = Math.trunc(MIN_TICK / tickSpacing) - (MIN_TICK % tickSpacing < 0 ? 1 : 0);
  const maxTick = Math.trunc(MAX_TICK / tickSpacing);
  const numTicks = BigInt(maxTick - minTick + 1);
  return ((1n << 128n) - 1n) / numTicks;
}
