/**
 * Differential test of the pool model against Uniswap's own JavaScript: @uniswap/v4-sdk's Pool
 * (its swap is @uniswap/v3-sdk's v3Swap). 20,000 random swaps (>= 10,000 of them crossing two or
 * more initialized ticks) through 400 pools with 4-16 positions each, every swap run in both from
 * the same state.
 *
 * Where the algorithms agree (every swap below, except the class described next) the SDK and the
 * model give identical sqrtPriceX96, tick, liquidity and amounts: the output of an exact-input
 * swap, the input of an exact-output swap, and (when the price limit is not reached) the full
 * specified amount consumed.
 *
 * Where they do not: v4's SwapMath.computeSwapStep, on an exact-input step whose remaining input
 * (less fee) is below what reaching the target needs, takes amountIn = amountRemainingLessFee and
 * fee = amountRemaining - amountIn. v3 (and the SDK) decide "reached the target" by comparing the
 * new price with the target, and on a step that stops short recompute amountIn from the new price
 * and put the rounding into the fee. Findings:
 *  - Totals agree: in both, such a step consumes all that remains (amountIn + fee =
 *    amountRemaining) and the new price and amountOut come from the same
 *    getNextSqrtPriceFromInput(amountRemainingLessFee); only the amountIn/fee split differs, which
 *    moves fee growth (the SDK keeps none). That split is tested directly from the Solidity in
 *    pool.test.ts, where it is also shown to differ from v3's recomputation.
 *  - The one case where totals could differ is a stopped-short step whose new price lands exactly
 *    on the target (v3 would then treat it as reached, book the full amountIn and go on). The
 *    rounding directions rule it out in practice: with amountRemainingLessFee below the rounded-up
 *    amount to the target, getNextSqrtPriceFromInput (rounding the price against the swapper)
 *    stays short of the target. The test detects that case per swap from the model's steps, would
 *    allow a mismatch only there, and counts it (0 in these runs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INT128 } from '../../../src/math/fixedPoint.js';
import { PoolError, type PoolSwapStep, type SwapResult } from '../../../src/math/pool/index.js';
import { getAmount0Delta, getAmount1Delta } from '../../../src/math/sqrtPriceMath.js';
import { buildPool, poolSpecArb, swapParams, swapSpecArb } from './poolArbitraries.js';
import { sdkSwap, sdkTickProvider, sdkTicks, sdkV3Swap, toSdkPool } from './sdkOracle.js';

const SWAPS_PER_POOL = 50;
const POOLS = 400;

describe('pool model vs @uniswap/v4-sdk Pool (v3Swap) on random multi-tick swaps', () => {
  it(`agrees on price, tick, liquidity and amounts over ${POOLS * SWAPS_PER_POOL} swaps`, async () => {
    let swaps = 0;
    let ticksCrossed = 0;
    let multiTick = 0;
    let crossing = 0;
    let multiStep = 0;
    let limited = 0;
    let divergentSteps = 0;
    let mismatches = 0;
    let reverted = 0;
    let viaSdkPool = 0;
    await fc.assert(
      fc.asyncProperty(poolSpecArb, fc.array(swapSpecArb, { minLength: SWAPS_PER_POOL, maxLength: SWAPS_PER_POOL }), async (spec, swapSpecs) => {
        const pool = buildPool(spec);
        const ticks = sdkTicks(pool);
        const provider = sdkTickProvider(pool);
        for (const s of swapSpecs) {
          const params = swapParams(pool, spec, s);
          const steps: PoolSwapStep[] = [];
          const ref = await sdkV3Swap(pool, provider, params.zeroForOne, params.amountSpecified, params.sqrtPriceLimitX96);
          if (swaps % 25 === 0) {
            // the v4-sdk Pool wrapper runs this same v3Swap: check it on a sample
            const viaPool = await sdkSwap(toSdkPool(pool, ticks), params.zeroForOne, params.amountSpecified, params.sqrtPriceLimitX96);
            expect(viaPool).toEqual(ref);
            viaSdkPool++;
          }
          swaps++;
          let ours: SwapResult;
          try {
            ours = pool.swap({ ...params, onStep: (st) => steps.push(st) });
          } catch (e) {
            // the chain reverts when an amount does not fit int128 (SafeCast); the SDK has no such bound
            expect(e).toBeInstanceOf(PoolError);
            expect((e as PoolError).code).toBe('SafeCastOverflow');
            expect((ref.amountIn ?? ref.amountOut ?? 0n) > MAX_INT128 || -params.amountSpecified > MAX_INT128).toBe(true);
            reverted++;
            continue;
          }
          ticksCrossed += ours.ticksCrossed;
          if (ours.ticksCrossed > 1) multiTick++;
          if (ours.ticksCrossed > 0) crossing++;
          if (steps.length > 1) multiStep++;
          if (ours.sqrtPriceX96 === params.sqrtPriceLimitX96) limited++;

          const exactIn = params.amountSpecified < 0n;
          const oursIn = params.zeroForOne ? -ours.amount0 : -ours.amount1;
          const oursOut = params.zeroForOne ? ours.amount1 : ours.amount0;
          // v4-only: an exact-input step that ends exactly on its target price without the input to get there
          let remaining = -params.amountSpecified;
          let divergent = false;
          for (const st of steps) {
            if (exactIn && st.sqrtPriceX96 === st.sqrtPriceTargetX96 && st.amountIn + st.feeAmount === remaining) {
              const need = params.zeroForOne
                ? getAmount0Delta(st.sqrtPriceTargetX96, st.sqrtPriceStartX96, st.liquidity, true)
                : getAmount1Delta(st.sqrtPriceStartX96, st.sqrtPriceTargetX96, st.liquidity, true);
              if (st.amountIn < need) divergent = true;
            }
            remaining -= st.amountIn + st.feeAmount;
          }
          if (divergent) divergentSteps++;

          const agree =
            ours.sqrtPriceX96 === ref.sqrtPriceX96 &&
            ours.tick === ref.tick &&
            ours.liquidity === ref.liquidity &&
            (exactIn ? oursOut === ref.amountOut : oursIn === ref.amountIn);
          if (!agree) {
            mismatches++;
            // the only mismatch allowed is the v4-only case above
            expect(divergent, `mismatch outside the v4-only case: ${JSON.stringify({ params, ours, ref }, big)}`).toBe(true);
            continue;
          }
          if (ours.sqrtPriceX96 !== params.sqrtPriceLimitX96) {
            // not stopped by the limit: the whole specified amount was swapped
            expect(exactIn ? oursIn : oursOut).toBe(exactIn ? -params.amountSpecified : params.amountSpecified);
          }
        }
      }),
      { numRuns: POOLS, seed: 20261124 },
    );
    console.log(
      `pool differential: ${swaps} swaps, ${ticksCrossed} initialized ticks crossed, ${crossing} crossing >= 1 initialized tick, ${multiTick} crossing >= 2, ${multiStep} of more than one step, ` +
        `${limited} stopped at their price limit, ${divergentSteps} v4-only exact-in landings, ${mismatches} mismatches (all v4-only), ${reverted} reverted (int128 overflow), ${viaSdkPool} also run through v4-sdk Pool`,
    );
    expect(swaps).toBeGreaterThanOrEqual(20_000);
    // >= 10,000 of them cross two or more initialized ticks
    expect(multiTick).toBeGreaterThanOrEqual(10_000);
    expect(limited).toBeGreaterThan(1000);
  });
});

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
