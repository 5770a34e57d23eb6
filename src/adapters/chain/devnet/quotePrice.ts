/**
 * Conversions between a human quote price (e.g. 3000 USDC per WETH) and a pool's on-chain
 * sqrtPriceX96 / tick, minding which token is currency0 (the lower address) and the decimals.
 *
 * Pool price P = token1 per token0 in raw units. With base = WETH (18) and quote = USDC (6):
 * if WETH is token0, P = 3000·10^6 / 10^18; if USDC is token0, P = 10^18 / (3000·10^6).
 */
import { InvalidPriceError } from './errors.js';

/** A token's address and decimals: all the conversions need. */
export interface PricedToken {
  address: string;
  decimals: number;
}

const Q192 = 1n << 192n;
const Q96 = 2 ** 96;
const SCALE_DIGITS = 18;

/** Floor of the square root of a non-negative bigint (Newton's method). */
export function sqrtFloor(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`square root of negative ${n}`);
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** True when `a` sorts before `b` as a Uniswap currency (numeric address order). */
export function isCurrency0(a: string, b: string): boolean {
  return BigInt(a) < BigInt(b);
}

// quotePerBase as an exact rational num/10^SCALE_DIGITS (to 18 decimal places).
function toScaled(quotePerBase: number): bigint {
  if (!Number.isFinite(quotePerBase) || quotePerBase <= 0 || quotePerBase >= 1e21) throw new InvalidPriceError(quotePerBase);
  const [int, frac = ''] = quotePerBase.toFixed(SCALE_DIGITS).split('.');
  const scaled = BigInt(`${int}${frac.padEnd(SCALE_DIGITS, '0')}`);
  if (scaled === 0n) throw new InvalidPriceError(quotePerBase);
  return scaled;
}

/**
 * sqrtPriceX96 (floor) of the pool of `base`/`quote` when one base token costs `quotePerBase`
 * quote tokens in human units.
 */
export function quotePriceToSqrtPriceX96(quotePerBase: number, base: PricedToken, quote: PricedToken): bigint {
  const scaled = toScaled(quotePerBase);
  const unit = 10n ** BigInt(SCALE_DIGITS);
  // raw quote per raw base = scaled·10^dq / (unit·10^db)
  let num = scaled * 10n ** BigInt(quote.decimals);
  let den = unit * 10n ** BigInt(base.decimals);
  if (!isCurrency0(base.address, quote.address)) [num, den] = [den, num];
  return sqrtFloor((num * Q192) / den);
}

/** The human quote-per-base price at `sqrtPriceX96` (float64, for display and control loops). */
export function sqrtPriceX96ToQuotePrice(sqrtPriceX96: bigint, base: PricedToken, quote: PricedToken): number {
  const s = Number(sqrtPriceX96) / Q96;
  const raw = s * s; // token1 per token0, raw units
  if (isCurrency0(base.address, quote.address)) return raw * 10 ** (base.decimals - quote.decimals);
  return (1 / raw) * 10 ** (base.decimals - quote.decimals);
}

/** The (unaligned, float-rounded) tick at which the pool's price is `quotePerBase`. */
export function quotePriceToTick(quotePerBase: number, base: PricedToken, quote: PricedToken): number {
  if (!Number.isFinite(quotePerBase) || quotePerBase <= 0) throw new InvalidPriceError(quotePerBase);
  const rawQuotePerBase = quotePerBase * 10 ** (quote.decimals - base.decimals);
  const raw = isCurrency0(base.address, quote.address) ? rawQuotePerBase : 1 / rawQuotePerBase;
  return Math.log(raw) / Math.log(1.0001);
}
