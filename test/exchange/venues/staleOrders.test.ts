/**
 * Start-up reconciliation on the venue (issue 9): orders still open on the account when the agent
 * starts are stale and are cancelled, one by one, by the ExchangeActor's first sync, on each
 * ccxt venue against its stand-in. And the venue's cancelOrder: an order no longer open is not an
 * error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeBehaviour, initialExchangeState, type ExchangeMsg, type ExchangeView } from '../../../src/actors/exchange/exchangeActor.js';
import { ask, spawnActor, startSystem, stopSystem, type ActorSystem } from '../../../src/actors/core/typedActors.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { startVenueHarness, type VenueHarness, type VenueName } from '../../support/venues/venueHarness.js';

const ETH = 'ETH/USDT:USDT';
const BTC = 'BTC/USDT:USDT';

describe.each<VenueName>(['binanceusdm', 'bybit'])('stale open orders on %s', (name) => {
  let h: VenueHarness | undefined;
  let system: ActorSystem | undefined;
  afterEach(async () => {
    if (system !== undefined) stopSystem(system);
    await h?.stop();
    h = undefined;
    system = undefined;
  });

  it('cancelOrder cancels an open order once; an order no longer open resolves false', async () => {
    h = await startVenueHarness(name, new LogCapture());
    const o = h.account.restLimit('ETHUSDT', 'BUY', 0.5, 2500, 'by-hand-1');
    const open = await h.venue.fetchOpenOrders(ETH);
    expect(open.map((x) => x.clientOrderId)).toEqual(['by-hand-1']);
    expect(await h.venue.cancelOrder(ETH, open[0]!.id)).toBe(true);
    expect(o.status).toBe('CANCELED');
    expect(await h.venue.cancelOrder(ETH, open[0]!.id)).toBe(false);
    expect(await h.venue.fetchOpenOrders(ETH)).toEqual([]);
  });

  it("the ExchangeActor's first sync cancels every order left open on the account, and only at start-up", async () => {
    h = await startVenueHarness(name, new LogCapture());
    const capture = new LogCapture();
    const stale = [
      h.account.restLimit('ETHUSDT', 'SELL', 1, 3500, 'left-by-crash-1'),
      h.account.restLimit('ETHUSDT', 'BUY', 0.2, 2000, 'by-hand-2'),
      h.account.restLimit('BTCUSDT', 'BUY', 0.01, 50_000, 'by-hand-3'),
    ];
    system = startSystem(`stale-${name}`);
    const actor = spawnActor(system, 'exchange', exchangeBehaviour({
      venue: h.venue, agentId: 'agent-1', leverage: 3, maxPositionNotional: 1_000_000,
      log: createLogger({ level: 'debug', destination: capture }), now: () => Date.now(), publish: () => {}, report: () => {},
    }), { initialState: () => initialExchangeState(h!.venue.id, 3), onCrash: () => 'resume' });
    const view = await ask<ExchangeMsg, ExchangeView>(actor, (replyTo) => ({ type: 'sync', replyTo }), 10_000);
    expect(view.status).toBe('running');
    expect(stale.map((o) => o.status)).toEqual(['CANCELED', 'CANCELED', 'CANCELED']);
    expect(view.openOrders).toBe(0);
    expect(view.staleOrdersCancelled).toBe(3);
    const logged = capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'start-up: stale open order cancelled');
    expect(logged.map((l) => l['clientOrderId']).sort()).toEqual(['by-hand-2', 'by-hand-3', 'left-by-crash-1']);
    expect(logged.map((l) => l['symbol'])).toContain(BTC);

    // later syncs report open orders but leave them alone: start-up reconciliation runs once
    const later = h.account.restLimit('ETHUSDT', 'BUY', 0.1, 2400, 'by-hand-4');
    const again = await ask<ExchangeMsg, ExchangeView>(actor, (replyTo) => ({ type: 'sync', replyTo }), 10_000);
    expect(later.status).toBe('NEW');
    expect(again.openOrders).toBe(1);
    expect(again.staleOrdersCancelled).toBe(3);
  });
});
