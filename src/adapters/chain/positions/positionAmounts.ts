/**
 * Exact token amounts of a liquidity change, as the v4 PoolManager computes them
 * (Pool.modifyLiquidity: which side of the range the current tick is on decides the formula;
 * amounts owed to the pool round up, amounts paid out round down), and slippage bounds for
 * PositionManager's amount0Max/amount1Max and amount0Min/amount1Min derived from them.
 */
import {
  MAX_SQRT_PRICE,
  MIN_SQRT_PRICE,
  getAmount0Delta,
  getAmount1Delta,
  getSqrtPriceAtTick,
  getTickAtSqrtPrice,
} from '../../../math/index.js';

/** Unsigned token amounts of a liquidity change (raw units). */
export interface PrincipalAmounts {
  amount0: bigint;
  amount1: bigint;
}

/** The pool's price as slot0 reports it. */
export interface PoolPrice {
  sqrtPriceX96: bigint;
  tick: number;
}

/** A price tolerance that cannot be used (must be 0..9999 basis points). */
export class SlippageToleranceError extends Error {
  override readonly name = 'SlippageToleranceError';
  constructor(readonly bps: number) {
    super(`positions: price tolerance ${bps} bps must be an integer in [0, 9999]`);
  }
}

/**
 * The amounts PoolManager moves for a liquidity change of `liquidity` on [tickLower, tickUpper)
 * at `price`: `adding` = true for mint/increase (what the owner pays, rounded up), false for
 * decrease/burn (what the owner receives before fees, rounded down). Bit-identical to
 * Pool.modifyLiquidity's principal delta.
 */
export function principalAmounts(price: PoolPrice, tickLower: number, tickUpper: number, liquidity: bigint, adding: boolean): PrincipalAmounts {
  const sqrtLower = getSqrtPriceAtTick(tickLower);
  const sqrtUpper = getSqrtPriceAtTick(tickUpper);
  if (price.tick < tickLower) {
    return { amount0: getAmount0Delta(sqrtLower, sqrtUpper, liquidity, adding), amount1: 0n };
  }
  if (price.tick < tickUpper) {
    return {
      amount0: getAmount0Delta(price.sqrtPriceX96, sqrtUpper, liquidity, adding),
      amount1: getAmount1Delta(sqrtLower, price.sqrtPriceX96, liquidity, adding),
    };
  }
  return { amount0: 0n, amount1: getAmount1Delta(sqrtLower, sqrtUpper, liquidity, adding) };
}

/** floor(sqrt(n)) by Newton's method started above the root (monotone decreasing to it). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`isqrt of negative ${n}`);
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1); // > sqrt(n)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * The two prices at the edges of a tolerance of `bps` basis points around `price` (in price,
 * not sqrt price: P·(1 − bps/10⁴) and P·(1 + bps/10⁴)), clamped to v4's valid sqrt-price range,
 * each with the tick slot0 would report there.
 */
export function priceBand(price: PoolPrice, bps: number): { low: PoolPrice; high: PoolPrice } {
  if (!Number.isInteger(bps) || bps < 0 || bps > 9999) throw new SlippageToleranceError(bps);
  const sq = price.sqrtPriceX96 * price.sqrtPriceX96;
  const clamp = (s: bigint): bigint => (s < MIN_SQRT_PRICE ? MIN_SQRT_PRICE : s >= MAX_SQRT_PRICE ? MAX_SQRT_PRICE - 1n : s);
  const lowSqrt = clamp(isqrt((sq * BigInt(10_000 - bps)) / 10_000n));
  const highSqrt = clamp(isqrt((sq * BigInt(10_000 + bps)) / 10_000n));
  return {
    low: { sqrtPriceX96: lowSqrt, tick: getTickAtSqrtPrice(lowSqrt) },
    high: { sqrtPriceX96: highSqrt, tick: getTickAtSqrtPrice(highSqrt) },
  };
}

/** Slippage bounds for adding liquidity: the most of each token the pool may take. */
export interface MaxAmounts {
  amount0Max: bigint;
  amount1Max: bigint;
}

/** Slippage bounds for removing liquidity: the least of each token the owner must receive. */
export interface MinAmounts {
  amount0Min: bigint;
  amount1Min: bigint;
}

/**
 * amount0Max/amount1Max for adding `liquidity`: the largest amount of each token the mint or
 * increase can cost anywhere in the price band of `bps` around `price` (amount0 grows as the
 * price falls, amount1 as it rises, so the band's edges bound them). bps = 0 gives the exact
 * amounts at `price`.
 */
export function maxAmountsForAdd(price: PoolPrice, tickLower: number, tickUpper: number, liquidity: bigint, bps: number): MaxAmounts {
  const { low, high } = priceBand(price, bps);
  const at = [price, low, high].map((p) => principalAmounts(p, tickLower, tickUpper, liquidity, true));
  return {
    amount0Max: at.reduce((m, a) => (a.amount0 > m ? a.amount0 : m), 0n),
    amount1Max: at.reduce((m, a) => (a.amount1 > m ? a.amount1 : m), 0n),
  };
}

/**
 * amount0Min/amount1Min for removing `liquidity`: the smallest principal of each token the
 * decrease or burn can return anywhere in the price band of `bps` around `price` (fees come on
 * top and are not part of PositionManager's check).
 */
export function minAmountsForRemove(price: PoolPrice, tickLower: number, tickUpper: number, liquidity: bigint, bps: number): MinAmounts {
  const { low, high } = priceBand(price, bps);
  const at = [price, low, high].map((p) => principalAmounts(p, tickLower, tickUpper, liquidity, false));
  return {
    amount0Min: at.reduce((m, a) => (a.amount0 < m ? a.amount0 : m), at[0]!.amount0),
    amount1Min: at.reduce((m, a) => (a.amount1 < m ? a.amount1 : m), at[0]!.amount1),
  };
}
