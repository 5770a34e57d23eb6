/**
 * Funding and liquidation distance on both venue stand-ins (issue 9, "Hedge risk the spec
 * implies"): the ccxt venue reads the account's funding history (Binance FUNDING_FEE income,
 * Bybit executions of type Funding) signed as received; the ExchangeActor folds it per symbol
 * once, reports equity as the venue's balance total (unrealized PnL counted once), tracks each
 * position's liquidation price, distance and margin ratio against the configured buffer, and
 * places a partial hedge (with the rest reported `unplaced`) when the free margin is short.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeBehaviour, initialExchangeState, type ExchangeMsg, type ExchangeView, type HedgeOrderReply } from '../../../src/actors/exchange/exchangeActor.js';
import { ask, spawnActor, startSystem, stopSystem, type ActorRef, type ActorSystem } from '../../../src/actors/core/typedActors.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { startVenueHarness, type VenueHarness, type VenueName } from '../../support/venues/venueHarness.js';

const ETH = 'ETH/USDT:USDT';

describe.each<VenueName>(['binanceusdm', 'bybit'])('funding and liquidation distance on the %s stand-in', (name) => {
  const capture = new LogCapture();
  let h: VenueHarness;
  let system: ActorSystem;
  let actor: ActorRef<ExchangeMsg>;
  let clock = 1_000;

  async function start(wallet: number): Promise<void> {
    h = await startVenueHarness(name, capture);
    h.account.walletBalance = wallet;
    system = startSystem(`fl-${name}-${Math.random().toString(36).slice(2)}`);
    actor = spawnActor(system, 'exchange', exchangeBehaviour({
      venue: h.venue, agentId: 'agent-1', leverage: 3, maxPositionNotional: 1_000_000,
      log: createLogger({ level: 'debug', destination: capture }), now: () => clock, publish: () => {}, report: () => {},
      marginBuffer: { minLiquidationDistance: 0.25, maxMarginRatio: 0.5, action: 'reduce' }, fundingPollMs: 0,
    }), { initialState: () => initialExchangeState(h.venue.id, 3), onCrash: () => 'resume' });
    await sync();
  }
  afterEach(async () => {
    stopSystem(system);
    await h.stop();
  });

  const sync = (): Promise<ExchangeView> => ask<ExchangeMsg, ExchangeView>(actor, (replyTo) => ({ type: 'sync', replyTo }), 10_000);
  const hedgeTo = (targetSize: number, sequence: number, markPrice = 3000): Promise<HedgeOrderReply> =>
    ask<ExchangeMsg, HedgeOrderReply>(actor, (replyTo) => ({ type: 'hedgeTo', asset: 'ETH', symbol: ETH, targetSize, markPrice, sequence, replyTo }), 10_000);

  it('reads funding received by a short and paid by it, signed as received, and folds each payment once', async () => {
    await start(10_000);
    expect(await hedgeTo(-2, 1)).toMatchObject({ ok: true, positionSize: -2, unplaced: 0 });
    // positive rate: the short receives 2 × 3000 × 0.0001 = 0.6
    const t1 = Date.now() - 60_000;
    h.account.settleFunding(t1);
    // negative rate: the short pays 2 × 3000 × 0.0003 = 1.8
    h.account.market('ETHUSDT').fundingRate = -0.0003;
    h.account.settleFunding(t1 + 1_000);

    const history = await h.venue.fetchFundingHistory(ETH);
    expect(history.map((f) => f.amount)).toEqual([expect.closeTo(0.6, 9), expect.closeTo(-1.8, 9)]);
    expect(history.map((f) => f.timestamp)).toEqual([t1, t1 + 1_000]);
    expect(await h.venue.fetchFundingHistory(ETH, t1 + 1)).toHaveLength(1);
    // fills are not funding and funding is not a fill
    expect((await h.venue.fetchFundingHistory('BTC/USDT:USDT'))).toEqual([]);

    const view = await sync();
    expect(view.funding.bySymbol[ETH]).toMatchObject({ received: expect.closeTo(-1.2, 9), payments: 2 });
    expect(view.funding.total).toBeCloseTo(-1.2, 9);
    // a second read (from the newest payment on) adds nothing twice
    clock += 1;
    expect((await sync()).funding.bySymbol[ETH]).toMatchObject({ received: expect.closeTo(-1.2, 9), payments: 2 });
  });

  it('reports equity as the venue balance total (unrealized PnL once) and the liquidation distance of the short', async () => {
    await start(3_000);
    expect(await hedgeTo(-2, 1)).toMatchObject({ ok: true, positionSize: -2 });
    h.account.setMarkPrice('ETHUSDT', 3300); // the short loses 600
    const view = await sync();
    const wallet = h.account.walletBalance;
    expect(view.equity).toBeCloseTo(wallet - 600, 6);

    const p = view.positions[ETH]!;
    expect(p.liquidationPrice).toBeCloseTo(h.account.liquidationPrice('ETHUSDT')!, 6);
    // cross short: liquidated where wallet − 2·(L − entry) = 0.5%·2·L
    const liq = (wallet + 2 * 3000) / (2 * 1.005);
    expect(p.liquidationPrice).toBeCloseTo(liq, 4);
    expect(p.health.liquidationDistance).toBeCloseTo((liq - 3300) / 3300, 9);
    expect(p.health.marginRatio).toBeCloseTo((0.005 * 2 * 3300) / (wallet - 600), 9);
    // about 35% away: outside the 25% buffer
    expect(p.health.healthy).toBe(true);

    h.account.setMarkPrice('ETHUSDT', 3700); // 1,400 lost: liquidation now about 10% away
    const worse = (await sync()).positions[ETH]!;
    expect(worse.health.liquidationDistance).toBeLessThan(0.25);
    expect(worse.health.healthy).toBe(false);
    expect(worse.health.reason).toMatch(/inside the 25\.00% buffer/);
    // the size that restores the buffer is smaller than what is held
    expect(worse.health.maxSafeNotional).toBeLessThan(2 * 3700);
    expect(worse.health.maxSafeNotional).toBeCloseTo((wallet - 1400) / (0.25 * 1.005 + 0.005), 6);
  });

  it('places the part of a hedge the free margin carries and reports the rest as unplaced', async () => {
    await start(3_000);
    // 6 ETH at 3x needs 6,000 USDT; 3,000 carry about 2.94 ETH (2% kept free)
    const r = await hedgeTo(-6, 1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.positionSize).toBeCloseTo(-2.94, 9);
    expect(r.unplaced).toBeCloseTo(3.06, 9);
    expect(r.note).toMatch(/partial hedge/);
    expect(h.account.position('ETHUSDT').size).toBeCloseTo(-2.94, 9);
    // nothing left free: the next attempt is refused, not sent
    const sent = h.server.count(h.createRoute);
    const again = await hedgeTo(-6, 2);
    expect(again).toMatchObject({ ok: false, kind: 'insufficient-margin' });
    expect(h.server.count(h.createRoute)).toBe(sent);
  });
});
