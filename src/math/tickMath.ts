/**
 * TickMath.sol: sqrt(1.0001^tick)·2^96 from a tick and back, as Q64.96 bigints, bit-identical
 * to Uniswap v4. Supports prices between 2^-128 and 2^128.
 *
 * Differences from the Solidity, none in results: ticks are JS numbers (int24 range checked),
 * the branch-free assembly is written as plain branches, and the magic constants are bigint
 * literals so nothing is parsed at call time.
 */
import { MathDomainError } from './errors.js';
import { mostSignificantBit } from './bitMath.js';

/** TickMath.MIN_TICK: log base 1.0001 of 2^-128, rounded. */
export const MIN_TICK = -887272;
/** TickMath.MAX_TICK: log base 1.0001 of 2^128, rounded. */
export const MAX_TICK = 887272;

/** TickMath.MIN_TICK_SPACING. */
export const MIN_TICK_SPACING = 1;
/** TickMath.MAX_TICK_SPACING = type(int16).max. */
export const MAX_TICK_SPACING = 32767;

/** TickMath.MIN_SQRT_PRICE = getSqrtPriceAtTick(MIN_TICK). */
export const MIN_SQRT_PRICE = 4295128739n;
/** TickMath.MAX_SQRT_PRICE = getSqrtPriceAtTick(MAX_TICK). */
export const MAX_SQRT_PRICE = 1461446703485210103287273052203988822378723970342n;
/** TickMath.MAX_SQRT_PRICE_MINUS_MIN_SQRT_PRICE_MINUS_ONE, the threshold of the one-comparison bounds check. */
export const MAX_SQRT_PRICE_MINUS_MIN_SQRT_PRICE_MINUS_ONE = 1461446703485210103287273052203988822378723970342n - 4295128739n - 1n;

function requireTickSpacing(tickSpacing: number): void {
  if (!Number.isInteger(tickSpacing) || tickSpacing < MIN_TICK_SPACING || tickSpacing > MAX_TICK_SPACING) {
    throw new MathDomainError('INVALID_TICK_SPACING', tickSpacing, `tick spacing must be an integer in [${MIN_TICK_SPACING}, ${MAX_TICK_SPACING}]`);
  }
}

/** TickMath.maxUsableTick: the largest multiple of tickSpacing that is <= MAX_TICK. */
export function maxUsableTick(tickSpacing: number): number {
  requireTickSpacing(tickSpacing);
  // Solidity's int24 division truncates toward zero, as Math.trunc does
  return Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
}

/** TickMath.minUsableTick: the smallest multiple of tickSpacing that is >= MIN_TICK. */
export function minUsableTick(tickSpacing: number): number {
  requireTickSpacing(tickSpacing);
  return Math.trunc(MIN_TICK / tickSpacing) * tickSpacing;
}

const Q128_ONE = 0x100000000000000000000000000000000n;
const MAX_UINT256 = (1n << 256n) - 1n;
const UINT32_MAX = 0xffffffffn;

/**
 * The Q128.128 factors of getSqrtPriceAtTick, 1/sqrt(1.0001^(2^i)) for bit i of |tick|, as in the
 * Solidity (bit 0 is the initial value rather than a factor).
 */
const FACTORS: readonly bigint[] = [
  0xfffcb933bd6fad37aa2d162d1a594001n,
  0xfff97272373d413259a46990580e213an,
  0xfff2e50f5f656932ef12357cf3c7fdccn,
  0xffe5caca7e10e4e61c3624eaa0941cd0n,
  0xffcb9843d60f6159c9db58835c926644n,
  0xff973b41fa98c081472e6896dfb254c0n,
  0xff2ea16466c96a3843ec78b326b52861n,
  0xfe5dee046a99a2a811c461f1969c3053n,
  0xfcbe86c7900a88aedcffc83b479aa3a4n,
  0xf987a7253ac413176f2b074cf7815e54n,
  0xf3392b0822b70005940c7a398e4b70f3n,
  0xe7159475a2c29b7443b29c7fa6e889d9n,
  0xd097f3bdfd2022b8845ad8f792aa5825n,
  0xa9f746462d870fdf8a65dc1f90e061e5n,
  0x70d869a156d2a1b890bb3df62baf32f7n,
  0x31be135f97d08fd981231505542fcfa6n,
  0x9aa508b5b7a84e1c677de54f3e99bc9n,
  0x5d6af8dedb81196699c329225ee604n,
  0x2216e584f5fa1ea926041bedfe98n,
  0x48a170391f7dc42444e8fa2n,
];

/** How many low bits of |tick| are served from LOW_BITS_PRICE instead of multiplied out. */
const LOW_BITS = 12;

/**
 * LOW_BITS_PRICE[x] is exactly the Solidity's `price` after it has processed bits 0..LOW_BITS-1
 * of an |tick| whose low bits are x. The Solidity processes bits from low to high, flooring after
 * each step, so that intermediate value depends on the low bits only, and it is built here by the
 * very same steps: LOW_BITS_PRICE[x] = (LOW_BITS_PRICE[x without its top bit] * factor(top bit)) >> 128.
 * getSqrtPriceAtTick then performs the remaining steps (bits LOW_BITS..19) one by one, as the
 * Solidity does; the result is bit-identical (checked against the step-by-step translation below).
 */
const LOW_BITS_PRICE: readonly bigint[] = (() => {
  const table: bigint[] = new Array<bigint>(1 << LOW_BITS);
  table[0] = Q128_ONE;
  for (let x = 1; x < 1 << LOW_BITS; x++) {
    const top = 31 - Math.clz32(x);
    table[x] = top === 0 ? FACTORS[0]! : (table[x ^ (1 << top)]! * FACTORS[top]!) >> 128n;
  }
  return table;
})();

function requireTick(tick: number): number {
  // absTick := xor(mask, add(mask, tick)); revert InvalidTick if absTick > MAX_TICK
  const absTick = tick < 0 ? -tick : tick;
  if (!(absTick <= MAX_TICK) || !Number.isInteger(tick)) {
    throw new MathDomainError('TICK_OUT_OF_BOUNDS', tick, `tick must be an integer in [${MIN_TICK}, ${MAX_TICK}]`);
  }
  return absTick;
}

/**
 * TickMath.getSqrtPriceAtTick: sqrt(1.0001^tick) · 2^96 as a Q64.96 bigint (rounded up in the
 * last step, so getTickAtSqrtPrice of the result is always `tick`).
 * Throws MathDomainError('TICK_OUT_OF_BOUNDS') when tick is not an integer in [MIN_TICK, MAX_TICK].
 * Bits 0..11 of |tick| come from a table built with the Solidity's own steps (see LOW_BITS_PRICE);
 * getSqrtPriceAtTickStepwise is the line-by-line translation.
 */
export function getSqrtPriceAtTick(tick: number): bigint {
  const absTick = requireTick(tick);
  let price = LOW_BITS_PRICE[absTick & 0xfff]!;
  if ((absTick & 0x1000) !== 0) price = (price * 0xd097f3bdfd2022b8845ad8f792aa5825n) >> 128n;
  if ((absTick & 0x2000) !== 0) price = (price * 0xa9f746462d870fdf8a65dc1f90e061e5n) >> 128n;
  if ((absTick & 0x4000) !== 0) price = (price * 0x70d869a156d2a1b890bb3df62baf32f7n) >> 128n;
  if ((absTick & 0x8000) !== 0) price = (price * 0x31be135f97d08fd981231505542fcfa6n) >> 128n;
  if ((absTick & 0x10000) !== 0) price = (price * 0x9aa508b5b7a84e1c677de54f3e99bc9n) >> 128n;
  if ((absTick & 0x20000) !== 0) price = (price * 0x5d6af8dedb81196699c329225ee604n) >> 128n;
  if ((absTick & 0x40000) !== 0) price = (price * 0x2216e584f5fa1ea926041bedfe98n) >> 128n;
  if ((absTick & 0x80000) !== 0) price = (price * 0x48a170391f7dc42444e8fa2n) >> 128n;
  if (tick > 0) price = MAX_UINT256 / price;
  return (price + UINT32_MAX) >> 32n;
}

/**
 * TickMath.getSqrtPriceAtTick translated step by step (no table): same result as
 * getSqrtPriceAtTick, kept as the readable reference and as its cross-check in the tests.
 */
export function getSqrtPriceAtTickStepwise(tick: number): bigint {
  const absTick = requireTick(tick);

  // The tick is decomposed into bits, and for each bit with index i that is set, the product of
  // 1/sqrt(1.0001^(2^i)) is calculated (using Q128.128). absTick < 2^20, so number bit tests are exact.
  let price = (absTick & 0x1) !== 0 ? 0xfffcb933bd6fad37aa2d162d1a594001n : Q128_ONE;
  if ((absTick & 0x2) !== 0) price = (price * 0xfff97272373d413259a46990580e213an) >> 128n;
  if ((absTick & 0x4) !== 0) price = (price * 0xfff2e50f5f656932ef12357cf3c7fdccn) >> 128n;
  if ((absTick & 0x8) !== 0) price = (price * 0xffe5caca7e10e4e61c3624eaa0941cd0n) >> 128n;
  if ((absTick & 0x10) !== 0) price = (price * 0xffcb9843d60f6159c9db58835c926644n) >> 128n;
  if ((absTick & 0x20) !== 0) price = (price * 0xff973b41fa98c081472e6896dfb254c0n) >> 128n;
  if ((absTick & 0x40) !== 0) price = (price * 0xff2ea16466c96a3843ec78b326b52861n) >> 128n;
  if ((absTick & 0x80) !== 0) price = (price * 0xfe5dee046a99a2a811c461f1969c3053n) >> 128n;
  if ((absTick & 0x100) !== 0) price = (price * 0xfcbe86c7900a88aedcffc83b479aa3a4n) >> 128n;
  if ((absTick & 0x200) !== 0) price = (price * 0xf987a7253ac413176f2b074cf7815e54n) >> 128n;
  if ((absTick & 0x400) !== 0) price = (price * 0xf3392b0822b70005940c7a398e4b70f3n) >> 128n;
  if ((absTick & 0x800) !== 0) price = (price * 0xe7159475a2c29b7443b29c7fa6e889d9n) >> 128n;
  if ((absTick & 0x1000) !== 0) price = (price * 0xd097f3bdfd2022b8845ad8f792aa5825n) >> 128n;
  if ((absTick & 0x2000) !== 0) price = (price * 0xa9f746462d870fdf8a65dc1f90e061e5n) >> 128n;
  if ((absTick & 0x4000) !== 0) price = (price * 0x70d869a156d2a1b890bb3df62baf32f7n) >> 128n;
  if ((absTick & 0x8000) !== 0) price = (price * 0x31be135f97d08fd981231505542fcfa6n) >> 128n;
  if ((absTick & 0x10000) !== 0) price = (price * 0x9aa508b5b7a84e1c677de54f3e99bc9n) >> 128n;
  if ((absTick & 0x20000) !== 0) price = (price * 0x5d6af8dedb81196699c329225ee604n) >> 128n;
  if ((absTick & 0x40000) !== 0) price = (price * 0x2216e584f5fa1ea926041bedfe98n) >> 128n;
  if ((absTick & 0x80000) !== 0) price = (price * 0x48a170391f7dc42444e8fa2n) >> 128n;

  // if (tick > 0) price = type(uint256).max / price;
  if (tick > 0) price = MAX_UINT256 / price;

  // this divides by 1<<32 rounding up to go from a Q128.128 to a Q128.96;
  // price + type(uint32).max cannot pass 2^256 because price fits in 192 bits
  return (price + UINT32_MAX) >> 32n;
}

const TICKS_PER_LN_SQRT_PRICE = 2 / Math.log(1.0001);
const TWO_POW_96 = 2 ** 96;

function requireSqrtPrice(sqrtPriceX96: bigint): void {
  // Solidity: (sqrtPriceX96 - MIN_SQRT_PRICE) > MAX_SQRT_PRICE - MIN_SQRT_PRICE - 1 with uint160
  // wrap-around; with bigint the two comparisons are written out.
  if (sqrtPriceX96 < MIN_SQRT_PRICE || sqrtPriceX96 >= MAX_SQRT_PRICE) {
    throw new MathDomainError('SQRT_PRICE_OUT_OF_BOUNDS', sqrtPriceX96, `sqrtPriceX96 must be in [${MIN_SQRT_PRICE}, ${MAX_SQRT_PRICE})`);
  }
}

/**
 * TickMath.getTickAtSqrtPrice: the greatest tick such that getSqrtPriceAtTick(tick) <= sqrtPriceX96.
 * Throws MathDomainError('SQRT_PRICE_OUT_OF_BOUNDS') unless MIN_SQRT_PRICE <= sqrtPriceX96 < MAX_SQRT_PRICE
 * (the upper bound is exclusive: the price can never reach the price at MAX_TICK).
 *
 * The Solidity brackets the tick between tickLow and tickHi from a 14-iteration fixed-point log2
 * and settles it with getSqrtPriceAtTick(tickHi) <= sqrtPriceX96 — i.e. it returns exactly the
 * tick defined above (TickMath.t.sol fuzzes that relation). Here the bracket comes from a float64
 * logarithm (accurate to ~1e-9 tick) and is settled by the same exact comparison against
 * getSqrtPriceAtTick, stepping until it holds, so the result is the same by definition; it is
 * 3x faster than the fixed-point log. getTickAtSqrtPriceLog2 is the line-by-line translation,
 * and the tests check the two agree.
 */
export function getTickAtSqrtPrice(sqrtPriceX96: bigint): number {
  requireSqrtPrice(sqrtPriceX96);
  let tick = Math.floor(Math.log(Number(sqrtPriceX96) / TWO_POW_96) * TICKS_PER_LN_SQRT_PRICE);
  if (tick < MIN_TICK) tick = MIN_TICK;
  else if (tick > MAX_TICK - 1) tick = MAX_TICK - 1;
  // settle exactly: the greatest tick whose sqrt price is <= sqrtPriceX96 (MIN_TICK's always is)
  while (tick > MIN_TICK && getSqrtPriceAtTick(tick) > sqrtPriceX96) tick--;
  while (tick < MAX_TICK - 1 && getSqrtPriceAtTick(tick + 1) <= sqrtPriceX96) tick++;
  return tick;
}

/**
 * TickMath.getTickAtSqrtPrice translated line by line (fixed-point log2, then the tickLow /
 * tickHi bracket): same results and errors as getTickAtSqrtPrice, kept as the readable
 * reference and its cross-check in the tests.
 */
export function getTickAtSqrtPriceLog2(sqrtPriceX96: bigint): number {
  requireSqrtPrice(sqrtPriceX96);

  const price = sqrtPriceX96 << 32n;

  let r = price;
  const msb = mostSignificantBit(r);

  if (msb >= 128) r = price >> BigInt(msb - 127);
  else r = price << BigInt(127 - msb);

  // int256 log_2 = (int256(msb) - 128) << 64; bigint shifts of negatives are arithmetic, as in Solidity
  let log_2 = BigInt(msb - 128) << 64n;

  // 14 rounds of: r := shr(127, mul(r, r)); f := shr(128, r); log_2 |= f << (63 - i); r := shr(f, r)
  // r is normalised to [2^127, 2^128) before every round, so mul(r, r) < 2^256 never wraps in the
  // EVM and the bigint product needs no mask.
  let f: bigint;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 63n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 62n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 61n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 60n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 59n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 58n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 57n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 56n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 55n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 54n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 53n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 52n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 51n; r >>= f;
  r = (r * r) >> 127n; f = r >> 128n; log_2 |= f << 50n;

  const log_sqrt10001 = log_2 * 255738958999603826347141n; // Q22.128 number

  // Magic number represents the ceiling of the maximum value of the error when approximating log_sqrt10001(x)
  const tickLow = Number((log_sqrt10001 - 3402992956809132418596140100660247210n) >> 128n);

  // Magic number represents the minimum value of the error when approximating log_sqrt10001(x), when
  // sqrtPrice is from the range (2^-64, 2^64). This is safe as MIN_SQRT_PRICE is more than 2^-64.
  const tickHi = Number((log_sqrt10001 + 291339464771989622907027621153398088495n) >> 128n);

  return tickLow === tickHi ? tickLow : getSqrtPriceAtTick(tickHi) <= sqrtPriceX96 ? tickHi : tickLow;
}
