import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UINT256, MathDomainError, leastSignificantBit, mostSignificantBit } from '../../../src/math/index.js';
import { logUniformBigInt } from './arbitraries.js';

describe('BitMath', () => {
  it('mostSignificantBit / leastSignificantBit match the binary representation', () => {
    fc.assert(
      fc.property(logUniformBigInt(256, 1n), (x) => {
        const bin = x.toString(2);
        expect(mostSignificantBit(x)).toBe(bin.length - 1);
        expect(leastSignificantBit(x)).toBe(bin.length - 1 - bin.lastIndexOf('1'));
        // BitMath.t.sol invariants
        const msb = BigInt(mostSignificantBit(x));
        expect(x >= 1n << msb && (msb === 255n || x < 1n << (msb + 1n))).toBe(true);
        expect(x & ((1n << BigInt(leastSignificantBit(x))) - 1n)).toBe(0n);
      }),
      { numRuns: 2000 },
    );
  });

  it('reproduces BitMath.t.sol vectors and reverts on zero', () => {
    expect(mostSignificantBit(1n)).toBe(0);
    expect(mostSignificantBit(2n)).toBe(1);
    expect(mostSignificantBit(MAX_UINT256)).toBe(255);
    expect(leastSignificantBit(MAX_UINT256)).toBe(0);
    for (let i = 0; i < 256; i++) {
      expect(mostSignificantBit(1n << BigInt(i))).toBe(i);
      expect(leastSignificantBit(1n << BigInt(i))).toBe(i);
    }
    expect(() => mostSignificantBit(0n)).toThrow(MathDomainError);
    expect(() => leastSignificantBit(0n)).toThrow(MathDomainError);
  });
});
