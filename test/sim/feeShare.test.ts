/**
 * Our position earns its share of the pool's fees, not the whole fee: with the other LPs'
 * liquidity L_bg and ours L in range, a market move inside one initialized-tick interval pays
 * the pool a fee F (exactly as SwapMath computes it from the move), and our fees are
 * F·L/(L + L_bg) to the rounding of fee growth. Out of range a position earns nothing while
 * the pool keeps earning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PoolDescriptor } from '../../src/actors/ports.js';
import { mulDivRoundingUp } from '../../src/math/fullMath.js';
import { getAmount0Delta, getAmount1Delta } from '../../src/math/sqrtPriceMath.js';
import { getSqrtPriceAtTick } from '../../src/math/tickMath.js';
import { sqrtPriceX96ToHumanPrice } from '../../src/sim/humanSqrtPrice.js';
import type { SimulatedChain } from '../../src/sim/simulatedChain.js';
import { ETH_USDC, USDC_WETH, amountsFor, newChain, rangeAround } from './support.js';

/** A human price a fraction f of the way from the current sqrt price to `to` (same interval). */
function priceBetween(desc: PoolDescriptor, from: bigint, to: bigint, f: number): number {
  const target = from + ((to - from) * BigInt(Math.round(f * 1e6))) / 1_000_000n;
  return sqrtPriceX96ToHumanPrice(target, desc.token0.decimals, desc.token1.decimals);
}

/** The sqrt price of the nearest initialized tick above (up) or at/below (down) the pool's tick. */
function intervalEnd(chain: SimulatedChain, desc: PoolDescriptor, up: boolean): bigint {
  const { tick, ticks } = chain.poolState(desc.poolId);
  const initialized = ticks.map((t) => t.tick);
  const next = up ? Math.min(...initialized.filter((t) => t > tick)) : Math.max(...initialized.filter((t) => t <= tick));
  return getSqrtPriceAtTick(next);
}

describe('SimulatedChain fees: our pro-rata share of the pool fee', () => {
  it('property: in range, a move inside one tick interval pays us F·L/(L + L_bg) of the fee F', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(ETH_USDC, USDC_WETH),
        fc.record({
          usd0: fc.double({ min: 1_000, max: 200_000, noNaN: true }),
          usd1: fc.double({ min: 1_000, max: 200_000, noNaN: true }),
          lowerOffset: fc.integer({ min: -30, max: -1 }),
          width: fc.integer({ min: 32, max: 80 }),
          up: fc.boolean(),
          f: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        }),
        async (desc, o) => {
          const chain = newChain(desc);
          const before0 = await chain.poolSnapshot(desc.poolId);
          const { tickLower, tickUpper } = rangeAround(desc, before0.tick, o.lowerOffset, o.width);
          const { amount0, amount1 } = amountsFor(desc, o.usd0, o.usd1);
          const { position } = await chain.mint({ poolId: desc.poolId, tickLower, tickUpper, amount0Max: amount0, amount1Max: amount1 });
          const before = await chain.poolSnapshot(desc.poolId);
          const paidBefore = chain.marketPaidIn(desc.poolId);
          const L = position.liquidity;
          const total = before.liquidity;
          expect(L).toBeGreaterThan(0n);
          expect(total - L).toBeGreaterThan(L); // the other LPs hold the majority

          const after = chain.setPrice(desc.poolId, priceBetween(desc, before.sqrtPriceX96, intervalEnd(chain, desc, o.up), o.f));
          expect(after.liquidity).toBe(total); // no initialized tick crossed
          expect(after.sqrtPriceX96 > before.sqrtPriceX96).toBe(o.up);

          // the fee the trader paid, from SwapMath's rules for one step that reaches its target
          const zeroForOne = !o.up;
          const amountIn = zeroForOne
            ? getAmount0Delta(after.sqrtPriceX96, before.sqrtPriceX96, total, true)
            : getAmount1Delta(before.sqrtPriceX96, after.sqrtPriceX96, total, true);
          const fee = mulDivRoundingUp(amountIn, BigInt(desc.fee), 1_000_000n - BigInt(desc.fee));
          const paid = chain.marketPaidIn(desc.poolId);
          expect(zeroForOne ? paid.amount0 - paidBefore.amount0 : paid.amount1 - paidBefore.amount1).toBe(amountIn + fee);

          const ours = await chain.positionFees(position);
          const earned = zeroForOne ? ours.fees0 : ours.fees1;
          expect(zeroForOne ? ours.fees1 : ours.fees0).toBe(0n);
          // earned = floor(floor(F·2^128/Ltot)·L/2^128): F·L/Ltot − earned ∈ [0, 1 + L/2^128)
          const gap = fee * L - earned * total;
          expect(gap).toBeGreaterThanOrEqual(0n);
          expect(gap).toBeLessThan(2n * total);
          expect(earned).toBeLessThan(fee / 2n + 1n);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('alone in the pool (no other LPs), the position earns the whole fee but for rounding', async () => {
    const desc = ETH_USDC;
    const chain = newChain(desc, 3000, { bands: [] });
    const tick = (await chain.poolSnapshot(desc.poolId)).tick;
    const { tickLower, tickUpper } = rangeAround(desc, tick, -20, 40);
    const { position } = await chain.mint({ poolId: desc.poolId, tickLower, tickUpper, amount0Max: 5n * 10n ** 18n, amount1Max: 15_000n * 10n ** 6n });
    chain.setPrice(desc.poolId, 3030);
    const paid = chain.marketPaidIn(desc.poolId).amount1;
    const fee = paid - paid * 997_000n / 1_000_000n; // about 0.3% of what the trader paid in
    const ours = await chain.positionFees(position);
    expect(Number(ours.fees1)).toBeGreaterThan(Number(fee) * 0.99);
    expect(ours.fees1).toBeLessThanOrEqual(fee + 1n);
  });

  it('property: out of range a position earns nothing while in-range LPs earn; back in range it earns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(ETH_USDC, USDC_WETH),
        fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: 1, maxLength: 8 }),
        async (desc, fractions) => {
          const chain = newChain(desc);
          const tick = (await chain.poolSnapshot(desc.poolId)).tick;
          // a range entirely above the price: token0 only
          const { tickLower, tickUpper } = rangeAround(desc, tick, 10, 20);
          const max = amountsFor(desc, 20_000, 20_000);
          const { position, amount1 } = await chain.mint({ poolId: desc.poolId, tickLower, tickUpper, amount0Max: max.amount0, amount1Max: max.amount1 });
          expect(amount1).toBe(0n);
          const low = getSqrtPriceAtTick(tick - 50 * desc.tickSpacing);
          const high = getSqrtPriceAtTick(tickLower) - 1n;
          const growth0 = chain.poolState(desc.poolId).feeGrowthGlobal0X128;
          for (const f of fractions) chain.setPrice(desc.poolId, priceBetween(desc, low, high, f));
          expect(await chain.positionFees(position)).toEqual({ fees0: 0n, fees1: 0n });
          const st = chain.poolState(desc.poolId);
          expect(st.feeGrowthGlobal0X128 + st.feeGrowthGlobal1X128).toBeGreaterThan(growth0);
          // positive control: into the range and back out, it earns
          chain.setPrice(desc.poolId, sqrtPriceX96ToHumanPrice(getSqrtPriceAtTick(tickLower + 5 * desc.tickSpacing), desc.token0.decimals, desc.token1.decimals));
          chain.setPrice(desc.poolId, priceBetween(desc, low, high, 0.5));
          const fees = await chain.positionFees(position);
          expect(fees.fees0 + fees.fees1).toBeGreaterThan(0n);
        },
      ),
      { numRuns: 40 },
    );
  });
});
