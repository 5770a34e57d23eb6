import { describe, expect, it } from 'vitest';
import { PoolFeeTracker } from '../../../src/actors/position/market/poolFeeTracker.js';
import { PositionFeeYield } from '../../../src/actors/position/market/positionFeeYield.js';
import { sqrtPriceX96ToPrice } from '../../../src/math/priceTick.js';
import { newChain, poolDescriptor } from '../support/fixture.js';

const YEAR_S = 365 * 86_400;

describe('pool fee tracker', () => {
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
});
