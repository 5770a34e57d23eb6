import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PoolFeeTracker } from '../../../src/actors/position/market/poolFeeTracker.js';
import { PositionFeeYield } from '../../../src/actors/position/market/positionFeeYield.js';
import { sqrtPriceX96ToPrice } from '../../../src/math/priceTick.js';
import { newChain, poolDescriptor } from '../support/fixture.js';

const YEAR_S = 365 * 86_400;

describe('pool fee tracker', () => {
  it('property: the running fee sums give what a fresh tracker of the window\'s reads gives, through many window turnovers', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ g0: fc.bigInt({ min: 0n, max: 1n << 100n }), g1: fc.bigInt({ min: 0n, max: 1n << 120n }), l: fc.bigInt({ min: 0n, max: 1n << 90n }), p: fc.double({ min: 1e-9, max: 1e9, noNaN: true }) }), { minLength: 2, maxLength: 300 }),
      fc.integer({ min: 3, max: 40 }),
      (steps, windowSteps) => {
        const tracker = new PoolFeeTracker(windowSteps * 60, 2, 0.0005);
        const reads: Parameters<PoolFeeTracker['add']>[0][] = [];
        // fee growth wraps at 2^256 as on chain: start near the top
        let fg0 = (1n << 256n) - (1n << 101n);
        let fg1 = (1n << 256n) - 5n;
        steps.forEach((st, i) => {
          fg0 = (fg0 + st.g0) % (1n << 256n);
          fg1 = (fg1 + st.g1) % (1n << 256n);
          const read = { at: i * 60_000, feeGrowthGlobal0X128: fg0, feeGrowthGlobal1X128: fg1, liquidity: st.l, price: st.p };
          tracker.add(read);
          reads.push(read);
          while (reads.length > 2 && reads[0]!.at < read.at - windowSteps * 60_000) reads.shift();
          const fresh = new PoolFeeTracker(windowSteps * 60, 2, 0.0005);
          for (const r of reads) fresh.add(r);
          const a = tracker.estimate();
          const b = fresh.estimate();
          if (b === null) return expect(a).toBeNull();
          expect(a!.incomePerLiquidityPerYear).toBe(b.incomePerLiquidityPerYear);
          expect(Math.abs(a!.feesToken1PerYear - b.feesToken1PerYear)).toBeLessThanOrEqual(1e-9 * b.feesToken1PerYear);
        });
      },
    ), { numRuns: 100 });
  });

  it("prices a unit of in-range liquidity at what an in-range position of ours actually earned", async () => {
    const pool = poolDescriptor();
    const chain = newChain([pool]);
    const minted = await chain.mint({ poolId: pool.poolId, tickLower: -887220, tickUpper: 887220, amount0Max: 10n ** 18n, amount1Max: 3000n * 10n ** 6n });
    const tracker = new PoolFeeTracker(86_400, 2, pool.fee / 1e6);
    const read = async (at: number): Promise<void> => {
      const l = await chain.poolLiquidity(pool.poolId);
      tracker.add({ at, feeGrowthGlobal0X128: l.feeGrowthGlobal0X128, feeGrowthGlobal1X128: l.feeGrowthGlobal1X128, liquidity: l.liquidity, price: sqrtPriceX96ToPrice(l.sqrtPriceX96) });
    };
    await read(0);
    expect(tracker.estimate()).toBeNull();
    for (const p of [3030, 2990, 3010, 2995, 3000]) chain.setPrice(pool.poolId, p);
    await read(3_600_000); // one hour later
    const rate = tracker.estimate()!;
    const fees = await chain.positionFees(minted.position);
    const raw = sqrtPriceX96ToPrice((await chain.poolLiquidity(pool.poolId)).sqrtPriceX96);
    const earned = Number(fees.fees0) * raw + Number(fees.fees1);
    expect(earned).toBeGreaterThan(1000);
    // our full-range position was in range for every swap: it earned L × Δ(fee growth), rounded down
    expect(rate.incomePerLiquidityPerYear * Number(minted.position.liquidity) * (3600 / YEAR_S)).toBeCloseTo(earned, -1);
    expect(rate.incomePerLiquidityPerYear).toBeGreaterThan(0);
    expect(rate.volumeToken1PerYear).toBeCloseTo(rate.feesToken1PerYear / (pool.fee / 1e6), 3);
    expect(rate.elapsedSeconds).toBe(3600);
  });

  it('wraps fee growth modulo 2^256 as Solidity does', () => {
    const t = new PoolFeeTracker(86_400, 2, 0.003);
    const max = (1n << 256n) - 1n;
    t.add({ at: 0, feeGrowthGlobal0X128: max, feeGrowthGlobal1X128: 0n, liquidity: 1n, price: 1 });
    t.add({ at: YEAR_S * 1000, feeGrowthGlobal0X128: (1n << 128n) - 1n, feeGrowthGlobal1X128: 0n, liquidity: 1n, price: 1 });
    expect(t.estimate()!.incomePerLiquidityPerYear).toBeCloseTo(1, 12);
  });
});

describe("the position's own fee yield", () => {
  it('annualizes fees over mean value, splits out the time in range and the share of value earning', () => {
    const y = new PositionFeeYield(86_400, 3);
    const h = 3_600_000;
    y.add('1', { at: 0, feesUsd: 0, valueUsd: 10_000, earningUsd: 9_000, inRange: true });
    y.add('1', { at: h, feesUsd: 1, valueUsd: 10_000, earningUsd: 9_000, inRange: false });
    expect(y.estimate()).toBeNull(); // under minSamples
    y.add('1', { at: 2 * h, feesUsd: 1, valueUsd: 10_000, earningUsd: 0, inRange: true });
    const e = y.estimate()!;
    expect(e.timeInRange).toBeCloseTo(0.5, 12);
    expect(e.feeApr).toBeCloseTo((1 / 10_000) * (8760 / 2), 9);
    expect(e.inRangeFeeApr!).toBeCloseTo(e.feeApr / 0.5, 9);
    expect(e.capitalEfficiency).toBeCloseTo(0.45, 12); // 0.9 of the value earning, half the time
    // a new range starts over
    y.add('2', { at: 3 * h, feesUsd: 1, valueUsd: 10_000, earningUsd: 9_000, inRange: true });
    expect(y.estimate()).toBeNull();
  });

  it('keeps its running sums equal to a recomputation over the window, whatever samples come and go', () => {
    type S = { at: number; feesUsd: number; valueUsd: number; earningUsd: number; inRange: boolean };
    // the module comment's formulas, summed afresh over the samples in the window
    const direct = (xs: S[]) => {
      const first = xs[0]!;
      const last = xs[xs.length - 1]!;
      const elapsed = last.at - first.at;
      let v = 0, r = 0, e = 0;
      for (let i = 1; i < xs.length; i++) {
        const a = xs[i - 1]!;
        const dt = xs[i]!.at - a.at;
        v += a.valueUsd * dt;
        if (a.inRange) { r += dt; if (a.valueUsd > 0) e += (Math.min(a.earningUsd, a.valueUsd) / a.valueUsd) * dt; }
      }
      return { timeInRange: r / elapsed, capitalEfficiency: e / elapsed, feeApr: ((last.feesUsd - first.feesUsd) / (v / elapsed)) * ((YEAR_S * 1000) / elapsed) };
    };
    const step = fc.record({ dt: fc.integer({ min: 0, max: 600_000 }), fees: fc.double({ min: 0, max: 5, noNaN: true }), value: fc.double({ min: 1, max: 1e6, noNaN: true }), earningShare: fc.double({ min: 0, max: 1.2, noNaN: true }), inRange: fc.boolean(), newRange: fc.integer({ min: 0, max: 40 }) });
    fc.assert(fc.property(fc.array(step, { minLength: 2, maxLength: 400 }), fc.integer({ min: 600, max: 7_200 }), (steps, windowSeconds) => {
      const y = new PositionFeeYield(windowSeconds, 2);
      let kept: S[] = [];
      let range = 0;
      let at = 0;
      let fees = 0;
      for (const st of steps) {
        if (st.newRange === 0) { range++; kept = []; }
        at += st.dt;
        fees += st.fees;
        const s: S = { at, feesUsd: fees, valueUsd: st.value, earningUsd: st.value * st.earningShare, inRange: st.inRange };
        y.add(String(range), s);
        const last = kept[kept.length - 1];
        if (last !== undefined && s.at <= last.at) kept[kept.length - 1] = { ...s, at: last.at };
        else {
          kept.push(s);
          while (kept.length > 2 && kept[0]!.at < at - windowSeconds * 1000) kept.shift();
        }
        const got = y.estimate();
        if (kept.length < 2 || kept[kept.length - 1]!.at === kept[0]!.at) { expect(got).toBeNull(); continue; }
        const want = direct(kept);
        expect(got!.samples).toBe(kept.length);
        expect(got!.timeInRange).toBeCloseTo(want.timeInRange, 9);
        expect(got!.capitalEfficiency).toBeCloseTo(want.capitalEfficiency, 9);
        expect(Math.abs(got!.feeApr - want.feeApr)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.feeApr)));
      }
    }), { numRuns: 100 });
  });
});
