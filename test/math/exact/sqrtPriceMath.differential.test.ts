/**
 * Differential test: our SqrtPriceMath against @uniswap/v3-sdk's SqrtPriceMath (JSBI). The
 * formulas are those of v4-core; the SDK has no uint256/uint160 overflow checks, so where ours
 * throws we check the SDK threw too or that its value indeed overflows the Solidity type.
 */
import { SqrtPriceMath as Sdk } from '@uniswap/v3-sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_UINT160,
  MAX_UINT256,
  MathDomainError,
  getAmount0Delta,
  getAmount1Delta,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from '../../../src/math/index.js';
import { liquidityArb, logUniformBigInt, sqrtPriceArb } from './arbitraries.js';
import { fromJSBI, toJSBI } from './jsbi.js';

const CASES = 10_000;
/** Runs for the next-price tests: enough that at least CASES of them are in the Solidity's domain. */
const RUNS = 12_000;

/**
 * (sqrtP, liquidity, amount, zeroForOne) where the amount is mostly a random fraction (up to 256x)
 * of the virtual reserves the swap draws on or adds to, so most cases are in the Solidity's
 * domain; one case in eight is log-uniform over 256 bits to exercise the reverts.
 */
const nextPriceCaseArb = (input: boolean) =>
  fc.tuple(sqrtPriceArb, liquidityArb(1n), fc.boolean()).chain(([p, l, zeroForOne]) => {
    // currency1 moves when (input and oneForZero) or (output and zeroForOne)
    const currency1 = input !== zeroForOne;
    const reserve = currency1 ? (l * p) >> 96n : (l << 96n) / p;
    const maxK = input ? 1n << 40n : (1n << 32n) - 1n;
    const relative = fc.bigInt({ min: 0n, max: maxK }).map((k) => (reserve * k) >> 32n);
    return fc
      .oneof({ weight: 7, arbitrary: relative }, { weight: 1, arbitrary: logUniformBigInt(256) })
      .map((amount) => [p, l, amount, zeroForOne] as const);
  });

function sdkOrNull(f: () => bigint): bigint | null {
  try {
    return f();
  } catch {
    return null;
  }
}

describe('SqrtPriceMath vs @uniswap/v3-sdk', () => {
  it(`getAmount0Delta and getAmount1Delta (both roundings) are identical on ${CASES} random cases`, () => {
    let n = 0;
    fc.assert(
      fc.property(sqrtPriceArb, sqrtPriceArb, liquidityArb(), (a, b, l) => {
        const [A, B, L] = [toJSBI(a), toJSBI(b), toJSBI(l)];
        expect(getAmount0Delta(a, b, l, true)).toBe(fromJSBI(Sdk.getAmount0Delta(A, B, L, true)));
        expect(getAmount0Delta(a, b, l, false)).toBe(fromJSBI(Sdk.getAmount0Delta(A, B, L, false)));
        expect(getAmount1Delta(a, b, l, true)).toBe(fromJSBI(Sdk.getAmount1Delta(A, B, L, true)));
        expect(getAmount1Delta(a, b, l, false)).toBe(fromJSBI(Sdk.getAmount1Delta(A, B, L, false)));
        n++;
      }),
      { numRuns: CASES },
    );
    console.log(`[differential] SqrtPriceMath.getAmount0Delta/getAmount1Delta: ${n} cases x 4 values identical to v3-sdk`);
    expect(n).toBeGreaterThanOrEqual(CASES);
  });

  it(`getNextSqrtPriceFromInput is identical on >= ${CASES} random cases (reverts checked)`, () => {
    let same = 0;
    let reverted = 0;
    fc.assert(
      fc.property(nextPriceCaseArb(true), ([p, l, amount, zeroForOne]) => {
        const sdk = sdkOrNull(() => fromJSBI(Sdk.getNextSqrtPriceFromInput(toJSBI(p), toJSBI(l), toJSBI(amount), zeroForOne)));
        let ours: bigint;
        try {
          ours = getNextSqrtPriceFromInput(p, l, amount, zeroForOne);
        } catch (e) {
          expect(e).toBeInstanceOf(MathDomainError);
          expect((e as MathDomainError).code).toBe('OVERFLOW');
          // the Solidity reverts: the SDK, which never checks, returns a price beyond uint160,
          // or (currency0 in, fallback branch) numerator1 / sqrtP + amount passed 2^256
          const denominatorOverflows = zeroForOne && (l << 96n) / p + amount > MAX_UINT256;
          expect(sdk === null || sdk > MAX_UINT160 || denominatorOverflows).toBe(true);
          reverted++;
          return;
        }
        expect(ours).toBe(sdk);
        same++;
      }),
      { numRuns: RUNS },
    );
    console.log(`[differential] SqrtPriceMath.getNextSqrtPriceFromInput: ${same} identical, ${reverted} reverts confirmed, of ${RUNS}`);
    expect(same + reverted).toBe(RUNS);
    expect(same).toBeGreaterThanOrEqual(CASES);
  });

  it(`getNextSqrtPriceFromOutput is identical on >= ${CASES} random cases (reverts checked)`, () => {
    let same = 0;
    let reverted = 0;
    fc.assert(
      fc.property(nextPriceCaseArb(false), ([p, l, amount, zeroForOne]) => {
        const sdk = sdkOrNull(() => fromJSBI(Sdk.getNextSqrtPriceFromOutput(toJSBI(p), toJSBI(l), toJSBI(amount), zeroForOne)));
        let ours: bigint;
        try {
          ours = getNextSqrtPriceFromOutput(p, l, amount, zeroForOne);
        } catch (e) {
          expect(e).toBeInstanceOf(MathDomainError);
          // the Solidity reverts (PriceOverflow / NotEnoughLiquidity): so does the SDK (invariant)
          // or, for a uint160 overflow of the result, the SDK's value is too large
          expect(sdk === null || sdk > MAX_UINT160).toBe(true);
          reverted++;
          return;
        }
        expect(ours).toBe(sdk);
        same++;
      }),
      { numRuns: RUNS },
    );
    console.log(`[differential] SqrtPriceMath.getNextSqrtPriceFromOutput: ${same} identical, ${reverted} reverts confirmed, of ${RUNS}`);
    expect(same + reverted).toBe(RUNS);
    expect(same).toBeGreaterThanOrEqual(CASES);
  });
});
