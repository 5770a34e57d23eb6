/**
 * The re-balancing swap of a roll: how much of one token to sell (exact input) so that the
 * proceeds of the old position fit the token ratio the new range needs at the pool price before
 * the swap (the value share of each token in the new range), 0.1% short of the ideal to leave
 * room for the fee, with a price limit 1% away. Sizing is a float policy that ignores the swap's
 * own price impact (small against the other LPs' book; what the new range cannot take returns to
 * the wallet); the swap itself runs through the exact pool.
 */
import { MAX_SQRT_PRICE, MIN_SQRT_PRICE, getSqrtPriceAtTick } from '../../../math/tickMath.js';

/** An exact-input swap: sell amountIn of token0 (zeroForOne) or token1, not past the limit. */
export interface RebalanceSwap {
  zeroForOne: boolean;
  amountIn: bigint;
  sqrtPriceLimitX96: bigint;
}

/** Maximum price move the swap accepts, in basis points of price. */
export const REBALANCE_SLIPPAGE_BPS = 100;

const Q96 = 2 ** 96;

/**
 * The swap that turns (amount0, amount1) into the ratio [tickLower, tickUpper] holds at
 * sqrtPriceX96, or null when none is needed. amountIn never exceeds what is held.
 */
export function rebalanceSwapFor(sqrtPriceX96: bigint, amount0: bigint, amount1: bigint, tickLower: number, tickUpper: number): RebalanceSwap | null {
  const x = Number(amount0);
  const y = Number(amount1);
  const sqrtP = Number(sqrtPriceX96) / Q96;
  const P = sqrtP * sqrtP; // raw token1 per token0
  const sa = Number(getSqrtPriceAtTick(tickLower)) / Q96;
  const sb = Number(getSqrtPriceAtTick(tickUpper)) / Q96;
  const s = Math.min(Math.max(sqrtP, sa), sb);
  const unit0 = 1 / s - 1 / sb; // per unit of liquidity
  const unit1 = s - sa;
  const share0 = (unit0 * P) / (unit0 * P + unit1); // fraction of value the range holds as token0
  const value = x * P + y;
  const want0 = (value * share0) / P;
  const zeroForOne = x > want0;
  const ideal = zeroForOne ? (x - want0) * 0.999 : (want0 - x) * P * 0.999;
  if (!(ideal >= 1) || !Number.isFinite(ideal)) return null;
  let amountIn = BigInt(Math.floor(ideal));
  const held = zeroForOne ? amount0 : amount1;
  if (amountIn > held) amountIn = held;
  if (amountIn <= 0n) return null;
  const factor = Math.sqrt(zeroForOne ? 1 - REBALANCE_SLIPPAGE_BPS / 10_000 : 1 + REBALANCE_SLIPPAGE_BPS / 10_000);
  let limit = BigInt(Math.floor(Number(sqrtPriceX96) * factor));
  if (zeroForOne) {
    if (limit >= sqrtPriceX96) limit = sqrtPriceX96 - 1n;
    if (limit <= MIN_SQRT_PRICE) limit = MIN_SQRT_PRICE + 1n;
    if (limit >= sqrtPriceX96) return null; // already at the bottom
  } else {
    if (limit <= sqrtPriceX96) limit = sqrtPriceX96 + 1n;
    if (limit >= MAX_SQRT_PRICE) limit = MAX_SQRT_PRICE - 1n;
    if (limit <= sqrtPriceX96) return null; // already at the top
  }
  return { zeroForOne, amountIn, sqrtPriceLimitX96: limit };
}
