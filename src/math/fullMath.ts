/**
 * FullMath.sol: floor / ceil of a×b÷denominator with full precision.
 *
 * Solidity builds the 512-bit product [prod1 prod0] and divides it with a modular inverse,
 * because the EVM has no wider integer. A bigint holds the whole product, so the division is
 * direct; what we keep from the Solidity is every revert: `require(denominator > prod1)` is
 * equivalent to "denominator != 0 and the quotient fits in 256 bits", and mulDivRoundingUp's
 * `require(++result > 0)` to "the rounded-up quotient fits in 256 bits".
 */
import { MathDomainError } from './errors.js';
import { MAX_UINT256 } from './fixedPoint.js';
import { requireUint256 } from './solidityTypes.js';

/**
 * FullMath.mulDiv: floor(a×b÷denominator) for uint256 a, b, denominator.
 * Throws MathDomainError 'DIVISION_BY_ZERO' if denominator is 0, 'OVERFLOW' if the result
 * exceeds type(uint256).max, 'OUT_OF_RANGE' if an argument is not a uint256.
 */
export function mulDiv(a: bigint, b: bigint, denominator: bigint): bigint {
  requireUint256(a, 'a');
  requireUint256(b, 'b');
  requireUint256(denominator, 'denominator');
  // require(denominator > prod1): denominator != 0 ...
  if (denominator === 0n) throw new MathDomainError('DIVISION_BY_ZERO', { a, b, denominator }, 'mulDiv by zero');
  const result = (a * b) / denominator;
  // ... and a×b < denominator·2^256, i.e. the quotient fits in a uint256.
  if (result > MAX_UINT256) throw new MathDomainError('OVERFLOW', { a, b, denominator }, 'mulDiv result exceeds uint256');
  return result;
}

/**
 * FullMath.mulDivRoundingUp: ceil(a×b÷denominator) for uint256 a, b, denominator.
 * Throws like mulDiv, and 'OVERFLOW' when rounding up passes type(uint256).max.
 */
export function mulDivRoundingUp(a: bigint, b: bigint, denominator: bigint): bigint {
  requireUint256(a, 'a');
  requireUint256(b, 'b');
  requireUint256(denominator, 'denominator');
  if (denominator === 0n) throw new MathDomainError('DIVISION_BY_ZERO', { a, b, denominator }, 'mulDivRoundingUp by zero');
  const product = a * b;
  let result = product / denominator;
  if (result > MAX_UINT256) throw new MathDomainError('OVERFLOW', { a, b, denominator }, 'mulDiv result exceeds uint256');
  // if (mulmod(a, b, denominator) != 0) require(++result > 0); the remainder is product − result·denominator
  if (product !== result * denominator) {
    if (result === MAX_UINT256) throw new MathDomainError('OVERFLOW', { a, b, denominator }, 'mulDivRoundingUp result exceeds uint256');
    result += 1n;
  }
  return result;
}
