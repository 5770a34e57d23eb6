/**
 * LiquidityAmounts.sol: liquidity for token amounts and amounts for a liquidity over a price
 * range. getLiquidityFor* translate v4-periphery/src/libraries/LiquidityAmounts.sol;
 * get*ForLiquidity translate v4-core/test/utils/LiquidityAmounts.sol (the v3-periphery
 * functions, which v4-periphery no longer ships). All amounts round down, as there.
 */
import { MathDomainError } from './errors.js';
import { MAX_UINT256, Q96, RESOLUTION } from './fixedPoint.js';
import { mulDiv } from './fullMath.js';
import { requireUint128, requireUint160, requireUint256, toUint128 } from './solidityTypes.js';

/**
 * LiquidityAmounts.getLiquidityForAmount0: amount0·(√A·√B)/(√B − √A), rounded down.
 * Throws 'DIVISION_BY_ZERO' when the two prices are equal, 'OVERFLOW' when the liquidity
 * does not fit a uint128.
 */
export function getLiquidityForAmount0(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, amount0: bigint): bigint {
  requireUint160(sqrtPriceAX96, 'sqrtPriceAX96');
  requireUint160(sqrtPriceBX96, 'sqrtPriceBX96');
  requireUint256(amount0, 'amount0');
  return liquidityForAmount0(sqrtPriceAX96, sqrtPriceBX96, amount0);
}

/** getLiquidityForAmount0's body, for arguments already checked. */
function liquidityForAmount0(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, amount0: bigint): bigint {
  if (sqrtPriceAX96 > sqrtPriceBX96) {
    const t = sqrtPriceAX96;
    sqrtPriceAX96 = sqrtPriceBX96;
    sqrtPriceBX96 = t;
  }
  // FullMath.mulDiv(sqrtPriceAX96, sqrtPriceBX96, Q96): a division by 2^96 is a shift, and the
  // quotient (< 2^224) cannot overflow
  const intermediate = (sqrtPriceAX96 * sqrtPriceBX96) >> RESOLUTION;
  // FullMath.mulDiv(amount0, intermediate, sqrtPriceBX96 - sqrtPriceAX96).toUint128(), inlined
  const denominator = sqrtPriceBX96 - sqrtPriceAX96;
  if (denominator === 0n) throw new MathDomainError('DIVISION_BY_ZERO', { sqrtPriceAX96, sqrtPriceBX96 }, 'the two sqrt prices are equal');
  const result = (amount0 * intermediate) / denominator;
  if (result > MAX_UINT256) throw new MathDomainError('OVERFLOW', { amount0, intermediate, denominator }, 'mulDiv result exceeds uint256');
  return toUint128(result);
}

/**
 * LiquidityAmounts.getLiquidityForAmount1: amount1/(√B − √A), rounded down.
 * Throws 'DIVISION_BY_ZERO' when the two prices are equal, 'OVERFLOW' beyond uint128.
 */
export function getLiquidityForAmount1(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, amount1: bigint): bigint {
  requireUint160(sqrtPriceAX96, 'sqrtPriceAX96');
  requireUint160(sqrtPriceBX96, 'sqrtPriceBX96');
  requireUint256(amount1, 'amount1');
  return liquidityForAmount1(sqrtPriceAX96, sqrtPriceBX96, amount1);
}

/** getLiquidityForAmount1's body, for arguments already checked. */
function liquidityForAmount1(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, amount1: bigint): bigint {
  if (sqrtPriceAX96 > sqrtPriceBX96) {
    const t = sqrtPriceAX96;
    sqrtPriceAX96 = sqrtPriceBX96;
    sqrtPriceBX96 = t;
  }
  // FullMath.mulDiv(amount1, Q96, sqrtPriceBX96 - sqrtPriceAX96).toUint128(): amount1·2^96 is a shift
  const denominator = sqrtPriceBX96 - sqrtPriceAX96;
  if (denominator === 0n) throw new MathDomainError('DIVISION_BY_ZERO', { sqrtPriceAX96, sqrtPriceBX96 }, 'the two sqrt prices are equal');
  const result = (amount1 << RESOLUTION) / denominator;
  if (result > MAX_UINT256) throw new MathDomainError('OVERFLOW', { amount1, denominator }, 'mulDiv result exceeds uint256');
  return toUint128(result);
}

/**
 * LiquidityAmounts.getLiquidityForAmounts: the largest liquidity that amount0 and amount1 can
 * fund on [A, B] at the current sqrt price (only currency0 below the range, only currency1
 * above it, the smaller of the two inside).
 */
export function getLiquidityForAmounts(
  sqrtPriceX96: bigint,
  sqrtPriceAX96: bigint,
  sqrtPriceBX96: bigint,
  amount0: bigint,
  amount1: bigint,
): bigint {
  requireUint160(sqrtPriceX96, 'sqrtPriceX96');
  requireUint160(sqrtPriceAX96, 'sqrtPriceAX96');
  requireUint160(sqrtPriceBX96, 'sqrtPriceBX96');
  requireUint256(amount0, 'amount0');
  requireUint256(amount1, 'amount1');
  if (sqrtPriceAX96 > sqrtPriceBX96) {
    const t = sqrtPriceAX96;
    sqrtPriceAX96 = sqrtPriceBX96;
    sqrtPriceBX96 = t;
  }

  if (sqrtPriceX96 <= sqrtPriceAX96) {
    return liquidityForAmount0(sqrtPriceAX96, sqrtPriceBX96, amount0);
  } else if (sqrtPriceX96 < sqrtPriceBX96) {
    const liquidity0 = liquidityForAmount0(sqrtPriceX96, sqrtPriceBX96, amount0);
    const liquidity1 = liquidityForAmount1(sqrtPriceAX96, sqrtPriceX96, amount1);
    return liquidity0 < liquidity1 ? liquidity0 : liquidity1;
  } else {
    return liquidityForAmount1(sqrtPriceAX96, sqrtPriceBX96, amount1);
  }
}

/**
 * LiquidityAmounts.getAmount0ForLiquidity: liquidity·(√B − √A)/(√A·√B), rounded down.
 * Throws 'ZERO_PRICE' when the smaller price is 0 (a division by zero in the Solidity).
 */
export function getAmount0ForLiquidity(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint): bigint {
  requireUint160(sqrtPriceAX96, 'sqrtPriceAX96');
  requireUint160(sqrtPriceBX96, 'sqrtPriceBX96');
  requireUint128(liquidity, 'liquidity');
  if (sqrtPriceAX96 > sqrtPriceBX96) {
    const t = sqrtPriceAX96;
    sqrtPriceAX96 = sqrtPriceBX96;
    sqrtPriceBX96 = t;
  }
  if (sqrtPriceAX96 === 0n) throw new MathDomainError('ZERO_PRICE', sqrtPriceAX96, 'sqrt price must be positive');
  // FullMath.mulDiv(liquidity << 96, B - A, B) / A: the mulDiv cannot overflow (its quotient is
  // < 2^224), and floor(floor(x / B) / A) = floor(x / (A·B)), so a single division is exact
  return ((liquidity << RESOLUTION) * (sqrtPriceBX96 - sqrtPriceAX96)) / (sqrtPriceAX96 * sqrtPriceBX96);
}

/** LiquidityAmounts.getAmount1ForLiquidity: liquidity·(√B − √A)/2^96, rounded down. */
export function getAmount1ForLiquidity(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint): bigint {
  requireUint160(sqrtPriceAX96, 'sqrtPriceAX96');
  requireUint160(sqrtPriceBX96, 'sqrtPriceBX96');
  requireUint128(liquidity, 'liquidity');
  if (sqrtPriceAX96 > sqrtPriceBX96) {
    const t = sqrtPriceAX96;
    sqrtPriceAX96 = sqrtPriceBX96;
    sqrtPriceBX96 = t;
  }
  return mulDiv(liquidity, sqrtPriceBX96 - sqrtPriceAX96, Q96);
}

/** Token amounts held by a liquidity position. */
export interface TokenAmounts {
  amount0: bigint;
  amount1: bigint;
}

/**
 * LiquidityAmounts.getAmountsForLiquidity: the currency0 and currency1 amounts that `liquidity`
 * on [A, B] is worth at the current sqrt price, both rounded down.
 */
export function getAmountsForLiquidity(sqrtPriceX96: bigint, sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint): TokenAmounts {
  requireUint160(sqrtPriceX96, 'sqrtPriceX96');
  if (sqrtPriceAX96 > sqrtPriceBX96) {
    const t = sqrtPriceAX96;
    sqrtPriceAX96 = sqrtPriceBX96;
    sqrtPriceBX96 = t;
  }

  let amount0 = 0n;
  let amount1 = 0n;
  if (sqrtPriceX96 <= sqrtPriceAX96) {
    amount0 = getAmount0ForLiquidity(sqrtPriceAX96, sqrtPriceBX96, liquidity);
  } else if (sqrtPriceX96 < sqrtPriceBX96) {
    amount0 = getAmount0ForLiquidity(sqrtPriceX96, sqrtPriceBX96, liquidity);
    amount1 = getAmount1ForLiquidity(sqrtPriceAX96, sqrtPriceX96, liquidity);
  } else {
    amount1 = getAmount1ForLiquidity(sqrtPriceAX96, sqrtPriceBX96, liquidity);
  }
  return { amount0, amount1 };
}
