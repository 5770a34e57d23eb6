/**
 * SqrtPriceMath.sol: next sqrt price after adding or removing an amount of a currency, and the
 * amounts of currency0 / currency1 between two sqrt prices, with Solidity's exact rounding.
 *
 * Where TypeScript differs: uint256 overflow in `unchecked` blocks is detected by comparing the
 * exact bigint against 2^256 - 1 instead of by the wrap-around tricks (`product / amount ==
 * sqrtPX96`, `denominator >= numerator1`); each such line says which Solidity test it replaces.
 * Arguments that do not fit their Solidity type throw MathDomainError('OUT_OF_RANGE').
 */
import { MathDomainError } from './errors.js';
import { MAX_UINT160, MAX_UINT256, Q96, RESOLUTION } from './fixedPoint.js';
import { mulDiv, mulDivRoundingUp } from './fullMath.js';
import { requireInt128, requireUint128, requireUint160, requireUint256, toInt256, toUint160 } from './solidityTypes.js';
import { divRoundingUp } from './unsafeMath.js';

const Q96_MINUS_ONE = Q96 - 1n;

/**
 * SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp: the sqrt price after adding (add = true)
 * or removing `amount` of currency0, rounded up. Throws 'PRICE_OVERFLOW' when removing at least
 * the virtual reserves, 'OVERFLOW' when the result does not fit a uint160.
 * Divergence: liquidity 0 throws 'ZERO_LIQUIDITY' (the Solidity's only callers check it first;
 * called directly it would return 0 or revert with PriceOverflow).
 */
export function getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96: bigint, liquidity: bigint, amount: bigint, add: boolean): bigint {
  requireUint160(sqrtPX96, 'sqrtPX96');
  requireUint128(liquidity, 'liquidity');
  requireUint256(amount, 'amount');
  if (liquidity === 0n) throw new MathDomainError('ZERO_LIQUIDITY', liquidity, 'liquidity must be positive');
  return nextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amount, add);
}

/** getNextSqrtPriceFromAmount0RoundingUp's body, for arguments already checked. */
function nextSqrtPriceFromAmount0RoundingUp(sqrtPX96: bigint, liquidity: bigint, amount: bigint, add: boolean): bigint {
  // we short circuit amount == 0 because the result is otherwise not guaranteed to equal the input price
  if (amount === 0n) return sqrtPX96;
  const numerator1 = liquidity << RESOLUTION;

  if (add) {
    const product = amount * sqrtPX96;
    // Solidity: product / amount == sqrtPX96 (the product did not wrap)
    if (product <= MAX_UINT256) {
      const denominator = numerator1 + product;
      // Solidity: denominator >= numerator1 (the sum did not wrap)
      if (denominator <= MAX_UINT256) {
        // always fits in 160 bits
        return mulDivRoundingUp(numerator1, sqrtPX96, denominator);
      }
    }
    // denominator is checked for overflow (sqrtPX96 > 0 here, else neither test above could fail)
    const denominator = numerator1 / sqrtPX96 + amount;
    if (denominator > MAX_UINT256) throw new MathDomainError('OVERFLOW', { sqrtPX96, liquidity, amount }, 'numerator1 / sqrtPX96 + amount exceeds uint256');
    return divRoundingUp(numerator1, denominator);
  } else {
    const product = amount * sqrtPX96;
    // if the product overflows, we know the denominator underflows
    // in addition, we must check that the denominator does not underflow
    // equivalent: if (product / amount != sqrtPX96 || numerator1 <= product) revert PriceOverflow();
    if (product > MAX_UINT256 || numerator1 <= product) {
      throw new MathDomainError('PRICE_OVERFLOW', { sqrtPX96, liquidity, amount }, 'amount of currency0 to remove reaches the virtual reserves');
    }
    const denominator = numerator1 - product;
    return toUint160(mulDivRoundingUp(numerator1, sqrtPX96, denominator));
  }
}

/**
 * SqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown: the sqrt price after adding (add = true)
 * or removing `amount` of currency1, rounded down. Throws 'NOT_ENOUGH_LIQUIDITY' when removing
 * at least the virtual reserves, 'OVERFLOW' when the result does not fit a uint160,
 * 'ZERO_LIQUIDITY' for liquidity 0 (Solidity panics on the division, or its UnsafeMath returns 0
 * when removing; its only callers reject zero liquidity first).
 */
export function getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96: bigint, liquidity: bigint, amount: bigint, add: boolean): bigint {
  requireUint160(sqrtPX96, 'sqrtPX96');
  requireUint128(liquidity, 'liquidity');
  requireUint256(amount, 'amount');
  if (liquidity === 0n) throw new MathDomainError('ZERO_LIQUIDITY', liquidity, 'liquidity must be positive');
  return nextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amount, add);
}

/** getNextSqrtPriceFromAmount1RoundingDown's body, for arguments already checked. */
function nextSqrtPriceFromAmount1RoundingDown(sqrtPX96: bigint, liquidity: bigint, amount: bigint, add: boolean): bigint {
  // if we're adding (subtracting), rounding down requires rounding the quotient down (up)
  // in both cases, avoid a mulDiv for most inputs
  if (add) {
    const quotient = amount <= MAX_UINT160 ? (amount << RESOLUTION) / liquidity : mulDiv(amount, Q96, liquidity);
    return toUint160(sqrtPX96 + quotient);
  } else {
    const quotient = amount <= MAX_UINT160 ? divRoundingUp(amount << RESOLUTION, liquidity) : mulDivRoundingUp(amount, Q96, liquidity);
    // equivalent: if (sqrtPX96 <= quotient) revert NotEnoughLiquidity();
    if (sqrtPX96 <= quotient) {
      throw new MathDomainError('NOT_ENOUGH_LIQUIDITY', { sqrtPX96, liquidity, amount }, 'amount of currency1 to remove reaches the virtual reserves');
    }
    // always fits 160 bits
    return sqrtPX96 - quotient;
  }
}

function requirePriceAndLiquidity(sqrtPX96: bigint, liquidity: bigint): void {
  // equivalent: if (sqrtPX96 == 0 || liquidity == 0) revert InvalidPriceOrLiquidity();
  if (sqrtPX96 === 0n) throw new MathDomainError('ZERO_PRICE', sqrtPX96, 'sqrtPX96 must be positive');
  if (liquidity === 0n) throw new MathDomainError('ZERO_LIQUIDITY', liquidity, 'liquidity must be positive');
}

/**
 * SqrtPriceMath.getNextSqrtPriceFromInput: the sqrt price after swapping `amountIn` of currency0
 * (zeroForOne) or currency1 in, rounded so as not to pass the target price.
 * Throws 'ZERO_PRICE' / 'ZERO_LIQUIDITY' (InvalidPriceOrLiquidity) and 'OVERFLOW'.
 */
export function getNextSqrtPriceFromInput(sqrtPX96: bigint, liquidity: bigint, amountIn: bigint, zeroForOne: boolean): bigint {
  requireUint160(sqrtPX96, 'sqrtPX96');
  requireUint128(liquidity, 'liquidity');
  requireUint256(amountIn, 'amountIn');
  return getNextSqrtPriceFromInputUnchecked(sqrtPX96, liquidity, amountIn, zeroForOne);
}

/**
 * getNextSqrtPriceFromInput without the Solidity-type checks of its arguments, for callers that
 * already hold a uint160 price, a uint128 liquidity and a uint256 amount (computeSwapStep).
 * Still throws every error the Solidity reverts with.
 */
export function getNextSqrtPriceFromInputUnchecked(sqrtPX96: bigint, liquidity: bigint, amountIn: bigint, zeroForOne: boolean): bigint {
  requirePriceAndLiquidity(sqrtPX96, liquidity);
  // round to make sure that we don't pass the target price
  return zeroForOne
    ? nextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
    : nextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true);
}

/**
 * SqrtPriceMath.getNextSqrtPriceFromOutput: the sqrt price after swapping `amountOut` of currency1
 * (zeroForOne) or currency0 out, rounded so as to reach at least the target price.
 * Throws 'ZERO_PRICE' / 'ZERO_LIQUIDITY', 'NOT_ENOUGH_LIQUIDITY', 'PRICE_OVERFLOW', 'OVERFLOW'.
 */
export function getNextSqrtPriceFromOutput(sqrtPX96: bigint, liquidity: bigint, amountOut: bigint, zeroForOne: boolean): bigint {
  requireUint160(sqrtPX96, 'sqrtPX96');
  requireUint128(liquidity, 'liquidity');
  requireUint256(amountOut, 'amountOut');
  return getNextSqrtPriceFromOutputUnchecked(sqrtPX96, liquidity, amountOut, zeroForOne);
}

/** getNextSqrtPriceFromOutput without the Solidity-type checks of its arguments (see getNextSqrtPriceFromInputUnchecked). */
export function getNextSqrtPriceFromOutputUnchecked(sqrtPX96: bigint, liquidity: bigint, amountOut: bigint, zeroForOne: boolean): bigint {
  requirePriceAndLiquidity(sqrtPX96, liquidity);
  // round to make sure that we pass the target price
  return zeroForOne
    ? nextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
    : nextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false);
}

/**
 * SqrtPriceMath.getAmount0Delta (unsigned): liquidity·(√B − √A)/(√A·√B), the currency0 needed
 * to cover `liquidity` between the two sqrt prices (in either order), rounded up or down.
 * Throws 'ZERO_PRICE' (InvalidPrice) when the smaller price is 0.
 */
export function getAmount0Delta(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  requireUint160(sqrtPriceAX96, 'sqrtPriceAX96');
  requireUint160(sqrtPriceBX96, 'sqrtPriceBX96');
  requireUint128(liquidity, 'liquidity');
  return getAmount0DeltaUnchecked(sqrtPriceAX96, sqrtPriceBX96, liquidity, roundUp);
}

/**
 * getAmount0Delta without the Solidity-type checks of its arguments, for callers that already
 * hold uint160 prices and a uint128 liquidity. Still throws 'ZERO_PRICE' like the Solidity.
 */
export function getAmount0DeltaUnchecked(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  if (sqrtPriceAX96 > sqrtPriceBX96) {
    const t = sqrtPriceAX96;
    sqrtPriceAX96 = sqrtPriceBX96;
    sqrtPriceBX96 = t;
  }

  // equivalent: if (sqrtPriceAX96 == 0) revert InvalidPrice();
  if (sqrtPriceAX96 === 0n) throw new MathDomainError('ZERO_PRICE', sqrtPriceAX96, 'sqrt price must be positive');

  const numerator1 = liquidity << RESOLUTION;
  const numerator2 = sqrtPriceBX96 - sqrtPriceAX96;

  // Solidity: roundUp ? divRoundingUp(mulDivRoundingUp(numerator1, numerator2, B), A)
  //                   : mulDiv(numerator1, numerator2, B) / A
  // numerator1 < 2^224 and numerator2 < B, so FullMath's quotient is < 2^224 and its overflow check
  // cannot fire. Nested integer divisions collapse: floor(floor(x/B)/A) = floor(x/(A·B)) and
  // ceil(ceil(x/B)/A) = ceil(x/(A·B)) for positive A, B — so one division (with a short quotient)
  // gives the Solidity's result exactly; the remainder test is x − q·d, a multiplication.
  const product = numerator1 * numerator2;
  const denominator = sqrtPriceAX96 * sqrtPriceBX96;
  const q = product / denominator;
  return roundUp && q * denominator !== product ? q + 1n : q;
}

/** SqrtPriceMath.absDiff: |a − b| for two uint160 values. */
export function absDiff(a: bigint, b: bigint): bigint {
  // the Solidity computes mask ^ (a - b + mask) with mask = sign(a - b); a bigint subtraction is exact
  return a >= b ? a - b : b - a;
}

/**
 * SqrtPriceMath.getAmount1Delta (unsigned): liquidity·|√B − √A|, the currency1 needed to cover
 * `liquidity` between the two sqrt prices, rounded up or down.
 */
export function getAmount1Delta(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  requireUint160(sqrtPriceAX96, 'sqrtPriceAX96');
  requireUint160(sqrtPriceBX96, 'sqrtPriceBX96');
  requireUint128(liquidity, 'liquidity');
  return getAmount1DeltaUnchecked(sqrtPriceAX96, sqrtPriceBX96, liquidity, roundUp);
}

/** getAmount1Delta without the Solidity-type checks of its arguments (see getAmount0DeltaUnchecked). */
export function getAmount1DeltaUnchecked(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  const numerator = absDiff(sqrtPriceAX96, sqrtPriceBX96);

  // amount1 = FullMath.mulDiv(liquidity, numerator, Q96) + (roundUp && mulmod(liquidity, numerator, Q96) > 0)
  // Q96 is a power of two: the division is a shift and the remainder a mask.
  // Cannot overflow because `type(uint128).max * type(uint160).max >> 96 < (1 << 192)`.
  const product = liquidity * numerator;
  const amount1 = product >> RESOLUTION;
  return roundUp && (product & Q96_MINUS_ONE) !== 0n ? amount1 + 1n : amount1;
}

/**
 * SqrtPriceMath.getAmount0Delta (signed overload, int128 liquidity): the currency0 owed to the
 * pool (negative: the caller pays, rounded up) for a positive liquidityDelta, or owed to the
 * caller (positive, rounded down) for a negative one — v4's BalanceDelta sign convention.
 */
export function getAmount0DeltaSigned(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidityDelta: bigint): bigint {
  requireInt128(liquidityDelta, 'liquidityDelta');
  // uint128(-liquidity) in unchecked Solidity is exact for every int128, including type(int128).min
  return liquidityDelta < 0n
    ? toInt256(getAmount0Delta(sqrtPriceAX96, sqrtPriceBX96, -liquidityDelta, false))
    : -toInt256(getAmount0Delta(sqrtPriceAX96, sqrtPriceBX96, liquidityDelta, true));
}

/**
 * SqrtPriceMath.getAmount1Delta (signed overload, int128 liquidity): as getAmount0DeltaSigned
 * for currency1.
 */
export function getAmount1DeltaSigned(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidityDelta: bigint): bigint {
  requireInt128(liquidityDelta, 'liquidityDelta');
  return liquidityDelta < 0n
    ? toInt256(getAmount1Delta(sqrtPriceAX96, sqrtPriceBX96, -liquidityDelta, false))
    : -toInt256(getAmount1Delta(sqrtPriceAX96, sqrtPriceBX96, liquidityDelta, true));
}
