import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SWAP_FEE,
  MAX_UINT160,
  computeSwapStep,
  getAmount0Delta,
  getAmount1Delta,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
  getSqrtPriceTarget,
  mulDiv,
} from '../../../src/math/index.js';
import { logUniformBigInt } from './arbitraries.js';
import { swapStepCaseArb } from './swapCases.js';
import { ETHER, SQRT_PRICE_10000_100, SQRT_PRICE_1000_100, SQRT_PRICE_101_100, SQRT_PRICE_1_1, SQRT_PRICE_1_4, codeOf } from './solidityFixtures.js';

describe('SwapMath properties', () => {
  it('getSqrtPriceTarget is max(next, limit) for zeroForOne, min otherwise (SwapMath.t.sol fuzz)', () => {
    fc.assert(
      fc.property(fc.boolean(), logUniformBigInt(160), logUniformBigInt(160), (zeroForOne, next, limit) => {
        const expected = (zeroForOne ? next < limit : next > limit) ? limit : next;
        expect(getSqrtPriceTarget(zeroForOne, next, limit)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
    expect(codeOf(() => getSqrtPriceTarget(true, MAX_UINT160 + 1n, 0n))).toBe('OUT_OF_RANGE');
  });

  it('invariants of SwapMath.t.sol test_fuzz_computeSwapStep: bounded amounts, price between current and target, remaining consumed unless the target is hit', () => {
    fc.assert(
      fc.property(swapStepCaseArb(), (c) => {
        const { sqrtPriceCurrentX96: cur, sqrtPriceTargetX96: target, amountRemaining: rem } = c;
        const s = computeSwapStep(cur, target, c.liquidity, rem, c.feePips);
        if (rem >= 0n) expect(s.amountOut <= rem).toBe(true);
        else expect(s.amountIn + s.feeAmount <= -rem).toBe(true);
        if (cur === target) {
          expect(s).toEqual({ sqrtPriceNextX96: target, amountIn: 0n, amountOut: 0n, feeAmount: 0n });
        }
        if (s.sqrtPriceNextX96 !== target) {
          if (rem > 0n) expect(s.amountOut).toBe(rem);
          else expect(s.amountIn + s.feeAmount).toBe(-rem);
        }
        // the price moves toward the target, never past it
        if (target <= cur) expect(target <= s.sqrtPriceNextX96 && s.sqrtPriceNextX96 <= cur).toBe(true);
        else expect(cur <= s.sqrtPriceNextX96 && s.sqrtPriceNextX96 <= target).toBe(true);
        // the input covers the price move (rounded up) and the output does not exceed it (rounded down)
        const zeroForOne = cur >= target;
        const needIn = zeroForOne
          ? getAmount0Delta(s.sqrtPriceNextX96, cur, c.liquidity, true)
          : getAmount1Delta(cur, s.sqrtPriceNextX96, c.liquidity, true);
        const maxOut = zeroForOne
          ? getAmount1Delta(s.sqrtPriceNextX96, cur, c.liquidity, false)
          : getAmount0Delta(cur, s.sqrtPriceNextX96, c.liquidity, false);
        expect(s.amountIn >= needIn).toBe(true);
        expect(s.amountOut <= maxOut).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('v4 exact-input step that stops short of its target: amountIn = amountRemainingLessFee, the rest is fee (the v4-only branch)', () => {
    let shortSteps = 0;
    fc.assert(
      fc.property(swapStepCaseArb(true), (c) => {
        const { sqrtPriceCurrentX96: cur, sqrtPriceTargetX96: target, liquidity, amountRemaining: rem, feePips } = c;
        const zeroForOne = cur >= target;
        const lessFee = mulDiv(-rem, BigInt(MAX_SWAP_FEE - feePips), BigInt(MAX_SWAP_FEE));
        const toTarget = zeroForOne ? getAmount0Delta(target, cur, liquidity, true) : getAmount1Delta(cur, target, liquidity, true);
        fc.pre(lessFee < toTarget);
        shortSteps++;
        const s = computeSwapStep(cur, target, liquidity, rem, feePips);
        const next = getNextSqrtPriceFromInput(cur, liquidity, lessFee, zeroForOne);
        expect(s.sqrtPriceNextX96).toBe(next);
        expect(s.amountIn).toBe(lessFee);
        expect(s.feeAmount).toBe(-rem - lessFee);
        expect(s.amountOut).toBe(zeroForOne ? getAmount1Delta(next, cur, liquidity, false) : getAmount0Delta(cur, next, liquidity, false));
      }),
      { numRuns: 2000 },
    );
    expect(shortSteps).toBeGreaterThan(500);
  });

  it('exact input and exact output agree: buying back the output of an exact-in step costs no more than was paid', () => {
    let checked = 0;
    fc.assert(
      fc.property(swapStepCaseArb(true), (c) => {
        fc.pre(c.liquidity > 0n);
        const { sqrtPriceCurrentX96: cur, sqrtPriceTargetX96: target, liquidity, feePips } = c;
        const sIn = computeSwapStep(cur, target, liquidity, c.amountRemaining, feePips);
        // when the output is all the range up to the target can give, an exact-output step is
        // capped at the target, wherever the exact-input step stopped (the output is flat there)
        const outToTarget = cur >= target ? getAmount1Delta(target, cur, liquidity, false) : getAmount0Delta(cur, target, liquidity, false);
        fc.pre(sIn.amountOut > 0n && sIn.amountOut < outToTarget && feePips < MAX_SWAP_FEE);
        checked++;
        const sOut = computeSwapStep(cur, target, liquidity, sIn.amountOut, feePips);
        expect(sOut.amountOut).toBe(sIn.amountOut);
        expect(sOut.amountIn <= sIn.amountIn).toBe(true);
        expect(sOut.amountIn + sOut.feeAmount <= sIn.amountIn + sIn.feeAmount).toBe(true);
        // and the exact-out price move is no larger than the exact-in one
        if (cur >= target) expect(sOut.sqrtPriceNextX96 >= sIn.sqrtPriceNextX96).toBe(true);
        else expect(sOut.sqrtPriceNextX96 <= sIn.sqrtPriceNextX96).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('reproduces SwapMath.t.sol vectors', () => {
    let s = computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_101_100, 2n * ETHER, -ETHER, 600);
    expect(s).toEqual({ sqrtPriceNextX96: SQRT_PRICE_101_100, amountIn: 9975124224178055n, amountOut: 9925619580021728n, feeAmount: 5988667735148n });
    expect(s.sqrtPriceNextX96 < getNextSqrtPriceFromInput(SQRT_PRICE_1_1, 2n * ETHER, ETHER, false)).toBe(true);

    s = computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_101_100, 2n * ETHER, ETHER, 600);
    expect(s).toEqual({ sqrtPriceNextX96: SQRT_PRICE_101_100, amountIn: 9975124224178055n, amountOut: 9925619580021728n, feeAmount: 5988667735148n });

    s = computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_1000_100, 2n * ETHER, -ETHER, 600);
    expect(s.amountIn).toBe(999400000000000000n);
    expect(s.amountOut).toBe(666399946655997866n);
    expect(s.feeAmount).toBe(600000000000000n);
    expect(s.sqrtPriceNextX96).toBe(getNextSqrtPriceFromInput(SQRT_PRICE_1_1, 2n * ETHER, ETHER - s.feeAmount, false));
    expect(s.sqrtPriceNextX96 < SQRT_PRICE_1000_100).toBe(true);

    s = computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_10000_100, 2n * ETHER, ETHER, 600);
    expect(s.amountIn).toBe(2000000000000000000n);
    expect(s.feeAmount).toBe(1200720432259356n);
    expect(s.amountOut).toBe(ETHER);
    expect(s.sqrtPriceNextX96).toBe(getNextSqrtPriceFromOutput(SQRT_PRICE_1_1, 2n * ETHER, ETHER, false));

    s = computeSwapStep(417332158212080721273783715441582n, 1452870262520218020823638996n, 159344665391607089467575320103n, 1n, 1);
    expect(s).toEqual({ sqrtPriceNextX96: 417332158212080721273783715441581n, amountIn: 1n, amountOut: 1n, feeAmount: 1n });

    s = computeSwapStep(2n, 1n, 1n, -3915081100057732413702495386755767n, 1);
    expect(s).toEqual({ sqrtPriceNextX96: 1n, amountIn: SQRT_PRICE_1_4, amountOut: 0n, feeAmount: 39614120871253040049813n });

    s = computeSwapStep(2413n, 79887613182836312n, 1985041575832132834610021537970n, -10n, 1872);
    expect(s).toEqual({ sqrtPriceNextX96: 2413n, amountIn: 9n, amountOut: 0n, feeAmount: 1n });

    const sqrtP = 20282409603651670423947251286016n;
    s = computeSwapStep(sqrtP, (sqrtP * 11n) / 10n, 1024n, 4n, 3000);
    expect(s).toEqual({ sqrtPriceNextX96: (sqrtP * 11n) / 10n, amountIn: 26215n, amountOut: 0n, feeAmount: 79n });
    s = computeSwapStep(sqrtP, (sqrtP * 9n) / 10n, 1024n, 263000n, 3000);
    expect(s).toEqual({ sqrtPriceNextX96: (sqrtP * 9n) / 10n, amountIn: 1n, amountOut: 26214n, feeAmount: 1n });
  });

  it('throws INVALID_FEE for a fee above 100%, a non-integer fee, or 100% on exact output; allows 100% on exact input', () => {
    expect(codeOf(() => computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_101_100, ETHER, -ETHER, MAX_SWAP_FEE + 1))).toBe('INVALID_FEE');
    expect(codeOf(() => computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_101_100, ETHER, -ETHER, 1.5))).toBe('INVALID_FEE');
    expect(codeOf(() => computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_101_100, ETHER, ETHER, MAX_SWAP_FEE))).toBe('INVALID_FEE');
    const s = computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_101_100, ETHER, -ETHER, MAX_SWAP_FEE);
    expect(s).toEqual({ sqrtPriceNextX96: SQRT_PRICE_1_1, amountIn: 0n, amountOut: 0n, feeAmount: ETHER });
    expect(codeOf(() => computeSwapStep(SQRT_PRICE_1_1, SQRT_PRICE_101_100, ETHER, -(1n << 256n), 3000))).toBe('OUT_OF_RANGE');
  });
});
