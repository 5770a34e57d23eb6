/**
 * Differential test: our LiquidityAmounts.getLiquidityForAmounts against @uniswap/v3-sdk's
 * maxLiquidityForAmounts.
 *
 * The Solidity (v4-periphery LiquidityAmounts.sol) floors the intermediate √A·√B / 2^96 before
 * multiplying by amount0; the SDK reproduces exactly that with useFullPrecision = false and
 * skips the intermediate floor with useFullPrecision = true. So the bit-identical oracle is
 * useFullPrecision = false; against useFullPrecision = true we check the bound the extra
 * floor implies: ours <= precise and (precise − ours)·w <= amount0 + w, w the span liquidity0
 * is computed over (√B − √A below the range, √B − √P inside it).
 */
import { maxLiquidityForAmounts } from '@uniswap/v3-sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UINT128, MathDomainError, getAmount0Delta, getAmount1Delta, getLiquidityForAmounts } from '../../../src/math/index.js';
import { liquidityArb, logUniformBigInt, sqrtPriceArb } from './arbitraries.js';
import { fromJSBI, toJSBI } from './jsbi.js';

const CASES = 10_000;
const RUNS = 12_000;

/**
 * (P, [A, B], amount0, amount1): mostly the amounts some liquidity is worth (rounded up, as a mint
 * costs), each scaled by a random factor in [0, 2] so either side may bind; otherwise arbitrary
 * log-uniform amounts, which also reach the uint128 overflow reverts.
 */
const caseArb = fc
  .tuple(sqrtPriceArb, fc.tuple(sqrtPriceArb, sqrtPriceArb).filter(([a, b]) => a !== b), liquidityArb())
  .chain(([p, [a, b], l]) => {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const need0 = p < hi ? getAmount0Delta(p > lo ? p : lo, hi, l, true) : 0n;
    const need1 = p > lo ? getAmount1Delta(lo, p < hi ? p : hi, l, true) : 0n;
    const scale = (x: bigint) => fc.bigInt({ min: 0n, max: 1n << 33n }).map((k) => (x * k) >> 32n);
    const amounts = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(scale(need0), scale(need1)) },
      { weight: 1, arbitrary: fc.tuple(logUniformBigInt(128), logUniformBigInt(128)) },
      { weight: 1, arbitrary: fc.tuple(logUniformBigInt(256), logUniformBigInt(256)) },
    );
    return amounts.map(([x0, x1]) => [p, [a, b] as const, x0, x1] as const);
  });

/** Whether, with the price inside the range, liquidity0 or liquidity1 alone exceeds uint128 (plain bigint). */
function inRangeComponentOverflows(p: bigint, a: bigint, b: bigint, x0: bigint, x1: bigint): boolean {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  if (p <= lo || p >= hi) return false;
  const q96 = 1n << 96n;
  const liquidity0 = (x0 * ((p * hi) / q96)) / (hi - p);
  const liquidity1 = (x1 * q96) / (p - lo);
  return liquidity0 > MAX_UINT128 || liquidity1 > MAX_UINT128;
}

describe('LiquidityAmounts vs @uniswap/v3-sdk maxLiquidityForAmounts', () => {
  it(`getLiquidityForAmounts is identical to useFullPrecision=false on >= ${CASES} cases, and within the flooring bound of useFullPrecision=true`, () => {
    let same = 0;
    let reverted = 0;
    let preciseDiffers = 0;
    fc.assert(
      fc.property(caseArb, ([p, [a, b], x0, x1]) => {
        const [P, A, B] = [toJSBI(p), toJSBI(a), toJSBI(b)];
        const imprecise = fromJSBI(maxLiquidityForAmounts(P, A, B, x0.toString(), x1.toString(), false));
        const precise = fromJSBI(maxLiquidityForAmounts(P, A, B, x0.toString(), x1.toString(), true));
        let ours: bigint;
        try {
          ours = getLiquidityForAmounts(p, a, b, x0, x1);
        } catch (e) {
          // Solidity's toUint128 reverts on either in-range component before taking the minimum,
          // so it reverts where the SDK's (unbounded) minimum may still fit
          expect(e).toBeInstanceOf(MathDomainError);
          expect((e as MathDomainError).code).toBe('OVERFLOW');
          expect(imprecise > MAX_UINT128 || inRangeComponentOverflows(p, a, b, x0, x1)).toBe(true);
          reverted++;
          return;
        }
        expect(ours).toBe(imprecise);
        same++;
        // the span liquidity0 is computed over: the whole range below it, (p, hi) inside it
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(ours <= precise).toBe(true);
        if (p >= hi) expect(precise).toBe(ours);
        else {
          const width0 = p <= lo ? hi - lo : hi - p;
          expect((precise - ours) * width0 <= x0 + width0).toBe(true);
        }
        if (precise !== ours) preciseDiffers++;
      }),
      { numRuns: RUNS },
    );
    console.log(
      `[differential] LiquidityAmounts.getLiquidityForAmounts: ${same} identical to v3-sdk maxLiquidityForAmounts(useFullPrecision=false), ` +
        `${reverted} uint128 overflows confirmed, of ${RUNS}; useFullPrecision=true differs (by the intermediate floor, within bound) in ${preciseDiffers}`,
    );
    expect(same + reverted).toBe(RUNS);
    expect(same).toBeGreaterThanOrEqual(CASES);
  });
});
