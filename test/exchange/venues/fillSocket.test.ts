/**
 * Fills through the venues' sockets (ccxt.pro watchMyTrades) against the loopback stand-ins:
 * Binance's futures user data stream (listenKey) and Bybit's v5 private `execution` topic, served
 * on the same port as the REST API. A fill arrives through the socket (no fetchMyTrades while it
 * does); fills made while the socket is down arrive exactly once after the reconnect (one
 * catch-up fetch); a socket that keeps failing sends fills to polling and is tried again later.
 */
import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fill } from '../../../src/adapters/exchange/venue.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { startVenueHarness, TEST_API_KEY, TEST_SECRET, type VenueHarness, type VenueName } from '../../support/venues/venueHarness.js';

const ETH = 'ETH/USDT:USDT';
const BTC = 'BTC/USDT:USDT';
const LIVE = 'fill socket live, caught up';

/** Waits for `cond` (checked every 10 ms); fails the test with `what` when it does not hold within 20 s. */
async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe.each<VenueName>(['binanceusdm', 'bybit'])('%s fills through the socket', (name) => {
  const tradesRoute = name === 'binanceusdm' ? 'GET /fapi/v1/userTrades' : 'GET /v5/execution/list';
  const subscribedEvent = name === 'binanceusdm' ? 'user data stream open' : 'subscribe execution';
  let capture: LogCapture;
  let h: VenueHarness;
  let sub: Subscription | undefined;
  const fills: Fill[] = [];

  const start = async (socketRetryMs = 60_000): Promise<void> => {
    h = await startVenueHarness(name, capture, { timeouts: { requestMs: 2_000, fillPollMs: 50, socketReconnectMs: 20, socketRetryMs } });
    sub = h.venue.fills$.subscribe((f) => fills.push(f));
  };
  /** Socket open (and subscribed) at the stand-in, and the venue's catch-up done: `n`-th time. */
  const live = async (n: number): Promise<void> => {
    await until(`socket live #${n}`, () => occurrences(capture.text(), LIVE) >= n && h.server.socketLog.filter((e) => e === subscribedEvent).length >= n);
  };
  const fillOf = (cid: string): Fill[] => fills.filter((f) => f.clientOrderId === cid);

  beforeEach(() => {
    capture = new LogCapture();
    fills.length = 0;
  });
  afterEach(async () => {
    sub?.unsubscribe();
    await h.stop();
    const text = capture.text();
    expect(text).not.toContain(TEST_SECRET);
    expect(text).not.toContain(TEST_API_KEY);
  });

  it('a market order fill arrives through the socket, with no fetchMyTrades while it does', async () => {
    await start();
    await live(1);
    const polls = h.server.count(tradesRoute);
    const placed = await h.venue.createOrder({ clientOrderId: 'rk-sock-fill-1', symbol: ETH, side: 'buy', amount: 0.5, type: 'market' });
    await until('the fill', () => fillOf('rk-sock-fill-1').length > 0);
    expect(h.server.count(tradesRoute)).toBe(polls);
    expect(fillOf('rk-sock-fill-1')).toEqual([
      { venue: `${name}:test`, orderId: placed.id, clientOrderId: 'rk-sock-fill-1', symbol: ETH, side: 'buy', amount: 0.5, price: 3000, fee: expect.closeTo(0.5 * 3000 * 0.0004, 9) as number, timestamp: expect.any(Number) as number },
    ]);
    expect(h.server.socketsAccepted).toBe(1);
  });

  it('fills made while the socket is down arrive exactly once after the reconnect', async () => {
    await start();
    await live(1);
    await h.venue.createOrder({ clientOrderId: 'rk-sock-before', symbol: ETH, side: 'buy', amount: 0.1, type: 'market' });
    await until('the fill before the drop', () => fillOf('rk-sock-before').length > 0);
    const polls = h.server.count(tradesRoute);
    h.server.holdSockets = true;
    h.server.dropSockets();
    await h.venue.createOrder({ clientOrderId: 'rk-sock-down-1', symbol: ETH, side: 'sell', amount: 0.2, type: 'market' });
    await h.venue.createOrder({ clientOrderId: 'rk-sock-down-2', symbol: BTC, side: 'buy', amount: 0.01, type: 'market' });
    expect(fillOf('rk-sock-down-1')).toEqual([]);
    h.server.releaseSockets();
    await live(2);
    await until('the fills made while down', () => fillOf('rk-sock-down-1').length > 0 && fillOf('rk-sock-down-2').length > 0);
    // One catch-up: one fetchMyTrades per symbol.
    expect(h.server.count(tradesRoute)).toBe(polls + 2);
    await h.venue.createOrder({ clientOrderId: 'rk-sock-after', symbol: ETH, side: 'buy', amount: 0.3, type: 'market' });
    await until('the fill after the reconnect', () => fillOf('rk-sock-after').length > 0);
    expect(h.server.count(tradesRoute)).toBe(polls + 2);
    const ids = fills.map((f) => f.clientOrderId);
    expect([...ids].sort()).toEqual(['rk-sock-after', 'rk-sock-before', 'rk-sock-down-1', 'rk-sock-down-2']);
    expect(h.server.socketsAccepted).toBe(2);
  });

  it('polls while the socket keeps failing, and goes back to the socket later', async () => {
    capture = new LogCapture();
    const retryMs = 400;
    h = await startVenueHarness(name, capture, { timeouts: { requestMs: 2_000, fillPollMs: 50, socketReconnectMs: 20, socketRetryMs: retryMs } });
    h.server.refuseSockets = true;
    sub = h.venue.fills$.subscribe((f) => fills.push(f));
    await until('the fallback to polling', () => capture.text().includes('fill socket keeps failing; polling fills'));
    const polls = h.server.count(tradesRoute);
    await h.venue.createOrder({ clientOrderId: 'rk-sock-polled', symbol: ETH, side: 'buy', amount: 0.1, type: 'market' });
    await until('the polled fill', () => fillOf('rk-sock-polled').length > 0);
    expect(h.server.count(tradesRoute)).toBeGreaterThan(polls);
    expect(h.server.socketsAccepted).toBe(0);
    h.server.refuseSockets = false;
    await live(1);
    const afterCatchUp = h.server.count(tradesRoute);
    await h.venue.createOrder({ clientOrderId: 'rk-sock-back', symbol: ETH, side: 'sell', amount: 0.1, type: 'market' });
    await until('the fill through the socket again', () => fillOf('rk-sock-back').length > 0);
    expect(h.server.count(tradesRoute)).toBe(afterCatchUp);
    expect(fills.map((f) => f.clientOrderId)).toEqual(['rk-sock-polled', 'rk-sock-back']);
  });

  it('after a key rotation the socket is opened again with the new key, and fills keep coming through it', async () => {
    const rotated = { apiKey: 'rkRotatedKey0123456789abcdef0123456789ab', secret: 'rkRotatedSecret0123456789abcdef0123456789abcdef0123' };
    await start();
    await live(1);
    h.account.key = rotated; // the venue now accepts only the new key (and its listenKeys)
    h.venue.updateCredentials(rotated);
    await live(2);
    const polls = h.server.count(tradesRoute);
    await h.venue.createOrder({ clientOrderId: 'rk-sock-rotated', symbol: ETH, side: 'buy', amount: 0.1, type: 'market' });
    await until('the fill after the rotation', () => fillOf('rk-sock-rotated').length > 0);
    expect(h.server.count(tradesRoute)).toBe(polls);
    expect(h.server.socketsAccepted).toBe(2);
    expect(fillOf('rk-sock-rotated')).toHaveLength(1);
    expect(capture.text()).not.toContain(rotated.secret);
  });

  it('with watch: false fills are polled and no socket is opened', async () => {
    h = await startVenueHarness(name, capture, { watch: false, timeouts: { requestMs: 2_000, fillPollMs: 50 } });
    sub = h.venue.fills$.subscribe((f) => fills.push(f));
    await h.venue.createOrder({ clientOrderId: 'rk-sock-off', symbol: BTC, side: 'sell', amount: 0.01, type: 'market' });
    await until('the polled fill', () => fillOf('rk-sock-off').length > 0);
    expect(h.server.socketsAccepted).toBe(0);
    expect(h.server.count(tradesRoute)).toBeGreaterThan(0);
    expect(fillOf('rk-sock-off')).toHaveLength(1);
  });
});
