/**
 * The agent on a VirtualClock (issue 9: the HedgeActor got Date.now instead of the injected
 * clock): a paced hedge order waits on the agent's clock, not the wall clock, so a backtest or a
 * test moves time and the decision follows at once. And the clock itself: timers fire in due
 * order with the clock at each one's due time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { every } from '../../src/actors/core/scheduler.js';
import { VirtualClock } from '../../src/actors/core/virtualClock.js';
import { startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

const START = 1_700_000_000_000;
const MIN_INTERVAL_MS = 60_000;

describe('agent on a virtual clock', () => {
  it('a paced hedge order waits on the virtual clock and goes when it is advanced, with no wall-clock wait', async () => {
    const clock = new VirtualClock(START);
    f = await startFixture({
      scheduler: clock,
      settings: { hedge: { ratio: 0.8, maxRatio: 1, band: 0.05, leverage: 3, venue: 'paper', pacing: { minIntervalMs: MIN_INTERVAL_MS, urgentBand: 0.5, minOrderUsd: 0 } } },
    });
    await f.move(3000); // the first hedge order goes at once
    const orders = f.venue.fills.length;
    expect(orders).toBe(1);
    let eth = (await f.agent.hedge()).assets['ETH']!;
    expect(eth.lastOrderAt).toBe(START);

    await clock.advance(10_000, () => f!.settle());
    await f.move(3030); // the LP sheds ETH: the hedge is out of its band, not urgently
    eth = (await f.agent.hedge()).assets['ETH']!;
    expect(eth.withinBand).toBe(false);
    expect(eth.deviation).toBeLessThan(0.5);
    expect(f.venue.fills.length).toBe(orders);
    expect(eth.deferredUntil).toBe(START + MIN_INTERVAL_MS);

    const wall = Date.now();
    await clock.advanceTo(START + MIN_INTERVAL_MS - 1, () => f!.settle());
    expect(f.venue.fills.length).toBe(orders);
    const fired = await clock.advanceTo(START + MIN_INTERVAL_MS, () => f!.settle());
    expect(fired).toContain(START + MIN_INTERVAL_MS);
    expect(f.venue.fills.length).toBe(orders + 1);
    eth = (await f.agent.hedge()).assets['ETH']!;
    expect(eth.withinBand).toBe(true);
    expect(eth.lastOrderAt).toBe(START + MIN_INTERVAL_MS);
    expect(Date.now() - wall).toBeLessThan(MIN_INTERVAL_MS / 10);
  });
});

describe('VirtualClock', () => {
  it('fires every due timer once, in due order (ties in the order set), with now() at its due time', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ delay: fc.integer({ min: 0, max: 1_000 }), cancel: fc.boolean(), child: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }) }), { maxLength: 30 }),
      fc.integer({ min: 0, max: 1_500 }),
      async (specs, horizon) => {
        const clock = new VirtualClock(1_000);
        const seen: { at: number; now: number; key: string }[] = [];
        const expected: { at: number; key: string; order: number }[] = [];
        let order = 0;
        specs.forEach((spec, i) => {
          const at = 1_000 + spec.delay;
          const own = order++;
          const cancel = clock.setTimer(spec.delay, () => {
            seen.push({ at, now: clock.now(), key: `t${i}` });
            if (spec.child !== undefined) {
              const childAt = clock.now() + spec.child;
              const childOrder = order++;
              if (childAt <= 1_000 + horizon) expected.push({ at: childAt, key: `c${i}`, order: childOrder });
              clock.setTimer(spec.child, () => seen.push({ at: childAt, now: clock.now(), key: `c${i}` }));
            }
          });
          if (spec.cancel) cancel();
          else if (at <= 1_000 + horizon) expected.push({ at, key: `t${i}`, order: own });
        });
        await clock.advance(horizon);
        expect(clock.now()).toBe(1_000 + horizon);
        for (const s of seen) expect(s.now).toBe(s.at);
        expected.sort((a, b) => a.at - b.at || a.order - b.order);
        expect(seen.map((s) => s.key)).toEqual(expected.map((e) => e.key));
      },
    ));
  });

  it('every() repeats on the clock until cancelled', async () => {
    const clock = new VirtualClock(0);
    const at: number[] = [];
    const stop = every(clock, 250, () => at.push(clock.now()));
    await clock.advance(1_000);
    expect(at).toEqual([250, 500, 750, 1_000]);
    stop();
    await clock.advance(1_000);
    expect(at).toHaveLength(4);
    expect(clock.pending).toBe(0);
  });

  it('advanceBefore leaves a timer due exactly then pending; the next advance fires it at its due time', async () => {
    const clock = new VirtualClock(0);
    const at: number[] = [];
    const stop = every(clock, 60_000, () => at.push(clock.now()));
    expect(await clock.advanceBefore(120_000)).toEqual([60_000]);
    expect(clock.now()).toBe(120_000);
    expect(at).toEqual([60_000]);
    expect(await clock.advanceBefore(180_000)).toEqual([120_000]);
    expect(at).toEqual([60_000, 120_000]);
    stop();
  });

  it('never goes backwards', async () => {
    const clock = new VirtualClock(500);
    await clock.advanceTo(100);
    expect(clock.now()).toBe(500);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});
