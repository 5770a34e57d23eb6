/**
 * Guards that a bigint argument fits the Solidity type the translated function declares
 * (uint256, uint160, uint128, int128, int256). Solidity never sees such a value (the ABI
 * rejects it), so in TypeScript we refuse it instead of computing garbage:
 * MathDomainError('OUT_OF_RANGE') naming the argument and carrying its value.
 */
import { MathDomainError } from './errors.js';
import { MAX_INT128, MAX_INT256, MAX_UINT128, MAX_UINT160, MAX_UINT256, MIN_INT128, MIN_INT256 } from './fixedPoint.js';

/** Throws unless 0 <= x <= type(uint256).max. */
export function requireUint256(x: bigint, name: string): void {
  if (x < 0n || x > MAX_UINT256) throw new MathDomainError('OUT_OF_RANGE', x, `${name} is not a uint256`);
}

/** Throws unless 0 <= x <= type(uint160).max. */
export function requireUint160(x: bigint, name: string): void {
  if (x < 0n || x > MAX_UINT160) throw new MathDomainError('OUT_OF_RANGE', x, `${name} is not a uint160`);
}

/** Throws unless 0 <= x <= type(uint128).max. */
export function requireUint128(x: bigint, name: string): void {
  if (x < 0n || x > MAX_UINT128) throw new MathDomainError('OUT_OF_RANGE', x, `${name} is not a uint128`);
}

/** Throws unless type(int128).min <= x <= type(int128).max. */
export function requireInt128(x: bigint, name: string): void {
  if (x < MIN_INT128 || x > MAX_INT128) throw new MathDomainError('OUT_OF_RANGE', x, `${name} is not an int128`);
}

/** Throws unless type(int256).min <= x <= type(int256).max. */
export function requireInt256(x: bigint, name: string): void {
  if (x < MIN_INT256 || x > MAX_INT256) throw new MathDomainError('OUT_OF_RANGE', x, `${name} is not an int256`);
}

/** SafeCast.toUint160: returns x if it fits a uint160, else throws MathDomainError('OVERFLOW'). */
export function toUint160(x: bigint): bigint {
  if (x > MAX_UINT160) throw new MathDomainError('OVERFLOW', x, 'result does not fit a uint160');
  return x;
}

/** SafeCast.toUint128: returns x if it fits a uint128, else throws MathDomainError('OVERFLOW'). */
export function toUint128(x: bigint): bigint {
  if (x > MAX_UINT128) throw new MathDomainError('OVERFLOW', x, 'result does not fit a uint128');
  return x;
}

/** SafeCast.toInt256: returns x if it fits an int256, else throws MathDomainError('OVERFLOW'). */
export function toInt256(x: bigint): bigint {
  if (x > MAX_INT256) throw new MathDomainError('OVERFLOW', x, 'result does not fit an int256');
  return x;
}
