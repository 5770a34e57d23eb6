/**
 * Property tests of the pool model (fast-check): swaps never create tokens, exact-in and
 * exact-out agree, fee growth never decreases, liquidity bookkeeping stays consistent, and the
 * pool never owes more than it holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pool, PoolError, type SwapParams, type SwapResult } from '../../../src/math/pool/index.js';
import { MAX_SQRT_PRICE, MIN_SQRT_PRICE } from '../../../src/math/tickMath.js';
import { OWNER, buildPool, logAmount, poolSpecArb, positionRange, saltOf, swapParams, swapSpecArb } from './poolArbitraries.js';

const RUNS = 150;

/**
 * Runs a swap; when it reverts because an amount overflows int128 (as the chain does for an
 * exact output that drains a pool), checks that the pool is unchanged and returns null.
 */
function swapOrRevert(pool: Pool, params: SwapParams): SwapResult | null {
  const before = pool.clone();
  try {
    return pool.swap(params);
  } catch (e) {
    expect(e).toBeInstanceOf(PoolError);
    expect((e as PoolError).code).toBe('SafeCastOverflow');
    expect(pool.getSlot0()).toEqual(before.getSlot0());
    expect(pool.getLiquidity()).toBe(before.getLiquidity());
    expect(pool.getFeeGrowthGlobals()).toEqual(before.getFeeGrowthGlobals());
    expect(pool.initializedTicks()).toEqual(before.initializedTicks());
    return null;
  }
}

describe('pool model properties', () => {
  it('a swap followed by the opposite swap of what it paid out never creates tokens', () => {
    let fullRoundTrips = 0;
    fc.assert(
      fc.property(poolSpecArb, fc.boolean(), logAmount(24), (spec, zeroForOne, amount) => {
        const pool = buildPool(spec);
        const there = pool.swap({
          zeroForOne,
          amountSpecified: -amount,
          sqrtPriceLimitX96: zeroForOne ? MIN_SQRT_PRICE + 1n : MAX_SQRT_PRICE - 1n,
        });
        const received = zeroForOne ? there.amount1 : there.amount0;
        if (received === 0n) return;
        const back = pool.swap({
          zeroForOne: !zeroForOne,
          amountSpecified: -received,
          sqrtPriceLimitX96: zeroForOne ? MAX_SQRT_PRICE - 1n : MIN_SQRT_PRICE + 1n,
        });
        const net0 = there.amount0 + back.amount0;
        const net1 = there.amount1 + back.amount1;
        expect(net0 <= 0n && net1 <= 0n, `net ${net0} ${net1}`).toBe(true);
        fullRoundTrips++;
      }),
      { numRuns: RUNS * 2, seed: 1 },
    );
    expect(fullRoundTrips).toBeGreaterThan(RUNS);
  });

  it('exact output of what an exact input paid out costs no more than that input, and that input buys at least it', () => {
    let compared = 0;
    fc.assert(
      fc.property(poolSpecArb, fc.boolean(), logAmount(22), (spec, zeroForOne, amount) => {
        const pool = buildPool(spec);
        const limit = zeroForOne ? MIN_SQRT_PRICE + 1n : MAX_SQRT_PRICE - 1n;
        const exactIn = pool.clone().swap({ zeroForOne, amountSpecified: -amount, sqrtPriceLimitX96: limit });
        const paid = zeroForOne ? -exactIn.amount0 : -exactIn.amount1;
        const got = zeroForOne ? exactIn.amount1 : exactIn.amount0;
        if (paid !== amount || got === 0n) return; // stopped at the price limit: nothing to compare
        const exactOut = pool.clone().swap({ zeroForOne, amountSpecified: got, sqrtPriceLimitX96: limit });
        const cost = zeroForOne ? -exactOut.amount0 : -exactOut.amount1;
        const out = zeroForOne ? exactOut.amount1 : exactOut.amount0;
        expect(out).toBe(got);
        expect(cost <= amount, `cost ${cost} > ${amount}`).toBe(true);
        const again = pool.clone().swap({ zeroForOne, amountSpecified: -cost, sqrtPriceLimitX96: limit });
        expect((zeroForOne ? again.amount1 : again.amount0) >= got).toBe(true);
        // the exact-output swap moves the price no further than the exact-input one
        if (zeroForOne) expect(exactOut.sqrtPriceX96 >= exactIn.sqrtPriceX96).toBe(true);
        else expect(exactOut.sqrtPriceX96 <= exactIn.sqrtPriceX96).toBe(true);
        compared++;
      }),
      { numRuns: RUNS * 2, seed: 2 },
    );
    expect(compared).toBeGreaterThan(RUNS / 2);
  });

  it('keeps fee growth monotone, liquidity bookkeeping consistent and the pool solvent through random operations', () => {
    const opArb = fc.oneof(
      { weight: 4, arbitrary: swapSpecArb.map((s) => ({ kind: 'swap' as const, s })) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('modify' as const),
          position: fc.integer({ min: 0, max: 7 }),
          fraction: fc.integer({ min: -100, max: 100 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('donate' as const), a0: logAmount(18), a1: logAmount(18) }) },
    );
    fc.assert(
      fc.property(poolSpecArb, fc.array(opArb, { minLength: 5, maxLength: 40 }), (spec, ops) => {
        const pool = new Pool({ tickSpacing: spec.tickSpacing, fee: spec.fee });
        const slot = buildPool(spec).getSlot0();
        pool.initialize(slot.sqrtPriceX96);
        // reserves held by the pool = -(sum of every caller delta)
        let reserve0 = 0n;
        let reserve1 = 0n;
        const ranges = spec.positions.map((p) => positionRange(spec, p));
        const held = spec.positions.map(() => 0n);
        spec.positions.forEach((p, i) => {
          const r = pool.modifyLiquidity({ owner: OWNER, ...ranges[i]!, liquidityDelta: p.liquidity, salt: saltOf(i) });
          reserve0 -= r.callerDelta.amount0;
          reserve1 -= r.callerDelta.amount1;
          held[i] = p.liquidity;
        });
        let growth = pool.getFeeGrowthGlobals();
        const inside = ranges.map((r) => pool.getFeeGrowthInside(r.tickLower, r.tickUpper));

        for (const op of ops) {
          if (op.kind === 'swap') {
            const res = swapOrRevert(pool, swapParams(pool, spec, op.s));
            if (res === null) continue;
            reserve0 -= res.amount0;
            reserve1 -= res.amount1;
          } else if (op.kind === 'modify') {
            const i = op.position % ranges.length;
            const delta = op.fraction >= 0 ? (spec.positions[i]!.liquidity * BigInt(op.fraction)) / 100n : (held[i]! * BigInt(op.fraction)) / 100n;
            if (delta === 0n && held[i] === 0n) continue;
            const r = pool.modifyLiquidity({ owner: OWNER, ...ranges[i]!, liquidityDelta: delta, salt: saltOf(i) });
            reserve0 -= r.callerDelta.amount0;
            reserve1 -= r.callerDelta.amount1;
            held[i] = held[i]! + delta;
            expect(r.feesAccrued.amount0 >= 0n && r.feesAccrued.amount1 >= 0n).toBe(true);
          } else {
            if (pool.getLiquidity() === 0n) continue;
            const d = pool.donate(op.a0, op.a1);
            reserve0 -= d.amount0;
            reserve1 -= d.amount1;
          }
          expect(reserve0 >= 0n && reserve1 >= 0n, `pool owes more than it holds: ${reserve0} ${reserve1}`).toBe(true);

          const g = pool.getFeeGrowthGlobals();
          expect(g.feeGrowthGlobal0X128 >= growth.feeGrowthGlobal0X128).toBe(true);
          expect(g.feeGrowthGlobal1X128 >= growth.feeGrowthGlobal1X128).toBe(true);
          growth = g;
          ranges.forEach((r, i) => {
            const f = pool.getFeeGrowthInside(r.tickLower, r.tickUpper);
            if (held[i]! > 0n) {
              expect(f.feeGrowthInside0X128 >= inside[i]!.feeGrowthInside0X128).toBe(true);
              expect(f.feeGrowthInside1X128 >= inside[i]!.feeGrowthInside1X128).toBe(true);
            }
            inside[i] = f;
          });

          // bookkeeping: sum of liquidityNet is 0, gross and net per tick match the positions,
          // and in-range liquidity is the sum of positions whose range holds the current tick
          const ticks = pool.initializedTicks();
          expect(ticks.reduce((acc, t) => acc + t.info.liquidityNet, 0n)).toBe(0n);
          const gross = new Map<number, bigint>();
          const net = new Map<number, bigint>();
          let inRange = 0n;
          const tick = pool.getSlot0().tick;
          ranges.forEach((r, i) => {
            const l = held[i]!;
            if (l === 0n) return;
            gross.set(r.tickLower, (gross.get(r.tickLower) ?? 0n) + l);
            gross.set(r.tickUpper, (gross.get(r.tickUpper) ?? 0n) + l);
            net.set(r.tickLower, (net.get(r.tickLower) ?? 0n) + l);
            net.set(r.tickUpper, (net.get(r.tickUpper) ?? 0n) - l);
            if (r.tickLower <= tick && tick < r.tickUpper) inRange += l;
            expect(pool.getPosition(OWNER, r.tickLower, r.tickUpper, saltOf(i)).liquidity).toBe(l);
          });
          expect(ticks.map((t) => t.tick)).toEqual([...gross.keys()].sort((a, b) => a - b));
          for (const t of ticks) {
            expect(t.info.liquidityGross).toBe(gross.get(t.tick));
            expect(t.info.liquidityNet).toBe(net.get(t.tick));
          }
          expect(pool.getLiquidity()).toBe(inRange);
        }

        // withdraw everything with its fees: the pool still holds >= 0 of each token (dust only)
        ranges.forEach((r, i) => {
          if (held[i] === 0n) return;
          const res = pool.modifyLiquidity({ owner: OWNER, ...r, liquidityDelta: -held[i]!, salt: saltOf(i) });
          reserve0 -= res.callerDelta.amount0;
          reserve1 -= res.callerDelta.amount1;
        });
        expect(reserve0 >= 0n && reserve1 >= 0n, `insolvent after withdrawal: ${reserve0} ${reserve1}`).toBe(true);
        expect(pool.initializedTicks()).toEqual([]);
        expect(pool.getLiquidity()).toBe(0n);
      }),
      { numRuns: RUNS, seed: 3 },
    );
  });

  it('adding then removing the same liquidity returns no more than was paid in', () => {
    fc.assert(
      fc.property(poolSpecArb, fc.integer({ min: -60, max: 60 }), fc.integer({ min: 1, max: 50 }), logAmount(24), (spec, lo, w, liquidity) => {
        const pool = buildPool(spec);
        const { tickLower, tickUpper } = positionRange(spec, { lowerOffset: lo, width: w, liquidity, fullRange: false });
        const add = pool.modifyLiquidity({ owner: OWNER, tickLower, tickUpper, liquidityDelta: liquidity + 1n, salt: saltOf(99) });
        const remove = pool.modifyLiquidity({ owner: OWNER, tickLower, tickUpper, liquidityDelta: -(liquidity + 1n), salt: saltOf(99) });
        expect(add.callerDelta.amount0 <= 0n && add.callerDelta.amount1 <= 0n).toBe(true);
        expect(remove.callerDelta.amount0 <= -add.callerDelta.amount0).toBe(true);
        expect(remove.callerDelta.amount1 <= -add.callerDelta.amount1).toBe(true);
        expect(add.callerDelta.amount0 + remove.callerDelta.amount0 >= -1n).toBe(true);
        expect(add.callerDelta.amount1 + remove.callerDelta.amount1 >= -1n).toBe(true);
      }),
      { numRuns: RUNS * 2, seed: 4 },
    );
  });
});
