/**
 * The re-balancing swap planned on our exact pool model: after the planned swap (on the same
 * model, its fee and price impact included) the holdings fund the new range with next to nothing
 * left over, for random pools, holdings and ranges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WHOLE_PRICE_RANGE, quoteOnModel } from '../../../src/adapters/chain/swap/exactInQuote.js';
import { planRebalanceOnModel, type Holdings } from '../../../src/adapters/chain/swap/rebalancePlan.js';
import { getAmountsForLiquidity, getLiquidityForAmounts } from '../../../src/math/liquidityAmounts.js';
import { MAX_TICK, MIN_TICK, getSqrtPriceAtTick } from '../../../src/math/tickMath.js';
import type { Pool } from '../../../src/math/pool/index.js';
import { buildPool, logAmount, poolSpecArb } from '../../math/pool/poolArbitraries.js';

const whole = WHOLE_PRICE_RANGE;

/** Value (in token1, float) left over when `h` funds the largest liquidity on the range at sqrt price `s`. */
function leftover(s: bigint, tickLower: number, tickUpper: number, h: Holdings): { left: number; total: number } {
  const sa = getSqrtPriceAtTick(tickLower);
  const sb = getSqrtPriceAtTick(tickUpper);
  const p = (Number(s) / 2 ** 96) ** 2;
  const l = getLiquidityForAmounts(s, sa, sb, h.amount0, h.amount1);
  const used = getAmountsForLiquidity(s, sa, sb, l);
  return { left: Number(h.amount0 - used.amount0) * p + Number(h.amount1 - used.amount1), total: Number(h.amount0) * p + Number(h.amount1) };
}

function after(model: Pool, zeroForOne: boolean, amountIn: bigint, have: Holdings): { s: bigint; h: Holdings } {
  const q = quoteOnModel({ pool: model, knownRange: whole }, zeroForOne, amountIn)!;
  return {
    s: q.sqrtPriceX96After,
    h: zeroForOne ? { amount0: have.amount0 - q.amountIn, amount1: have.amount1 + q.amountOut } : { amount0: have.amount0 + q.amountOut, amount1: have.amount1 - q.amountIn },
  };
}

const caseArb = fc.record({
  spec: poolSpecArb.map((s) => ({ ...s, positions: [...s.positions, { lowerOffset: 0, width: 1, liquidity: 10n ** 24n, fullRange: true }] })),
  have: fc.record({ amount0: fc.oneof(fc.constant(0n), logAmount(20)), amount1: fc.oneof(fc.constant(0n), logAmount(20)) }),
  lowerOffset: fc.integer({ min: -60, max: 10 }),
  width: fc.integer({ min: 2, max: 80 }),
});

describe('planRebalanceOnModel', () => {
  it('after the planned swap the holdings fit the new range: the leftover is a rounding error', () => {
    let planned = 0;
    fc.assert(fc.property(caseArb, ({ spec, have, lowerOffset, width }) => {
      const pool = buildPool(spec);
      const s = spec.tickSpacing;
      const centre = Math.floor(pool.getSlot0().tick / s) * s;
      const tickLower = Math.max(centre + lowerOffset * s, Math.ceil(MIN_TICK / s) * s);
      const tickUpper = Math.min(tickLower + width * s, Math.floor(MAX_TICK / s) * s);
      fc.pre(tickLower < tickUpper);
      const plan = planRebalanceOnModel({ pool, knownRange: whole }, have, { tickLower, tickUpper }, have);
      if (plan === null) return;
      planned++;
      const a = after(pool, plan.zeroForOne, plan.amountIn, have);
      expect(a.s).toBe(plan.quote.sqrtPriceX96After);
      const { left, total } = leftover(a.s, tickLower, tickUpper, a.h);
      // amounts are whole units: a unit of the scarce token the range needs stands for `ratio`
      // units' worth of the other, so the leftover is bounded by a few units times that ratio
      const p = (Number(a.s) / 2 ** 96) ** 2;
      const need = getAmountsForLiquidity(a.s, getSqrtPriceAtTick(tickLower), getSqrtPriceAtTick(tickUpper), 10n ** 30n);
      const v0 = Number(need.amount0) * p;
      const v1 = Number(need.amount1);
      const ratio = v0 === 0 || v1 === 0 ? 1 : Math.max(v0 / v1, v1 / v0);
      expect(left).toBeLessThanOrEqual(total * 1e-6 + 4 * (p + 1) * (1 + ratio));
    }), { numRuns: 150 });
    expect(planned).toBeGreaterThan(50);
  });

  it('holdings that already fit the range need no swap', () => {
    const pool = buildPool({ tickSpacing: 10, fee: 500, initialTick: 1000, priceFraction: 0.5, positions: [{ lowerOffset: 0, width: 1, liquidity: 10n ** 24n, fullRange: true }] });
    const sa = getSqrtPriceAtTick(900);
    const sb = getSqrtPriceAtTick(1100);
    const fit = getAmountsForLiquidity(pool.getSlot0().sqrtPriceX96, sa, sb, 10n ** 18n);
    expect(planRebalanceOnModel({ pool, knownRange: whole }, fit, { tickLower: 900, tickUpper: 1100 }, fit)).toBeNull();
    const onlyToken1 = planRebalanceOnModel({ pool, knownRange: whole }, { amount0: 0n, amount1: fit.amount1 * 2n }, { tickLower: 900, tickUpper: 1100 }, { amount0: 0n, amount1: fit.amount1 * 2n });
    expect(onlyToken1?.zeroForOne).toBe(false);
    // a float of zero forbids the swap
    expect(planRebalanceOnModel({ pool, knownRange: whole }, { amount0: 0n, amount1: fit.amount1 * 2n }, { tickLower: 900, tickUpper: 1100 }, { amount0: 0n, amount1: 0n })).toBeNull();
  });
});
