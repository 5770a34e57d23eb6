/**
 * The ExchangeActor (nact) driving a ccxt venue on each stand-in: the second ExchangeVenue
 * implementation plugs in unchanged. Hedge intents become client-id orders; a dropped answer is
 * absorbed by the venue's exactly-once placement, and re-sending an intent adopts the order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeBehaviour, initialExchangeState, type ExchangeMsg, type ExchangeView, type HedgeOrderReply } from '../../../src/actors/exchange/exchangeActor.js';
import { ask, spawnActor, startSystem, stopSystem, type ActorRef, type ActorSystem } from '../../../src/actors/core/typedActors.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { startVenueHarness, TEST_API_KEY, TEST_SECRET, type VenueHarness, type VenueName } from '../../support/venues/venueHarness.js';

const ETH = 'ETH/USDT:USDT';

describe.each<VenueName>(['binanceusdm', 'bybit'])('ExchangeActor on %s', (name) => {
  const capture = new LogCapture();
  let h: VenueHarness;
  let system: ActorSystem;
  let actor: ActorRef<ExchangeMsg>;

  beforeAll(async () => {
    h = await startVenueHarness(name, capture);
    system = startSystem(`xa-${name}`);
    actor = spawnActor(system, 'exchange', exchangeBehaviour({
      venue: h.venue, agentId: 'agent-1', leverage: 3, maxPositionNotional: 1_000_000,
      log: createLogger({ level: 'debug', destination: capture }), now: () => Date.now(), publish: () => {}, report: () => {},
    }), { initialState: () => initialExchangeState(h.venue.id, 3), onCrash: () => 'resume' });
    const view = await ask<ExchangeMsg, ExchangeView>(actor, (replyTo) => ({ type: 'sync', replyTo }), 10_000);
    expect(view.status).toBe('running');
    expect(Object.keys(view.markets).sort()).toEqual(['BTC/USDT:USDT', ETH]);
  });
  afterAll(async () => {
    stopSystem(system);
    await h.stop();
  });

  const hedgeTo = (targetSize: number, sequence: number): Promise<HedgeOrderReply> =>
    ask<ExchangeMsg, HedgeOrderReply>(actor, (replyTo) => ({ type: 'hedgeTo', asset: 'ETH', symbol: ETH, targetSize, markPrice: 3000, sequence, replyTo }), 10_000);

  it('brings the hedge to its target with one order per intent, through dropped answers', async () => {
    h.server.inject(h.createRoute, { kind: 'drop' }, { kind: 'server-error', status: 503 });
    const r = await hedgeTo(-2, 1);
    expect(r).toMatchObject({ ok: true, positionSize: -2, note: 'order placed' });
    expect(h.account.position('ETHUSDT').size).toBe(-2);
    expect(h.account.trades).toHaveLength(1);

    // The same intent again (a retry after a lost reply): adopted, not sent twice.
    const again = await hedgeTo(-2, 1);
    expect(again).toMatchObject({ ok: true, note: 'adopted existing order' });
    expect(h.account.trades).toHaveLength(1);

    // A smaller target: a reduce-only buy of the difference.
    const smaller = await hedgeTo(-1.5, 2);
    expect(smaller).toMatchObject({ ok: true, positionSize: -1.5 });
    expect([...h.account.orders.values()].at(-1)).toMatchObject({ side: 'BUY', qty: 0.5, reduceOnly: true });
  });

  it('refuses a target over maxPositionSize before sending anything', async () => {
    const sent = h.server.count(h.createRoute);
    const r = await hedgeTo(-400, 3); // 1.2M notional > 1M
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.kind).toBe('insufficient-margin');
      expect(r.reason).toMatch(/exceeds maxPositionSize/);
      expect(r.retryable).toBe(false);
    }
    expect(h.server.count(h.createRoute)).toBe(sent);
    expect(h.account.position('ETHUSDT').size).toBe(-1.5);
  });

  it('sets the configured leverage on the venue, and places only the part of a hedge its free margin carries', async () => {
    expect(h.account.leverageOf('ETHUSDT')).toBe(3);
    // 11.5 ETH more at 3x needs 11,500 USDT; the venue reports about 8,500 free
    const r = await hedgeTo(-13, 3);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.unplaced).toBeGreaterThan(2);
    expect(r.positionSize).toBeCloseTo(-13 + r.unplaced, 9);
    expect(h.account.position('ETHUSDT').size).toBeCloseTo(r.positionSize, 9);
  });

  it('logs no secret', () => {
    expect(capture.text()).toContain('hedge order placed');
    expect(capture.text()).not.toContain(TEST_API_KEY);
    expect(capture.text()).not.toContain(TEST_SECRET);
  });
});
