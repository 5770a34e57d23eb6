import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UINT256, MathDomainError, Q128, mulDiv, mulDivRoundingUp } from '../../../src/math/index.js';
import { logUniformBigInt } from './arbitraries.js';

const M = MAX_UINT256;
const W = 1n << 256n;

/**
 * FullMath.mulDiv transliterated literally from the Solidity, on uint256 words emulated with
 * masks (512-bit product from mul/mulmod, CRT, Newton-Raphson inverse). Independent of our
 * implementation (which divides the exact bigint product); returns null where Solidity reverts.
 */
function solidityMulDiv(a: bigint, b: bigint, denominator: bigint): bigint | null {
  const prod0 = (a * b) & M;
  const mm = (a * b) % M; // mulmod(a, b, not(0))
  const prod1 = (mm - prod0 - (mm < prod0 ? 1n : 0n)) & M;
  if (!(denominator > prod1)) return null;
  if (prod1 === 0n) return prod0 / denominator;
  const remainder = (a * b) % denominator;
  const p1 = (prod1 - (remainder > prod0 ? 1n : 0n)) & M;
  let p0 = (prod0 - remainder) & M;
  let twos = (0n - denominator) & M & denominator;
  const d = denominator / twos;
  p0 = p0 / twos;
  twos = ((((0n - twos) & M) / twos) + 1n) & M;
  p0 |= (p1 * twos) & M;
  let inv = ((3n * d) & M) ^ 2n;
  for (let i = 0; i < 6; i++) inv = (inv * ((2n - ((d * inv) & M)) & M)) & M;
  return (p0 * inv) & M;
}

const uint256 = logUniformBigInt(256);

describe('FullMath', () => {
  it('mulDiv agrees with a literal transliteration of the Solidity (512-bit, modular inverse), reverts included', () => {
    fc.assert(
      fc.property(uint256, uint256, uint256, (a, b, d) => {
        const expected = solidityMulDiv(a, b, d);
        if (expected === null) {
          expect(() => mulDiv(a, b, d)).toThrow(MathDomainError);
        } else {
          expect(mulDiv(a, b, d)).toBe(expected);
          expect(expected).toBe((a * b) / d);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mulDivRoundingUp is mulDiv, plus one exactly when the division has a remainder', () => {
    fc.assert(
      fc.property(uint256, uint256, uint256.filter((d) => d > 0n), (a, b, d) => {
        const q = (a * b) / d;
        fc.pre(q < M);
        const down = mulDiv(a, b, d);
        const up = mulDivRoundingUp(a, b, d);
        expect(up - down).toBe((a * b) % d === 0n ? 0n : 1n);
      }),
      { numRuns: 2000 },
    );
  });

  it('reproduces FullMath.t.sol vectors', () => {
    expect(mulDiv(M, M, M)).toBe(M);
    expect(mulDiv(Q128, (50n * Q128) / 100n, (150n * Q128) / 100n)).toBe(Q128 / 3n);
    expect(mulDiv(Q128, 35n * Q128, 8n * Q128)).toBe((4375n * Q128) / 1000n);
    expect(mulDiv(Q128, 1000n * Q128, 3000n * Q128)).toBe(Q128 / 3n);
    expect(mulDivRoundingUp(M, M, M)).toBe(M);
    expect(mulDivRoundingUp(Q128, (50n * Q128) / 100n, (150n * Q128) / 100n)).toBe(Q128 / 3n + 1n);
    expect(mulDivRoundingUp(Q128, 1000n * Q128, 3000n * Q128)).toBe(Q128 / 3n + 1n);
  });

  it('throws typed errors where the Solidity reverts (FullMath.t.sol revert cases)', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (e) {
        return e instanceof MathDomainError ? e.code : 'not a MathDomainError';
      }
    };
    expect(code(() => mulDiv(Q128, Q128, 0n))).toBe('DIVISION_BY_ZERO');
    expect(code(() => mulDiv(Q128, Q128, 1n))).toBe('OVERFLOW');
    expect(code(() => mulDiv(M, M, M - 1n))).toBe('OVERFLOW');
    expect(code(() => mulDivRoundingUp(535006138814359n, 432862656469423142931042426214547535783388063929571229938474969n, 2n))).toBe('OVERFLOW');
    expect(
      code(() =>
        mulDivRoundingUp(
          115792089237316195423570985008687907853269984659341747863450311749907997002549n,
          115792089237316195423570985008687907853269984659341747863450311749907997002550n,
          115792089237316195423570985008687907853269984653042931687443039491902864365164n,
        ),
      ),
    ).toBe('OVERFLOW');
    expect(code(() => mulDiv(-1n, 1n, 1n))).toBe('OUT_OF_RANGE');
    expect(code(() => mulDiv(W, 1n, 1n))).toBe('OUT_OF_RANGE');
    // the offending value travels with the error
    try {
      mulDiv(Q128, Q128, 1n);
    } catch (e) {
      expect((e as MathDomainError).value).toEqual({ a: Q128, b: Q128, denominator: 1n });
      expect((e as Error).message).toContain(Q128.toString());
    }
  });
});
