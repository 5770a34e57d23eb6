/**
 * SwapMath.sol (v4): the result of swapping within one price range — the next sqrt price and
 * the input, output and fee amounts — with v4's conventions: amountRemaining < 0 means exact
 * input, > 0 exact output; fees in hundredths of a bip (pips).
 *
 * v4 differs from v3 (and the v3-sdk) in one branch: an exact-input step that does not reach its
 * target takes amountIn = amountRemainingLessFee and the rest as fee, where v3 recomputed
 * amountIn from the new price. This file follows v4.
 */
import { MathDomainError } from './errors.js';
import { MAX_UINT256 } from './fixedPoint.js';
import { requireInt256, requireUint128, requireUint160 } from './solidityTypes.js';
import {
  getAmount0DeltaUnchecked as getAmount0Delta,
  getAmount1DeltaUnchecked as getAmount1Delta,
  getNextSqrtPriceFromInputUnchecked as getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutputUnchecked as getNextSqrtPriceFromOutput,
} from './sqrtPriceMath.js';

/** SwapMath.MAX_SWAP_FEE: the swap fee is in hundredths of a bip, so 1e6 is 100%. */
export const MAX_SWAP_FEE = 1_000_000;
const MAX_SWAP_FEE_N = 1_000_000n;

/**
 * FullMath.mulDivRoundingUp(amountIn, feePips, MAX_SWAP_FEE - feePips), inlined for the hot path:
 * the denominator is positive here, and the overflow check is kept although amountIn < 2^193
 * (a uint128 liquidity over a uint160 price range) makes it unreachable.
 */
function feeOnAmountIn(amountIn: bigint, feePips: bigint): bigint {
  const numerator = amountIn * feePips;
  const denominator = MAX_SWAP_FEE_N - feePips;
  const q = numerator / denominator;
  const result = q * denominator === numerator ? q : q + 1n;
  if (result > MAX_UINT256) throw new MathDomainError('OVERFLOW', { amountIn, feePips }, 'fee amount exceeds uint256');
  return result;
}

/**
 * SwapMath.getSqrtPriceTarget: the price a swap step may move to — the next initialized tick's
 * price, unless the swap's price limit comes first: max(next, limit) when zeroForOne, else
 * min(next, limit).
 */
export function getSqrtPriceTarget(zeroForOne: boolean, sqrtPriceNextX96: bigint, sqrtPriceLimitX96: bigint): bigint {
  requireUint160(sqrtPriceNextX96, 'sqrtPriceNextX96');
  requireUint160(sqrtPriceLimitX96, 'sqrtPriceLimitX96');
  // nextOrLimit := xor(lt(sqrtPriceNextX96, sqrtPriceLimitX96), zeroForOne)
  const nextOrLimit = sqrtPriceNextX96 < sqrtPriceLimitX96 !== zeroForOne;
  return nextOrLimit ? sqrtPriceNextX96 : sqrtPriceLimitX96;
}

/** The four results of SwapMath.computeSwapStep. */
export interface SwapStep {
  /** The price after swapping the amount in/out, not to exceed the price target. */
  sqrtPriceNextX96: bigint;
  /** The amount swapped in, of currency0 (zeroForOne) or currency1, excluding the fee. */
  amountIn: bigint;
  /** The amount received, of currency1 (zeroForOne) or currency0. */
  amountOut: bigint;
  /** The amount of input taken as fee. */
  feeAmount: bigint;
}

/**
 * SwapMath.computeSwapStep: swaps within [current, target] given the remaining amount
 * (negative = exact input, positive = exact output), liquidity and fee in pips. For exact input,
 * amountIn + feeAmount never exceeds |amountRemaining|.
 * Throws MathDomainError 'INVALID_FEE' when feePips is not an integer in [0, MAX_SWAP_FEE], or
 * equals MAX_SWAP_FEE on an exact-output step (where the Solidity's mulDivRoundingUp reverts on
 * a zero denominator); 'OUT_OF_RANGE' for arguments outside their Solidity types.
 */
export function computeSwapStep(
  sqrtPriceCurrentX96: bigint,
  sqrtPriceTargetX96: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  feePips: number,
): SwapStep {
  requireUint160(sqrtPriceCurrentX96, 'sqrtPriceCurrentX96');
  requireUint160(sqrtPriceTargetX96, 'sqrtPriceTargetX96');
  requireUint128(liquidity, 'liquidity');
  requireInt256(amountRemaining, 'amountRemaining');
  if (!Number.isInteger(feePips) || feePips < 0 || feePips > MAX_SWAP_FEE) {
    throw new MathDomainError('INVALID_FEE', feePips, `feePips must be an integer in [0, ${MAX_SWAP_FEE}]`);
  }

  const _feePips = BigInt(feePips); // upcast once and cache
  const zeroForOne = sqrtPriceCurrentX96 >= sqrtPriceTargetX96;
  const exactIn = amountRemaining < 0n;

  let sqrtPriceNextX96: bigint;
  let amountIn: bigint;
  let amountOut: bigint;
  let feeAmount: bigint;

  if (exactIn) {
    // uint256(-amountRemaining) is exact for every int256, including type(int256).min
    const amountRemainingAbs = -amountRemaining;
    // FullMath.mulDiv(uint256(-amountRemaining), MAX_SWAP_FEE - _feePips, MAX_SWAP_FEE): the
    // quotient is at most the uint256 numerator, so FullMath's overflow check cannot fire
    const amountRemainingLessFee = (amountRemainingAbs * (MAX_SWAP_FEE_N - _feePips)) / MAX_SWAP_FEE_N;
    amountIn = zeroForOne
      ? getAmount0Delta(sqrtPriceTargetX96, sqrtPriceCurrentX96, liquidity, true)
      : getAmount1Delta(sqrtPriceCurrentX96, sqrtPriceTargetX96, liquidity, true);
    if (amountRemainingLessFee >= amountIn) {
      // `amountIn` is capped by the target price
      sqrtPriceNextX96 = sqrtPriceTargetX96;
      feeAmount =
        _feePips === MAX_SWAP_FEE_N
          ? amountIn // amountIn is always 0 here, as amountRemainingLessFee == 0 and amountRemainingLessFee >= amountIn
          : feeOnAmountIn(amountIn, _feePips);
    } else {
      // exhaust the remaining amount
      amountIn = amountRemainingLessFee;
      sqrtPriceNextX96 = getNextSqrtPriceFromInput(sqrtPriceCurrentX96, liquidity, amountRemainingLessFee, zeroForOne);
      // we didn't reach the target, so take the remainder of the maximum input as fee
      feeAmount = amountRemainingAbs - amountIn;
    }
    amountOut = zeroForOne
      ? getAmount1Delta(sqrtPriceNextX96, sqrtPriceCurrentX96, liquidity, false)
      : getAmount0Delta(sqrtPriceCurrentX96, sqrtPriceNextX96, liquidity, false);
  } else {
    // `feePips` cannot be `MAX_SWAP_FEE` for exact out (the Solidity reverts in mulDivRoundingUp below)
    if (_feePips === MAX_SWAP_FEE_N) {
      throw new MathDomainError('INVALID_FEE', feePips, 'a fee of 100% cannot be used for exact output');
    }
    amountOut = zeroForOne
      ? getAmount1Delta(sqrtPriceTargetX96, sqrtPriceCurrentX96, liquidity, false)
      : getAmount0Delta(sqrtPriceCurrentX96, sqrtPriceTargetX96, liquidity, false);
    if (amountRemaining >= amountOut) {
      // `amountOut` is capped by the target price
      sqrtPriceNextX96 = sqrtPriceTargetX96;
    } else {
      // cap the output amount to not exceed the remaining output amount
      amountOut = amountRemaining;
      sqrtPriceNextX96 = getNextSqrtPriceFromOutput(sqrtPriceCurrentX96, liquidity, amountOut, zeroForOne);
    }
    amountIn = zeroForOne
      ? getAmount0Delta(sqrtPriceNextX96, sqrtPriceCurrentX96, liquidity, true)
      : getAmount1Delta(sqrtPriceCurrentX96, sqrtPriceNextX96, liquidity, true);
    feeAmount = feeOnAmountIn(amountIn, _feePips);
  }

  return { sqrtPriceNextX96, amountIn, amountOut, feeAmount };
}
