/**
 * Faults injected at random (fast-check) between each ccxt venue and its loopback stand-in:
 * 429 with Retry-After, 5xx, a response held past the client timeout, a connection dropped after
 * the order was accepted, and a request the venue only processes after the client gave up.
 * Every intended order must end placed exactly once, and a position sync loop must converge
 * within the 5% tolerance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { floorToStep } from '../../../src/adapters/exchange/orderCheck.js';
import { VenueError } from '../../../src/adapters/exchange/errors.js';
import type { Fault } from '../../support/venues/loopbackServer.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { startVenueHarness, TEST_API_KEY, TEST_SECRET, type VenueHarness, type VenueName } from '../../support/venues/venueHarness.js';

const ETH = 'ETH/USDT:USDT';
const BTC = 'BTC/USDT:USDT';
/** Client timeout in these tests; held responses wait longer than it. */
const REQUEST_MS = 250;
const HOLD_MS = REQUEST_MS + 150;
/** 0.002 is the smallest size both markets accept (lot 0.001; ETH $5 and BTC $100 minimum notional). */
const STEP = 0.002;

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'rate-limit', retryAfterSec: 0 }),
  fc.constantFrom<Fault>({ kind: 'server-error', status: 500 }, { kind: 'server-error', status: 502 }, { kind: 'server-error', status: 503 }),
  fc.constant<Fault>({ kind: 'delay', ms: HOLD_MS }),
  fc.constant<Fault>({ kind: 'drop' }),
  fc.constant<Fault>({ kind: 'late', ms: HOLD_MS }),
);

const intentArb = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  lots: fc.integer({ min: 2, max: 400 }), // × 0.001 ETH: 0.002 .. 0.4 ETH (>= $6 notional)
  createFaults: fc.array(faultArb, { maxLength: 2 }),
  lookupFaults: fc.array(faultArb, { maxLength: 2 }),
});

const capture = new LogCapture();
const faultsSeen = new Map<string, number>();
/** Faults the stand-ins actually applied to a request (queued ones may go unused). */
const faultsHit = new Map<string, number>();
let runCounter = 0;
let intendedOrders = 0;
let syncOrders = 0;
let syncRounds = 0;

function tally(faults: Fault[]): void {
  for (const f of faults) faultsSeen.set(f.kind, (faultsSeen.get(f.kind) ?? 0) + 1);
}

describe.each<VenueName>(['binanceusdm', 'bybit'])('%s under injected faults', (name) => {
  let h: VenueHarness;
  beforeAll(async () => {
    h = await startVenueHarness(name, capture, { timeouts: { requestMs: REQUEST_MS, fillPollMs: 1_000 } });
    await h.venue.loadMarkets();
  });
  afterAll(async () => {
    for (const r of h.server.log) if (r.fault !== null) faultsHit.set(r.fault, (faultsHit.get(r.fault) ?? 0) + 1);
    await h.stop();
  });

  it('places every intended order exactly once, whatever fails on the way', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(intentArb, { minLength: 1, maxLength: 3 }), async (intents) => {
        runCounter += 1;
        const before = h.account.position('ETHUSDT').size;
        let expected = before;
        for (const [i, intent] of intents.entries()) {
          const clientOrderId = `rk-fi-${name.slice(0, 3)}-${runCounter}-${i}`;
          const amount = intent.lots / 1000;
          h.server.clearFaults();
          h.server.inject(h.createRoute, ...intent.createFaults);
          h.server.inject(h.lookupRoute, ...intent.lookupFaults);
          tally([...intent.createFaults, ...intent.lookupFaults]);
          intendedOrders += 1;
          const order = await h.venue.createOrder({ clientOrderId, symbol: ETH, side: intent.side, amount, type: 'market' });
          expect(order.clientOrderId).toBe(clientOrderId);
          expect(h.account.orders.get(clientOrderId)?.qty).toBe(amount);
          expect(h.account.trades.filter((t) => t.clientId === clientOrderId)).toHaveLength(1);
          expect(order.id).toBe(name === 'bybit' ? `b${h.account.orders.get(clientOrderId)?.orderId ?? ''}` : h.account.orders.get(clientOrderId)?.orderId);
          expected += intent.side === 'buy' ? amount : -amount;
        }
        h.server.clearFaults();
        // A held-then-processed request may still be in flight: let it land, then the venue must still hold one order per id.
        if (intents.some((x) => x.createFaults.some((f) => f.kind === 'late'))) await new Promise((r) => setTimeout(r, HOLD_MS + 50));
        for (const i of intents.keys()) {
          expect(h.account.trades.filter((t) => t.clientId === `rk-fi-${name.slice(0, 3)}-${runCounter}-${i}`)).toHaveLength(1);
        }
        expect(h.account.position('ETHUSDT').size).toBeCloseTo(expected, 9);
      }),
      { numRuns: 12, seed: name === 'bybit' ? 5 : 4 },
    );
  });

  it('honours Retry-After on a 429 before sending again', async () => {
    h.server.clearFaults();
    const delaysBefore = h.delays.length;
    const sent = h.server.count(h.createRoute);
    h.server.inject(h.createRoute, { kind: 'rate-limit', retryAfterSec: 2 });
    const order = await h.venue.createOrder({ clientOrderId: `rk-fi-${name.slice(0, 3)}-ra`, symbol: ETH, side: 'buy', amount: 0.01, type: 'market' });
    expect(order.filled).toBe(0.01);
    expect(h.server.count(h.createRoute)).toBe(sent + 2);
    expect(h.delays.slice(delaysBefore)).toContainEqual(expect.any(Number));
    expect(Math.max(...h.delays.slice(delaysBefore))).toBeGreaterThanOrEqual(2_000);
  });

  it('gives up at once when Retry-After is beyond the configured bound', async () => {
    h.server.clearFaults();
    const sent = h.server.count(h.createRoute);
    h.server.inject(h.createRoute, { kind: 'rate-limit', retryAfterSec: 3_600 });
    let err: unknown;
    try {
      await h.venue.createOrder({ clientOrderId: `rk-fi-${name.slice(0, 3)}-ra-long`, symbol: ETH, side: 'buy', amount: 0.01, type: 'market' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VenueError);
    expect((err as VenueError).kind).toBe('rate-limit');
    expect((err as VenueError).details.retryAfterMs).toBe(3_600_000);
    expect(h.server.count(h.createRoute)).toBe(sent + 1);
    expect(h.account.orders.has(`rk-fi-${name.slice(0, 3)}-ra-long`)).toBe(false);
  });

  it('never retries an insufficient-margin rejection, even after a transient fault', async () => {
    h.server.clearFaults();
    h.server.inject(h.createRoute, { kind: 'server-error', status: 503 });
    const sent = h.server.count(h.createRoute);
    let err: unknown;
    try {
      await h.venue.createOrder({ clientOrderId: `rk-fi-${name.slice(0, 3)}-margin`, symbol: BTC, side: 'sell', amount: 5, type: 'market' });
    } catch (e) {
      err = e;
    }
    expect((err as VenueError).kind).toBe('insufficient-margin');
    // the 503, then one rejected attempt: never a third
    expect(h.server.count(h.createRoute)).toBe(sent + 2);
  });

  it('converges a position sync loop within the 5% tolerance under faults', async () => {
    const assetArb = fc.record({ required: fc.double({ min: -1, max: 1, noNaN: true }), start: fc.double({ min: -1, max: 1, noNaN: true }) });
    await fc.assert(
      fc.asyncProperty(assetArb, assetArb, fc.array(faultArb, { maxLength: 3 }), fc.array(faultArb, { maxLength: 2 }), async (eth, btc, faults, readFaults) => {
        runCounter += 1;
        const run = runCounter;
        h.server.clearFaults();
        // Start from a random position per asset, opened directly on the venue.
        const targets = { ETH: { symbol: ETH, id: 'ETHUSDT', required: eth.required * 4, start: eth.start * 4 }, BTC: { symbol: BTC, id: 'BTCUSDT', required: btc.required * 0.2, start: btc.start * 0.2 } };
        for (const t of Object.values(targets)) {
          const pos = h.account.position(t.id).size;
          const move = Math.round((t.start - pos) * 1000) / 1000;
          if (Math.abs(move) >= 0.002) h.account.placeMarket(t.id, move > 0 ? 'BUY' : 'SELL', Math.abs(move), `seed-${run}-${t.id}`, false);
        }
        h.server.inject(h.createRoute, ...faults);
        h.server.inject(name === 'binanceusdm' ? 'GET /fapi/v3/positionRisk' : 'GET /v5/position/list', ...readFaults);
        tally([...faults, ...readFaults]);
        let iterations = 0;
        for (;;) {
          const positions = await h.venue.fetchPositions();
          // the loop the HedgeActor runs, reduced to its arithmetic: an asset whose position is off its
          // required size by more than 5% (at least one order step) gets an order for the difference
          const actions = Object.entries(targets).flatMap(([asset, t]) => {
            const current = positions.find((p) => p.symbol === t.symbol)?.size ?? 0;
            const difference = t.required - current;
            if (Math.abs(difference) <= Math.max(0.05 * Math.abs(t.required), STEP)) return [];
            const size = floorToStep(Math.abs(difference), STEP);
            const reduceOnly = current !== 0 && Math.sign(difference) === -Math.sign(current) && size <= Math.abs(current);
            return size > 0 ? [{ asset, symbol: t.symbol, side: difference > 0 ? 'buy' as const : 'sell' as const, size, reduceOnly }] : [];
          });
          if (actions.length === 0) break;
          iterations += 1;
          syncRounds += 1;
          expect(iterations).toBeLessThanOrEqual(2);
          for (const a of actions) {
            syncOrders += 1;
            await h.venue.createOrder({ clientOrderId: `rk-sync-${run}-${iterations}-${a.asset}`, symbol: a.symbol, side: a.side, amount: a.size, type: 'market', reduceOnly: a.reduceOnly });
          }
        }
        for (const t of Object.values(targets)) {
          const diff = Math.abs(t.required - h.account.position(t.id).size);
          expect(diff).toBeLessThanOrEqual(Math.max(0.05 * Math.abs(t.required), 0.002) + 1e-9);
        }
      }),
      { numRuns: 10, seed: name === 'bybit' ? 7 : 6 },
    );
  });
});

describe('fault-injection run', () => {
  it('injected every kind of fault and logged no secret', () => {
    console.info(
      `fault-injection: ${runCounter} property runs, ${intendedOrders} intended orders each placed exactly once, ` +
        `${syncRounds} sync rounds with ${syncOrders} orders; faults queued ${JSON.stringify(Object.fromEntries(faultsSeen))}, ` +
        `applied ${JSON.stringify(Object.fromEntries(faultsHit))}`,
    );
    for (const kind of ['rate-limit', 'server-error', 'delay', 'drop', 'late']) expect(faultsHit.get(kind) ?? 0).toBeGreaterThan(0);
    const text = capture.text();
    expect(text).toContain('order not placed, sending again');
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain(TEST_SECRET);
  });
});
