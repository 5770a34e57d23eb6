import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_INT128,
  MAX_UINT128,
  MAX_UINT160,
  MAX_UINT256,
  MIN_INT128,
  MathDomainError,
  absDiff,
  getAmount0Delta,
  getAmount0DeltaSigned,
  getAmount1Delta,
  getAmount1DeltaSigned,
  getNextSqrtPriceFromAmount0RoundingUp,
  getNextSqrtPriceFromAmount1RoundingDown,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from '../../../src/math/index.js';
import { liquidityArb, logUniformBigInt, sqrtPriceArb } from './arbitraries.js';
import { ETHER, SQRT_PRICE_121_100, SQRT_PRICE_1_1, SQRT_PRICE_2_1, codeOf } from './solidityFixtures.js';

describe('SqrtPriceMath properties', () => {
  it('amount deltas: roundUp >= roundDown by at most 1, symmetric in the price order, monotone in liquidity', () => {
    fc.assert(
      fc.property(sqrtPriceArb, sqrtPriceArb, liquidityArb(), liquidityArb(), (a, b, l1, l2) => {
        for (const f of [getAmount0Delta, getAmount1Delta]) {
          const up = f(a, b, l1, true);
          const down = f(a, b, l1, false);
          expect(up - down === 0n || up - down === 1n).toBe(true);
          expect(f(b, a, l1, true)).toBe(up);
          expect(f(b, a, l1, false)).toBe(down);
          const lo = l1 < l2 ? l1 : l2;
          const hi = l1 < l2 ? l2 : l1;
          expect(f(a, b, lo, false) <= f(a, b, hi, false)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('amount deltas match the real-number formulas: floor and ceiling of L(1/√A − 1/√B) and L(√B − √A)', () => {
    fc.assert(
      fc.property(sqrtPriceArb, sqrtPriceArb, liquidityArb(), (a, b, l) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        // amount1 = L(√B − √A)/2^96 exactly: floor / ceil
        const num1 = l * (hi - lo);
        const q96 = 1n << 96n;
        expect(getAmount1Delta(a, b, l, false)).toBe(num1 / q96);
        expect(getAmount1Delta(a, b, l, true)).toBe(num1 / q96 + (num1 % q96 === 0n ? 0n : 1n));
        // amount0 = L·2^96(√B − √A)/(√A√B); the Solidity rounds in two steps, so it brackets the exact value
        const num0 = (l << 96n) * (hi - lo);
        const den0 = lo * hi;
        const exactFloor = num0 / den0;
        const down = getAmount0Delta(a, b, l, false);
        const up = getAmount0Delta(a, b, l, true);
        expect(down <= exactFloor).toBe(true);
        expect(exactFloor - down <= 1n).toBe(true);
        expect(up * den0 >= num0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('next price from input moves the right way and never asks for more input than given', () => {
    fc.assert(
      fc.property(sqrtPriceArb, liquidityArb(1n), logUniformBigInt(200), fc.boolean(), (p, l, amountIn, zeroForOne) => {
        let next: bigint;
        try {
          next = getNextSqrtPriceFromInput(p, l, amountIn, zeroForOne);
        } catch (e) {
          expect(e).toBeInstanceOf(MathDomainError);
          return;
        }
        if (zeroForOne) {
          expect(next <= p).toBe(true);
          if (next > 0n) expect(getAmount0Delta(next, p, l, true) <= amountIn).toBe(true);
        } else {
          expect(next >= p).toBe(true);
          expect(getAmount1Delta(p, next, l, true) <= amountIn).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('next price from output moves the right way and delivers at least the output asked', () => {
    fc.assert(
      fc.property(sqrtPriceArb, liquidityArb(1n), logUniformBigInt(160), fc.boolean(), (p, l, amountOut, zeroForOne) => {
        let next: bigint;
        try {
          next = getNextSqrtPriceFromOutput(p, l, amountOut, zeroForOne);
        } catch (e) {
          expect(['NOT_ENOUGH_LIQUIDITY', 'PRICE_OVERFLOW', 'OVERFLOW']).toContain((e as MathDomainError).code);
          return;
        }
        if (zeroForOne) {
          expect(next <= p).toBe(true);
          expect(getAmount1Delta(next, p, l, false) >= amountOut).toBe(true);
        } else {
          expect(next >= p).toBe(true);
          expect(getAmount0Delta(p, next, l, false) >= amountOut).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('signed deltas: a deposit (L > 0) is owed rounded up and negative, a withdrawal (L < 0) paid rounded down', () => {
    fc.assert(
      fc.property(sqrtPriceArb, sqrtPriceArb, fc.bigInt({ min: MIN_INT128, max: MAX_INT128 }), (a, b, dl) => {
        const s0 = getAmount0DeltaSigned(a, b, dl);
        const s1 = getAmount1DeltaSigned(a, b, dl);
        if (dl >= 0n) {
          expect(s0).toBe(-getAmount0Delta(a, b, dl, true));
          expect(s1).toBe(-getAmount1Delta(a, b, dl, true));
        } else {
          expect(s0).toBe(getAmount0Delta(a, b, -dl, false));
          expect(s1).toBe(getAmount1Delta(a, b, -dl, false));
        }
      }),
      { numRuns: 1000 },
    );
    // int128 min: uint128(-liquidity) is 2^127
    expect(getAmount1DeltaSigned(SQRT_PRICE_1_1, SQRT_PRICE_2_1, MIN_INT128)).toBe(getAmount1Delta(SQRT_PRICE_1_1, SQRT_PRICE_2_1, 1n << 127n, false));
  });

  it('absDiff is |a − b|', () => {
    expect(absDiff(5n, 3n)).toBe(2n);
    expect(absDiff(3n, 5n)).toBe(2n);
    expect(absDiff(MAX_UINT160, 0n)).toBe(MAX_UINT160);
  });

  it('reproduces SqrtPriceMath.t.sol vectors', () => {
    expect(getNextSqrtPriceFromInput(1n, 1n, 2n ** 255n, true)).toBe(1n);
    expect(getNextSqrtPriceFromInput(SQRT_PRICE_1_1, 1n, 0n, true)).toBe(SQRT_PRICE_1_1);
    expect(getNextSqrtPriceFromInput(SQRT_PRICE_1_1, 1n, 0n, false)).toBe(SQRT_PRICE_1_1);
    // Solidity: MAX_UINT256 - MAX_UINT128 << 96 / sqrtP parses as (MAX_UINT256 - MAX_UINT128) << 0
    expect(getNextSqrtPriceFromInput(MAX_UINT160 - 1n, MAX_UINT128, MAX_UINT256 - MAX_UINT128, true)).toBe(1n);
    expect(getNextSqrtPriceFromInput(SQRT_PRICE_1_1, ETHER, ETHER / 10n, false)).toBe(SQRT_PRICE_121_100);
    expect(getNextSqrtPriceFromInput(SQRT_PRICE_1_1, ETHER, ETHER / 10n, true)).toBe(72025602285694852357767227579n);
    expect(getNextSqrtPriceFromInput(SQRT_PRICE_1_1, 10n * ETHER, 2n ** 100n, true)).toBe(624999999995069620n);
    expect(getNextSqrtPriceFromInput(SQRT_PRICE_1_1, 1n, MAX_UINT256 / 2n, true)).toBe(1n);
    expect(codeOf(() => getNextSqrtPriceFromInput(MAX_UINT160 - 1n, 1024n, 1024n, false))).toBe('OVERFLOW');
    expect(codeOf(() => getNextSqrtPriceFromInput(0n, 1n, ETHER / 10n, false))).toBe('ZERO_PRICE');
    expect(codeOf(() => getNextSqrtPriceFromInput(1n, 0n, ETHER / 10n, true))).toBe('ZERO_LIQUIDITY');

    const p = 20282409603651670423947251286016n;
    expect(codeOf(() => getNextSqrtPriceFromOutput(p, 1024n, 4n, false))).toBe('PRICE_OVERFLOW');
    expect(codeOf(() => getNextSqrtPriceFromOutput(p, 1024n, 5n, false))).toBe('PRICE_OVERFLOW');
    expect(codeOf(() => getNextSqrtPriceFromOutput(p, 1024n, 262145n, true))).toBe('NOT_ENOUGH_LIQUIDITY');
    expect(codeOf(() => getNextSqrtPriceFromOutput(p, 1024n, 262144n, true))).toBe('NOT_ENOUGH_LIQUIDITY');
    expect(getNextSqrtPriceFromOutput(p, 1024n, 262143n, true)).toBe(77371252455336267181195264n);
    expect(getNextSqrtPriceFromOutput(SQRT_PRICE_1_1, ETHER / 10n, 0n, true)).toBe(SQRT_PRICE_1_1);
    expect(getNextSqrtPriceFromOutput(SQRT_PRICE_1_1, ETHER / 10n, 0n, false)).toBe(SQRT_PRICE_1_1);
    expect(getNextSqrtPriceFromOutput(SQRT_PRICE_1_1, ETHER, ETHER / 10n, false)).toBe(88031291682515930659493278152n);
    expect(getNextSqrtPriceFromOutput(SQRT_PRICE_1_1, ETHER, ETHER / 10n, true)).toBe(71305346262837903834189555302n);
    // revertsIfAmountOutIsImpossibleIn{ZeroForOne,OneForZero}Direction: FullMath's overflow, then PriceOverflow
    expect(codeOf(() => getNextSqrtPriceFromOutput(SQRT_PRICE_1_1, 1n, MAX_UINT256, true))).toBe('OVERFLOW');
    expect(codeOf(() => getNextSqrtPriceFromOutput(SQRT_PRICE_1_1, 1n, MAX_UINT256, false))).toBe('PRICE_OVERFLOW');

    expect(getAmount0Delta(SQRT_PRICE_1_1, SQRT_PRICE_2_1, 0n, true)).toBe(0n);
    expect(getAmount0Delta(SQRT_PRICE_1_1, SQRT_PRICE_1_1, 0n, true)).toBe(0n);
    expect(codeOf(() => getAmount0Delta(0n, 1n, 1n, true))).toBe('ZERO_PRICE');
    expect(getAmount0Delta(SQRT_PRICE_1_1, SQRT_PRICE_121_100, ETHER, true)).toBe(90909090909090910n);
    expect(getAmount0Delta(SQRT_PRICE_1_1, SQRT_PRICE_121_100, ETHER, false)).toBe(90909090909090909n);
    const sqrtP1 = 2787593149816327892691964784081045188247552n;
    const sqrtP2 = 22300745198530623141535718272648361505980416n;
    expect(getAmount0Delta(sqrtP1, sqrtP2, ETHER, true)).toBe(getAmount0Delta(sqrtP1, sqrtP2, ETHER, false) + 1n);
    expect(getAmount1Delta(SQRT_PRICE_1_1, SQRT_PRICE_2_1, 0n, true)).toBe(0n);
    expect(getAmount1Delta(SQRT_PRICE_1_1, SQRT_PRICE_1_1, 0n, true)).toBe(0n);
    expect(getAmount1Delta(SQRT_PRICE_1_1, SQRT_PRICE_121_100, ETHER, true)).toBe(100000000000000000n);
    expect(getAmount1Delta(SQRT_PRICE_1_1, SQRT_PRICE_121_100, ETHER, false)).toBe(99999999999999999n);

    const sqrtP = 1025574284609383690408304870162715216695788925244n;
    const liquidity = 50015962439936049619261659728067971248n;
    const sqrtQ = getNextSqrtPriceFromInput(sqrtP, liquidity, 406n, true);
    expect(sqrtQ).toBe(1025574284609383582644711336373707553698163132913n);
    expect(getAmount0Delta(sqrtQ, sqrtP, liquidity, true)).toBe(406n);
  });

  it('refuses arguments outside their Solidity types and zero liquidity in the direct helpers', () => {
    expect(codeOf(() => getAmount0Delta(-1n, 1n, 1n, true))).toBe('OUT_OF_RANGE');
    expect(codeOf(() => getAmount1Delta(1n, MAX_UINT160 + 1n, 1n, true))).toBe('OUT_OF_RANGE');
    expect(codeOf(() => getAmount1Delta(1n, 2n, MAX_UINT128 + 1n, true))).toBe('OUT_OF_RANGE');
    expect(codeOf(() => getAmount0DeltaSigned(1n, 2n, MAX_INT128 + 1n))).toBe('OUT_OF_RANGE');
    expect(codeOf(() => getNextSqrtPriceFromAmount0RoundingUp(SQRT_PRICE_1_1, 0n, 1n, true))).toBe('ZERO_LIQUIDITY');
    expect(codeOf(() => getNextSqrtPriceFromAmount1RoundingDown(SQRT_PRICE_1_1, 0n, 1n, false))).toBe('ZERO_LIQUIDITY');
  });
});
