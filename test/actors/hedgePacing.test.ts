/**
 * Hedge pacing (issue 4 follow-up, hedge churn): the real HedgeActor and ExchangeActor on the
 * paper exchange, on a VirtualClock (the agent's injected clock and timers) so spacing is checked deterministically.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ask, spawnActor, startSystem, stopSystem, tell, type ActorRef, type ActorSystem } from '../../src/actors/core/typedActors.js';
import { exchangeBehaviour, initialExchangeState, type ExchangeMsg, type ExchangeView } from '../../src/actors/exchange/exchangeActor.js';
import { VirtualClock } from '../../src/actors/core/virtualClock.js';
import { hedgeBehaviour, initialHedgeState, type HedgeMsg, type HedgeState } from '../../src/actors/hedge/hedgeActor.js';
import type { HedgePacing } from '../../src/actors/hedge/pacing.js';
import { createLogger } from '../../src/logging/logger.js';
import { newVenue, SYMBOL, VENUE_ID } from './support/fixture.js';
import type { RecordingVenue } from './support/recordingVenue.js';

const PRICE = 3000;
const BAND = 0.05;
const PACING: HedgePacing = { minIntervalMs: 15_000, urgentBand: 0.25, minOrderUsd: 0 };

interface Rig {
  system: ActorSystem;
  venue: RecordingVenue;
  exchange: ActorRef<ExchangeMsg>;
  hedge: ActorRef<HedgeMsg>;
  now(): number;
  /**
   * Moves the clock forward, firing due timers in time order (each one's re-check is processed).
   * Returns the clock time of every timer whose re-check sent an order (the order's own time,
   * not the end of the advance).
   */
  advance(ms: number): Promise<number[]>;
  /** Reports the pool delta (ETH) and waits until the hedge actor has handled it. */
  delta(d: number): Promise<HedgeState>;
  state(): Promise<HedgeState>;
  orders(): number;
}

let rigs: Rig[] = [];
afterEach(() => {
  for (const r of rigs) stopSystem(r.system);
  rigs = [];
});

async function rig(pacing: HedgePacing = PACING): Promise<Rig> {
  const clock = new VirtualClock(1_000_000);
  const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const system = startSystem();
  const venue = newVenue(10_000_000, PRICE);
  const exchange = spawnActor<ExchangeView, ExchangeMsg>(system, 'exchange', exchangeBehaviour({
    venue, agentId: 'pacing', leverage: 3, maxPositionNotional: 1e12, log, now: () => clock.now(), publish: () => undefined, report: () => undefined,
  }), { initialState: () => initialExchangeState(VENUE_ID, 3) });
  await ask<ExchangeMsg, ExchangeView>(exchange, (replyTo) => ({ type: 'sync', replyTo }), 5_000);
  const hedge = spawnActor<HedgeState, HedgeMsg>(system, 'hedge', hedgeBehaviour({
    exchange, hedgeRatio: 1, maxHedgeRatio: 1, band: BAND, maxPositionNotional: 1e12, orderTimeoutMs: 5_000, pacing,
    now: () => clock.now(), setTimer: (delayMs, fire) => clock.setTimer(delayMs, fire), log, publish: () => undefined,
  }), { initialState: () => initialHedgeState(1, BAND) });
  const state = (): Promise<HedgeState> => ask<HedgeMsg, HedgeState>(hedge, (replyTo) => ({ type: 'getState', replyTo }), 5_000);
  const r: Rig = {
    system, venue, exchange, hedge, state,
    now: () => clock.now(),
    advance: async (ms) => {
      const sentAt: number[] = [];
      let fills = venue.fills.length;
      await clock.advance(ms, async () => {
        await state();
        if (venue.fills.length > fills) sentAt.push(clock.now());
        fills = venue.fills.length;
      });
      return sentAt;
    },
    delta: async (d) => {
      // a position value large enough that the maxHedgeRatio cap never binds here
      tell(hedge, { type: 'delta', poolId: 'pool', asset: 'ETH', symbol: SYMBOL, delta: d, price: PRICE, valueUsd: Math.abs(d) * PRICE * 10 + 1 });
      return state();
    },
    orders: () => venue.fills.length,
  };
  rigs.push(r);
  return r;
}

const eth = (s: HedgeState): NonNullable<HedgeState['assets'][string]> => s.assets['ETH']!;

describe('hedge pacing (min interval per asset, urgent band, min notional)', () => {
  it('sends no second order within the interval while the deviation is below the urgent band, and sends it once the interval has passed', async () => {
    const r = await rig();
    const first = await r.delta(10);
    expect(r.orders()).toBe(1);
    expect(eth(first).current).toBeCloseTo(-10, 9);
    const t0 = r.now();

    await r.advance(1_000);
    const deferred = await r.delta(10.8); // target -10.8 vs -10: 7.4% off, outside the 5% band, inside 25%
    expect(r.orders()).toBe(1);
    expect(eth(deferred).withinBand).toBe(false);
    expect(eth(deferred).deferredUntil).toBe(t0 + PACING.minIntervalMs);
    expect(eth(deferred).deferReason).toMatch(/min interval/);

    await r.advance(PACING.minIntervalMs - 1_001);
    expect(r.orders()).toBe(1);
    await r.advance(1); // the interval has passed: the deferred re-check sends the order
    expect(r.orders()).toBe(2);
    const after = await r.state();
    expect(eth(after).withinBand).toBe(true);
    expect(Math.abs(eth(after).current - eth(after).target)).toBeLessThanOrEqual(BAND * Math.abs(eth(after).target));
    expect(eth(after).deferredUntil).toBeNull();
    expect(eth(after).deferReason).toBeNull();
  });

  it('sends an urgent order at once, inside the interval', async () => {
    const r = await rig();
    await r.delta(10);
    await r.advance(1_000);
    const s = await r.delta(20); // 50% off target > 25% urgent band
    expect(r.orders()).toBe(2);
    expect(eth(s).current).toBeCloseTo(-20, 9);
    expect(eth(s).deferredUntil).toBeNull();
  });

  it('a halt flattens at once right after an order, and the halted hedge sends nothing when its re-check fires', async () => {
    const r = await rig();
    await r.delta(10);
    await r.advance(1_000);
    await r.delta(10.8); // deferred
    tell(r.hedge, { type: 'halt', reason: 'test' });
    const view = await ask<ExchangeMsg, ExchangeView>(r.exchange, (replyTo) => ({ type: 'halt', reason: 'test', flatten: true, replyTo }), 5_000);
    expect(r.orders()).toBe(2); // the flatten went at once, 1 s after the last order
    expect(view.positions[SYMBOL]?.size ?? 0).toBe(0);
    await r.advance(PACING.minIntervalMs * 2);
    expect(r.orders()).toBe(2);
  });

  it('skips orders below minOrderUsd but never a close to flat', async () => {
    const r = await rig({ ...PACING, minIntervalMs: 0, minOrderUsd: 5_000 });
    await r.delta(10);
    expect(r.orders()).toBe(1);
    const small = await r.delta(11); // 1 ETH = 3000 USD < 5000
    expect(r.orders()).toBe(1);
    expect(eth(small).deferReason).toMatch(/below minOrderUsd/);
    expect(eth(small).deferredUntil).toBeNull();
    await r.delta(12); // 2 ETH = 6000 USD
    expect(r.orders()).toBe(2);
    const flat = await r.delta(0);
    expect(r.orders()).toBe(3);
    expect(eth(flat).current).toBe(0);
  });

  it('property: orders are spaced by >= minIntervalMs unless urgent, and the hedge is in band minIntervalMs after the last delta change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 20_000 }), delta: fc.double({ min: 1, max: 20, noNaN: true }) }), { minLength: 1, maxLength: 12 }),
        async (steps) => {
          const r = await rig();
          const sent: { at: number; urgent: boolean }[] = [];
          const observe = (before: number, urgent: boolean): void => {
            if (r.orders() > before) sent.push({ at: r.now(), urgent });
            expect(r.orders() - before).toBeLessThanOrEqual(1);
          };
          // a deferred re-check sends at its timer's time, which is earlier than the end of the advance
          const observeTimers = (before: number, sentAt: number[]): void => {
            expect(r.orders() - before).toBe(sentAt.length);
            for (const at of sentAt) sent.push({ at, urgent: false });
          };
          for (const step of steps) {
            const b0 = r.orders();
            observeTimers(b0, await r.advance(step.dt));
            const current = (await r.state()).assets['ETH']?.current ?? 0;
            const target = -step.delta;
            const urgent = Math.abs(current - target) / Math.abs(target) > PACING.urgentBand;
            const b1 = r.orders();
            await r.delta(step.delta);
            observe(b1, urgent);
          }
          for (let i = 1; i < sent.length; i++) {
            if (!sent[i]!.urgent) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(PACING.minIntervalMs);
          }
          const b = r.orders();
          observeTimers(b, await r.advance(PACING.minIntervalMs));
          const end = eth(await r.state());
          expect(Math.abs(end.current - end.target)).toBeLessThanOrEqual(BAND * Math.abs(end.target) + 1e-9);
          stopSystem(r.system);
          rigs = rigs.filter((x) => x !== r);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('records a deferred order at its timer time: the shrunk case from CI (order at 15 000, next at 30 000)', async () => {
    // CI once failed this property with the order time taken as the end of the advance (16 486)
    // instead of the timer's 15 000, so 30 000 − 16 486 looked like a 13 514 ms spacing.
    const r = await rig();
    await r.delta(1.049999999999);
    expect(await r.advance(4_713)).toEqual([]);
    await r.delta(1); // just outside the band after venue rounding: deferred to t0 + 15 000
    const t0 = r.now() - 4_713;
    const fired = await r.advance(1_838 + 9_935);
    expect(fired).toEqual([t0 + PACING.minIntervalMs]);
    expect(eth(await r.state()).current).toBeCloseTo(-1, 9);
    await r.delta(1);
    expect(await r.advance(8_332)).toEqual([]);
    await r.delta(1.0526315789473686);
    const second = await r.advance(5_182);
    expect(r.orders()).toBe(2 + second.length);
    for (const at of second) expect(at - fired[0]!).toBeGreaterThanOrEqual(PACING.minIntervalMs);
  });
});
