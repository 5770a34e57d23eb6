import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MathDomainError} from '../../../src/math/index.js';
import { MAX_INT128, MAX_UINT128, MIN_INT128, addDelta } from '../../../src/math/index.js';
import { logUniformBigInt } from './arbitraries.js';
import { codeOf } from './solidityFixtures.js';

describe('LiquidityMath.addDelta', () => {
  it('equals x + y inside uint128 and throws with both operands outside it (LiquidityMath.t.sol fuzz)', () => {
    const int128 = fc.oneof(logUniformBigInt(127), logUniformBigInt(127).map((v) => -v), fc.constant(MIN_INT128));
    fc.assert(
      fc.property(logUniformBigInt(128), int128, (x, y) => {
        const z = x + y;
        if (z >= 0n && z <= MAX_UINT128) expect(addDelta(x, y)).toBe(z);
        else {
          try {
            addDelta(x, y);
            expect.unreachable();
          } catch (e) {
            expect((e as MathDomainError).code).toBe(z < 0n ? 'LIQUIDITY_UNDERFLOW' : 'LIQUIDITY_OVERFLOW');
            expect((e as MathDomainError).value).toEqual({ x, y });
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reproduces LiquidityMath.t.sol vectors', () => {
    expect(codeOf(() => addDelta(0n, -1n))).toBe('LIQUIDITY_UNDERFLOW');
    expect(codeOf(() => addDelta(MAX_INT128, MIN_INT128))).toBe('LIQUIDITY_UNDERFLOW');
    expect(codeOf(() => addDelta(MAX_UINT128, 1n))).toBe('LIQUIDITY_OVERFLOW');
    // uint128(type(int128).min) = 2^127
    expect(addDelta(1n << 127n, MIN_INT128)).toBe(0n);
    expect(addDelta(MAX_UINT128, MIN_INT128)).toBe(MAX_UINT128 - (1n << 127n));
    expect(codeOf(() => addDelta(1n, MAX_INT128 + 1n))).toBe('OUT_OF_RANGE');
    expect(codeOf(() => addDelta(-1n, 1n))).toBe('OUT_OF_RANGE');
  });
});
