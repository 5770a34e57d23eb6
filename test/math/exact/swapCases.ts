/** Random inputs for SwapMath.computeSwapStep that reach every branch of the Solidity. */
import fc from 'fast-check';
import { MAX_TICK, MIN_TICK, getAmount0Delta, getAmount1Delta, getSqrtPriceAtTick, getTickAtSqrtPrice } from '../../../src/math/index.js';
import { feePipsArb, liquidityArb, logUniformBigInt, sqrtPriceArb } from './arbitraries.js';

/** One computeSwapStep input, amountRemaining in v4's sign convention (negative = exact input). */
export interface SwapStepCase {
  sqrtPriceCurrentX96: bigint;
  sqrtPriceTargetX96: bigint;
  liquidity: bigint;
  amountRemaining: bigint;
  feePips: number;
}

/** A target a few ticks to a few thousand ticks away from the current price, or anywhere. */
const targetArb = (current: bigint): fc.Arbitrary<bigint> => {
  const tick = getTickAtSqrtPrice(current);
  return fc.oneof(
    fc.integer({ min: -5000, max: 5000 }).map((d) => getSqrtPriceAtTick(Math.min(MAX_TICK - 1, Math.max(MIN_TICK, tick + d)))),
    sqrtPriceArb,
    fc.constant(current),
  );
};

/**
 * A swap step whose |amountRemaining| is a random fraction (0..2x) of the amount that reaches
 * the target — so steps that stop short and steps capped at the target are both common — or
 * log-uniform over int256. `exactIn` fixes the sign when given.
 */
export const swapStepCaseArb = (exactIn?: boolean): fc.Arbitrary<SwapStepCase> =>
  sqrtPriceArb.chain((sqrtPriceCurrentX96) =>
    fc
      .tuple(targetArb(sqrtPriceCurrentX96), liquidityArb(), feePipsArb, exactIn === undefined ? fc.boolean() : fc.constant(exactIn))
      .chain(([sqrtPriceTargetX96, liquidity, feePips, isExactIn]) => {
        const zeroForOne = sqrtPriceCurrentX96 >= sqrtPriceTargetX96;
        const toTarget = isExactIn
          ? zeroForOne
            ? getAmount0Delta(sqrtPriceTargetX96, sqrtPriceCurrentX96, liquidity, true)
            : getAmount1Delta(sqrtPriceCurrentX96, sqrtPriceTargetX96, liquidity, true)
          : zeroForOne
            ? getAmount1Delta(sqrtPriceTargetX96, sqrtPriceCurrentX96, liquidity, false)
            : getAmount0Delta(sqrtPriceCurrentX96, sqrtPriceTargetX96, liquidity, false);
        const relative = fc.bigInt({ min: 0n, max: 1n << 33n }).map((k) => (toTarget * k) >> 32n);
        return fc
          .oneof({ weight: 6, arbitrary: relative }, { weight: 1, arbitrary: logUniformBigInt(200) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 1000n }) })
          .filter((a) => a > 0n)
          .map((a) => ({ sqrtPriceCurrentX96, sqrtPriceTargetX96, liquidity, amountRemaining: isExactIn ? -a : a, feePips }));
      }),
  );
