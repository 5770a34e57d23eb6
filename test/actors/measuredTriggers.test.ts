/**
 * The spec's low-APY trigger fires on a running agent from what it measured (issue 9): a position
 * adopted with a range far wider than the market's σ asks for earns, by the pool's measured fee
 * growth, under apyThreshold (90% here). With the configured fee APY it would never roll (in range,
 * the configured APY is 100%); once the fee growth is measured the trigger fires and the agent rolls to
 * the range its measured σ recommends, because that range's expected gain beats gas + swap cost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/actors/core/virtualClock.js';
import type { PositionState } from '../../src/actors/position/positionActor.js';
import { createSeededRandom } from '../../src/math/seededRandom.js';
import { newChain, poolDescriptor, startFixture, type Fixture } from './support/fixture.js';

const START = 1_700_000_000_000;
const STEP_MS = 60_000;
const YEAR_MS = 365 * 86_400_000;

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('triggers from measured inputs', () => {
  it('a too-wide range: no roll on the configured APY, a low-APY roll once the fee growth is measured, past the cost gate', async () => {
    const pool = poolDescriptor();
    const chain = newChain([pool], 3000);
    await chain.adoptBooks(pool.poolId, { amount0: 5n * 10n ** 18n, amount1: 15_000n * 10n ** 6n });
    const { tick } = await chain.poolSnapshot(pool.poolId);
    const at = (t: number): number => Math.round(t / 60) * 60;
    const wide = await chain.mint({ poolId: pool.poolId, tickLower: at(tick - 9_000), tickUpper: at(tick + 9_000), amount0Max: 5n * 10n ** 18n, amount1Max: 15_000n * 10n ** 6n });
    const clock = new VirtualClock(START);
    f = await startFixture({
      chain, scheduler: clock,
      // an APY floor of 90%: the configured APY (100% in range) never falls below it
      position: { market: { windowSeconds: 3_600, minSamples: 10, maxSamples: 120, liquidityReadMs: 0 }, rebalanceThreshold: 0, apyThreshold: 0.9, feeApy: 1 },
    });
    // every state published by the message that rolled
    const atRoll: PositionState[] = [];
    f.agent.feed.changes$.subscribe((e) => {
      const p = e.state as unknown as PositionState;
      if (e.kind === 'position' && p.lastDecision?.roll === true && p.lastRoll?.at === p.lastDecision.at) atRoll.push(p);
    });
    const rng = createSeededRandom(5);
    let price = 3000;
    await f.move(price);
    const first = (await f.agent.position(pool.poolId)).lastDecision!;
    expect(first.apySource).toBe('configured');
    expect(first.triggers).not.toContain('lowAPY');
    let rolledAt: number | null = null;
    for (let i = 0; i < 40 && rolledAt === null; i++) {
      await clock.advance(STEP_MS, () => f!.settle());
      price *= Math.exp(0.5 * Math.sqrt(STEP_MS / YEAR_MS) * rng.nextNormal());
      await f.move(price);
      const s = await f.agent.position(pool.poolId);
      if (s.rolls > 0) rolledAt = i;
      else if (s.lastDecision!.apySource === 'configured') expect(s.lastDecision!.triggers).not.toContain('lowAPY');
    }
    expect(rolledAt).not.toBeNull();
    const s = await f.agent.position(pool.poolId);
    const d = s.rollDecisions.at(-1)!;
    expect(d.apySource).toBe('measured');
    expect(d.triggers).toContain('lowAPY');
    expect(d.triggers).not.toContain('priceProximity');
    expect(d.currentAPY).toBeLessThan(0.9);
    expect(d.expectedAPY).toBeGreaterThan(d.currentAPY);
    expect(d.expectedGainUsd).toBeGreaterThan(d.gasCostUsd + d.swapCostUsd);
    // the state the roll published gives the new range's fee APY, not the one rolled away from
    expect(atRoll.length).toBeGreaterThan(0);
    for (const p of atRoll) expect(p.market!.feeApy).toBe(p.lastDecision!.expectedAPY);
    expect(s.range!.tickUpper - s.range!.tickLower).toBeLessThan(wide.position.tickUpper - wide.position.tickLower);
    expect(d.reasoning.join('\n')).toMatch(/from the pool's measured fee growth/);
  });
});
