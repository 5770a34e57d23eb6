import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UINT256, divRoundingUp, simpleMulDiv } from '../../../src/math/index.js';
import { logUniformBigInt } from './arbitraries.js';

describe('UnsafeMath', () => {
  it('divRoundingUp is the ceiling of x / y, and 0 for y = 0 (EVM div semantics)', () => {
    fc.assert(
      fc.property(logUniformBigInt(256), logUniformBigInt(256), (x, y) => {
        const z = divRoundingUp(x, y);
        if (y === 0n) expect(z).toBe(0n);
        else {
          expect(z * y >= x).toBe(true);
          expect(z === 0n || (z - 1n) * y < x).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('simpleMulDiv wraps the product at 2^256 like the EVM mul', () => {
    expect(simpleMulDiv(MAX_UINT256, 2n, 1n)).toBe(MAX_UINT256 - 1n);
    expect(simpleMulDiv(1n << 255n, 2n, 1n)).toBe(0n);
    expect(simpleMulDiv(10n, 10n, 3n)).toBe(33n);
    expect(simpleMulDiv(10n, 10n, 0n)).toBe(0n);
  });
});
