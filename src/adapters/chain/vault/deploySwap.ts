/**
 * How much of which token the vault should swap before minting a range, so the mint uses
 * (nearly) everything it deploys: the share of value the range holds in base at the pool's price,
 * applied to what the vault will deploy (idle tokens plus the burnt position, less the idle
 * reserve). Undershoots by `marginBps` (the pool fee and price impact), so liquidity is limited
 * by the swapped side and the rest stays idle rather than the mint running short.
 */
import { principalAmounts, type PoolPrice } from '../positions/positionAmounts.js';

const Q192 = 1n << 192n;
const WAD = 10n ** 18n;

export interface DeploySwapInput {
  price: PoolPrice;
  quoteIsCurrency0: boolean;
  tickLower: number;
  tickUpper: number;
  /** What the vault will hold once its position is burnt, raw units. */
  quote: bigint;
  base: bigint;
  /** Quote kept idle (the vault's idleReserveBps of its value). */
  reserve: bigint;
  marginBps?: bigint;
}

export interface DeploySwap {
  zeroForOne: boolean;
  amountIn: bigint;
}

/** quote per base at sqrtPriceX96, applied to a base amount (rounded down). */
export function baseToQuote(base: bigint, sqrtPriceX96: bigint, quoteIsCurrency0: boolean): bigint {
  const p2 = sqrtPriceX96 * sqrtPriceX96;
  return quoteIsCurrency0 ? (base * Q192) / p2 : (base * p2) / Q192;
}

export function quoteToBase(quote: bigint, sqrtPriceX96: bigint, quoteIsCurrency0: boolean): bigint {
  const p2 = sqrtPriceX96 * sqrtPriceX96;
  return quoteIsCurrency0 ? (quote * p2) / Q192 : (quote * Q192) / p2;
}

export function deploySwap(i: DeploySwapInput): DeploySwap {
  const margin = i.marginBps ?? 50n;
  const unit = principalAmounts(i.price, i.tickLower, i.tickUpper, WAD, true);
  const [unitQuote, unitBase] = i.quoteIsCurrency0 ? [unit.amount0, unit.amount1] : [unit.amount1, unit.amount0];
  const unitBaseValue = baseToQuote(unitBase, i.price.sqrtPriceX96, i.quoteIsCurrency0);
  const deployQuote = i.quote > i.reserve ? i.quote - i.reserve : 0n;
  const baseValue = baseToQuote(i.base, i.price.sqrtPriceX96, i.quoteIsCurrency0);
  const total = deployQuote + baseValue;
  const denom = unitBaseValue + unitQuote;
  if (total === 0n || denom === 0n) return { zeroForOne: false, amountIn: 0n };
  const targetBase = (total * unitBaseValue) / denom;
  const shrink = (x: bigint): bigint => (x * (10_000n - margin)) / 10_000n;
  if (targetBase > baseValue) {
    // buy base with quote
    return { zeroForOne: i.quoteIsCurrency0, amountIn: shrink(targetBase - baseValue) };
  }
  return { zeroForOne: !i.quoteIsCurrency0, amountIn: shrink(quoteToBase(baseValue - targetBase, i.price.sqrtPriceX96, i.quoteIsCurrency0)) };
}
