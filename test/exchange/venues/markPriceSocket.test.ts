/**
 * Mark prices through the venues' public sockets (ccxt.pro: Binance `<symbol>@markPrice@1s`, Bybit
 * `tickers.<SYMBOL>`) feeding venueMarkPrices$ (the agent's reference prices) against the loopback
 * stand-ins: a mark price change arrives through the socket with no poll after the first, also
 * after the socket was dropped and reconnected; with `watch: false` the venue offers no live marks.
 */
import { lastValueFrom, toArray, type Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PriceTick } from '../../../src/actors/agent.js';
import { createLogger } from '../../../src/logging/logger.js';
import { venueMarkPrices$, type MarkPriceSource } from '../../../src/streams/venueMarkPrices.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { startVenueHarness, TEST_API_KEY, TEST_SECRET, type VenueHarness, type VenueName } from '../../support/venues/venueHarness.js';

const ETH = 'ETH/USDT:USDT';
const BTC = 'BTC/USDT:USDT';
const ASSETS = new Map([[ETH, 'ETH'], [BTC, 'BTC']]);

/** Waits for `cond` (checked every 10 ms); fails the test with `what` when it does not hold within 20 s. */
async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each<VenueName>(['binanceusdm', 'bybit'])('%s mark prices through the socket', (name) => {
  const subscribed = (id: string): string => (name === 'binanceusdm' ? `subscribe markPrice ${id}` : `subscribe tickers ${id}`);
  let capture: LogCapture;
  let h: VenueHarness;
  let sub: Subscription | undefined;
  const ticks: PriceTick[] = [];
  /** fetchMarkPrice calls the stream made, and how many of them have finished. */
  let polls = 0;
  let pollsDone = 0;

  beforeEach(() => {
    capture = new LogCapture();
    ticks.length = 0;
    polls = 0;
    pollsDone = 0;
  });
  afterEach(async () => {
    sub?.unsubscribe();
    await h.stop();
    expect(capture.text()).not.toContain(TEST_SECRET);
    expect(capture.text()).not.toContain(TEST_API_KEY);
  });

  /** The venue as the stream's source, its polls counted. */
  const counted = (): MarkPriceSource => ({
    id: h.venue.id,
    fetchMarkPrice: (symbol) => {
      polls += 1;
      return h.venue.fetchMarkPrice(symbol).finally(() => (pollsDone += 1));
    },
    markPrices$: (symbols) => h.venue.markPrices$(symbols),
  });
  const socketLogCount = (event: string): number => h.server.socketLog.filter((e) => e === event).length;

  it('a mark price change arrives through the socket, with no poll after the first round', async () => {
    h = await startVenueHarness(name, capture, { timeouts: { requestMs: 2_000, socketReconnectMs: 20 } });
    await h.venue.loadMarkets();
    sub = venueMarkPrices$({ source: counted(), assets: ASSETS, intervalMs: 60_000, log: createLogger({ level: 'silent' }) }).subscribe((t) => ticks.push(t));
    await until('the first poll round and the socket subscriptions', () => pollsDone === 2 && socketLogCount(subscribed('ETHUSDT')) === 1 && socketLogCount(subscribed('BTCUSDT')) === 1);
    h.account.setMarkPrice('ETHUSDT', 3100.5);
    await until('the new ETH mark', () => ticks.some((t) => t.asset === 'ETH' && t.price === 3100.5));
    expect(polls).toBe(2);
    expect(ticks.filter((t) => t.asset === 'BTC').every((t) => t.price === 60000)).toBe(true);
    // The venue keeps the pushed mark: its own mark price read needs no request.
    const restReads = h.server.count(name === 'binanceusdm' ? 'GET /fapi/v1/premiumIndex' : 'GET /v5/market/tickers');
    expect(await h.venue.fetchMarkPrice(ETH)).toBe(3100.5);
    expect(h.server.count(name === 'binanceusdm' ? 'GET /fapi/v1/premiumIndex' : 'GET /v5/market/tickers')).toBe(restReads);
  });

  it('reconnects a dropped mark socket and follows the price again', async () => {
    h = await startVenueHarness(name, capture, { timeouts: { requestMs: 2_000, socketReconnectMs: 20 } });
    await h.venue.loadMarkets();
    sub = venueMarkPrices$({ source: counted(), assets: ASSETS, intervalMs: 60_000, log: createLogger({ level: 'silent' }) }).subscribe((t) => ticks.push(t));
    await until('the first poll round and the socket subscription', () => pollsDone === 2 && socketLogCount(subscribed('ETHUSDT')) === 1);
    h.server.dropSockets();
    await until('the re-subscription', () => socketLogCount(subscribed('ETHUSDT')) === 2);
    h.account.setMarkPrice('ETHUSDT', 2950.25);
    await until('the new ETH mark after the reconnect', () => ticks.some((t) => t.asset === 'ETH' && t.price === 2950.25));
    expect(polls).toBe(2);
    expect(h.server.socketsAccepted).toBe(2);
    expect(capture.text()).toContain('mark price socket failed; reconnecting');
  });

  it('with watch: false the venue offers no live marks and opens no socket', async () => {
    h = await startVenueHarness(name, capture, { watch: false, timeouts: { requestMs: 2_000 } });
    await h.venue.loadMarkets();
    expect(await lastValueFrom(h.venue.markPrices$([ETH]).pipe(toArray()))).toEqual([]);
    sub = venueMarkPrices$({ source: counted(), assets: ASSETS, intervalMs: 60_000, log: createLogger({ level: 'silent' }) }).subscribe((t) => ticks.push(t));
    await until('the polled marks', () => ticks.length === 2);
    expect(new Map(ticks.map((t) => [t.asset, t.price]))).toEqual(new Map([['ETH', 3000], ['BTC', 60000]]));
    expect(polls).toBe(2);
    expect(h.server.socketsAccepted).toBe(0);
  });
});
