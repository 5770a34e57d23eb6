/**
 * UnsafeMath.sol: division helpers that, like the EVM's `div`, return 0 on a zero divisor
 * instead of reverting. Callers must check the divisor (the Solidity says the same).
 */
import { MAX_UINT256 } from './fixedPoint.js';

/** UnsafeMath.divRoundingUp: ceil(x / y) for uint256 x, y; 0 when y is 0 (EVM `div`/`mod` semantics). */
export function divRoundingUp(x: bigint, y: bigint): bigint {
  // z := add(div(x, y), gt(mod(x, y), 0)) — the EVM defines div(x, 0) = mod(x, 0) = 0
  if (y === 0n) return 0n;
  const z = x / y;
  // mod(x, y) > 0, computed as x − z·y (a multiplication is cheaper than a second division)
  return x - z * y > 0n ? z + 1n : z;
}

/**
 * UnsafeMath.simpleMulDiv: floor((a×b mod 2^256) / denominator); 0 when denominator is 0.
 * The product wraps at 2^256 exactly as the EVM's `mul` does (explicit mask).
 */
export function simpleMulDiv(a: bigint, b: bigint, denominator: bigint): bigint {
  // result := div(mul(a, b), denominator)
  if (denominator === 0n) return 0n;
  return ((a * b) & MAX_UINT256) / denominator;
}
