/**
 * BitMath.sol: index of the most / least significant set bit of a uint256.
 * The Solidity uses branch-free assembly and a De Bruijn lookup; here the same binary search
 * by halving, finished with Math.clz32 on the last 32 bits (identical results).
 */
import { MathDomainError } from './errors.js';
import { requireUint256 } from './solidityTypes.js';

/**
 * BitMath.mostSignificantBit: index (0..255) of the highest set bit of x.
 * Throws MathDomainError('OUT_OF_RANGE') for x = 0 (the Solidity's require(x > 0)).
 */
export function mostSignificantBit(x: bigint): number {
  requireUint256(x, 'x');
  if (x === 0n) throw new MathDomainError('OUT_OF_RANGE', x, 'mostSignificantBit of zero');
  let r = 0;
  // r := shl(7, lt(0xffffffffffffffffffffffffffffffff, x)) ... one halving step per line
  if (x > 0xffffffffffffffffffffffffffffffffn) {
    x >>= 128n;
    r += 128;
  }
  if (x > 0xffffffffffffffffn) {
    x >>= 64n;
    r += 64;
  }
  if (x > 0xffffffffn) {
    x >>= 32n;
    r += 32;
  }
  // the last 32 bits: count leading zeros instead of the byte lookup table
  return r + 31 - Math.clz32(Number(x));
}

/**
 * BitMath.leastSignificantBit: index (0..255) of the lowest set bit of x.
 * Throws MathDomainError('OUT_OF_RANGE') for x = 0 (the Solidity's require(x > 0)).
 */
export function leastSignificantBit(x: bigint): number {
  requireUint256(x, 'x');
  if (x === 0n) throw new MathDomainError('OUT_OF_RANGE', x, 'leastSignificantBit of zero');
  // x := and(x, sub(0, x)) isolates the least significant bit
  return mostSignificantBit(x & -x);
}
