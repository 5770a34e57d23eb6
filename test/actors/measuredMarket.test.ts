/**
 * The measured market on a running agent (issue 9): the PositionActor on the simulated chain, on a
 * virtual clock, follows a seeded GBM market, one step a minute. What it publishes on the state
 * feed is measured: σ of the market (within its confidence interval of the true σ), the pool's
 * fee income from its fee growth and the position's own fee APR, LVR rate and running sum with
 * fees/LVR, gamma beside delta, measured capital efficiency, and a decision carrying its
 * expectedAPY, confidence and reasoning. And the range it recommends follows the market's σ: a
 * market three times as volatile gets a wider range.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/actors/core/virtualClock.js';
import type { PositionState } from '../../src/actors/position/positionActor.js';
import { createSeededRandom } from '../../src/math/seededRandom.js';
import { startFixture, type Fixture } from './support/fixture.js';

const START = 1_700_000_000_000;
const STEP_MS = 60_000;
const YEAR_MS = 365 * 86_400_000;
const STEPS = 45;

const fixtures: Fixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.stop();
});

/** Runs the agent through STEPS minutes of a GBM market of annualized `sigma`; returns the published position state. */
async function follow(sigma: number, seed: number): Promise<PositionState> {
  const clock = new VirtualClock(START);
  const f = await startFixture({
    scheduler: clock,
    position: {
      // a 0.6 prior; measured over 2 h, at most one sample every 30 s, from 20 returns on
      market: { windowSeconds: 7_200, minSamples: 20, maxSamples: 240, liquidityReadMs: 0 },
      range: { annualVolatility: 0.6, horizonSeconds: 86_400, riskLevel: 'moderate' },
      // no roll from a drifting price: these runs compare what is measured and recommended
      rebalanceThreshold: 0,
    },
  });
  fixtures.push(f);
  const rng = createSeededRandom(seed);
  let price = 3000;
  await f.move(price);
  for (let i = 0; i < STEPS; i++) {
    await clock.advance(STEP_MS, () => f.settle());
    price *= Math.exp(sigma * Math.sqrt(STEP_MS / YEAR_MS) * rng.nextNormal());
    await f.move(price);
  }
  const poolId = f.pools[0]!.poolId;
  const state = await f.agent.position(poolId);
  // what the feed carries is what the actor holds
  const published = f.agent.feed.snapshot().find((e) => e.kind === 'position' && (e.state as { poolId?: string }).poolId === poolId);
  expect(published?.state).toEqual(JSON.parse(JSON.stringify(state)));
  return state;
}

describe('measured market in the position state', () => {
  it('publishes measured σ, fee yield, LVR, gamma and capital efficiency; the recommended range widens with the market\'s σ', async () => {
    const calm = await follow(0.5, 11);
    const wild = await follow(1.5, 11);
    for (const [s, sigma] of [[calm, 0.5], [wild, 1.5]] as const) {
      const v = s.market!.volatility;
      expect(s.market!.volatilitySource).toBe('reference');
      expect(v.source).toBe('measured');
      expect(v.samples).toBeGreaterThanOrEqual(STEPS - 1);
      // the market's σ, not the TWAP-smoothed reference's: within the 95% interval, about ±20% wide here
      expect(v.confidenceInterval.lower).toBeLessThan(sigma);
      expect(v.confidenceInterval.upper).toBeGreaterThan(sigma);
      expect(v.daily).toBeCloseTo(v.annualized / Math.sqrt(365), 12);
      expect(v.realizedVariance).toBeGreaterThan(0);
      expect(v.skewness).not.toBeNull();
      expect(v.kurtosis).not.toBeNull();
      // fees from the pool's fee growth and the position's own
      expect(s.market!.poolFeeIncomePerLiquidityPerYear).toBeGreaterThan(0);
      expect(s.market!.poolVolumeUsdPerDay).toBeGreaterThan(0);
      expect(s.market!.positionFeeApr).toBeGreaterThan(0);
      expect(s.market!.liquidity?.initializedTicks).toBeGreaterThan(0);
      // LVR: σ²L√P/4 a day at the measured σ, accrued since entry, and fees over it
      expect(s.lvr!.rateUsdPerDay).toBeGreaterThan(0);
      expect(s.lvr!.cumulativeUsd).toBeGreaterThan(0);
      expect(s.lvr!.feesOverLvr).toBeCloseTo(s.feesEarned / s.lvr!.cumulativeUsd, 9);
      expect(s.gamma).toBeLessThan(0);
      expect(s.efficiency!.source).toBe('measured');
      expect(s.efficiency!.timeInRange).toBe(1);
      expect(s.efficiency!.capitalEfficiency).toBeGreaterThan(0);
      // the decision: the measured APY, a confidence, the reasoning naming the measurement
      const d = s.lastDecision!;
      expect(d.apySource).toBe('measured');
      expect(s.market!.feeApy).toBe(d.currentAPY);
      expect(d.expectedAPY).toBeGreaterThan(0);
      expect(d.confidence).toBeGreaterThan(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
      expect(d.reasoning[0]).toMatch(/^σ \d+\.\d{3} measured from \d+ returns/);
      expect(d.reasoning.join('\n')).toMatch(/from the pool's measured fee growth/);
    }
    expect(wild.market!.volatility.annualized).toBeGreaterThan(2 * calm.market!.volatility.annualized);
    expect(wild.lvr!.rateUsdPerDay).toBeGreaterThan(calm.lvr!.rateUsdPerDay);
    expect(wild.lastDecision!.recommended.widthTicks).toBeGreaterThan(2 * calm.lastDecision!.recommended.widthTicks);
  });
});
