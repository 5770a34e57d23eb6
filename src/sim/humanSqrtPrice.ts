/**
 * Human prices (whole token1 per whole token0) to and from a pool's sqrtPriceX96. The way in is
 * exact: the float64 price is taken as the exact binary fraction it is, scaled by the decimals as
 * a rational, and sqrtPriceX96 = floor(sqrt(raw price) · 2^96) is computed in bigint, so the
 * pool sits on the price asked for to within one unit of sqrtPriceX96. The way back (for
 * snapshots and control loops) is float64.
 */
import { rawToHumanPrice, sqrtPriceX96ToPrice } from '../math/priceTick.js';
import { MAX_SQRT_PRICE, MIN_SQRT_PRICE } from '../math/tickMath.js';
import { sqrtFloor } from '../adapters/chain/devnet/quotePrice.js';
import { SimulatedTxError } from './errors.js';

const TWO_53 = 2 ** 53;

/** A positive finite float as m·2^e with m a bigint (exact). */
function exactBinary(x: number): { m: bigint; e: number } {
  let e = 0;
  while (!Number.isInteger(x)) {
    x *= 2; // exact: a power-of-two scaling of a finite double
    e -= 1;
  }
  while (x > TWO_53) {
    x /= 2; // exact while x is an integer above 2^53 (its low bit is 0)
    e += 1;
  }
  return { m: BigInt(x), e };
}

function checkDecimals(name: string, d: number): void {
  if (!Number.isInteger(d) || d < 0 || d > 255) throw new SimulatedTxError('price', d, `${name} must be an integer in [0, 255]`);
}

/**
 * floor(sqrt(human · 10^(decimals1 − decimals0)) · 2^96), clamped into the prices a swap may
 * target, (MIN_SQRT_PRICE, MAX_SQRT_PRICE). Throws SimulatedTxError for a price that is not a
 * positive finite number or bad decimals.
 */
export function humanPriceToSqrtPriceX96(human: number, decimals0: number, decimals1: number): bigint {
  if (!Number.isFinite(human) || human <= 0) throw new SimulatedTxError('price', human, 'price must be a positive finite number');
  checkDecimals('decimals0', decimals0);
  checkDecimals('decimals1', decimals1);
  const { m, e } = exactBinary(human);
  // raw · 2^192 = m · 2^(e+192) · 10^(d1−d0), as num/den
  let num = m;
  let den = 1n;
  const k = e + 192;
  if (k >= 0) num <<= BigInt(k);
  else den <<= BigInt(-k);
  const dd = decimals1 - decimals0;
  if (dd >= 0) num *= 10n ** BigInt(dd);
  else den *= 10n ** BigInt(-dd);
  // floor(sqrt(floor(y))) = floor(sqrt(y)) for y >= 0
  const s = sqrtFloor(num / den);
  if (s <= MIN_SQRT_PRICE) return MIN_SQRT_PRICE + 1n;
  if (s >= MAX_SQRT_PRICE) return MAX_SQRT_PRICE - 1n;
  return s;
}

/** The human price (token1 per token0, decimals applied) at sqrtPriceX96, float64. */
export function sqrtPriceX96ToHumanPrice(sqrtPriceX96: bigint, decimals0: number, decimals1: number): number {
  return rawToHumanPrice(sqrtPriceX96ToPrice(sqrtPriceX96), decimals0, decimals1);
}
