/** LiquidityMath.sol: adding a signed liquidity delta to a uint128 liquidity. */
import { MathDomainError } from './errors.js';
import { MAX_UINT128 } from './fixedPoint.js';
import { requireInt128, requireUint128 } from './solidityTypes.js';

/**
 * LiquidityMath.addDelta: x + y for a uint128 liquidity x and an int128 delta y.
 * Throws MathDomainError 'LIQUIDITY_UNDERFLOW' if the result is negative, 'LIQUIDITY_OVERFLOW' if
 * it exceeds type(uint128).max (both SafeCastOverflow on chain), carrying both operands.
 */
export function addDelta(x: bigint, y: bigint): bigint {
  requireUint128(x, 'x');
  requireInt128(y, 'y');
  // z := add(x, signextend(15, y)); if shr(128, z) revert — with exact bigints, the two bounds
  const z = x + y;
  if (z < 0n) throw new MathDomainError('LIQUIDITY_UNDERFLOW', { x, y }, 'liquidity + delta is negative');
  if (z > MAX_UINT128) throw new MathDomainError('LIQUIDITY_OVERFLOW', { x, y }, 'liquidity + delta exceeds uint128');
  return z;
}
