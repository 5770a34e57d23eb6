/**
 * Both ccxt venues (Binance USDⓈ-M, Bybit linear) against their loopback stand-ins: markets and
 * precision, balance, positions, leverage, market and reduce-only orders with client ids, lookup
 * by client id, cancel all, funding, fills (through the socket; fillSocket.test.ts covers
 * polling), and the requests that must never be retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, filter, take, timeout } from 'rxjs';
import { VenueError } from '../../../src/adapters/exchange/errors.js';
import { createCcxtVenue, parseVenueConfig } from '../../../src/adapters/exchange/ccxt/index.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { startVenueHarness, TEST_API_KEY, TEST_SECRET, type VenueHarness, type VenueName } from '../../support/venues/venueHarness.js';

const ETH = 'ETH/USDT:USDT';
const BTC = 'BTC/USDT:USDT';
const capture = new LogCapture();

async function rejection(p: Promise<unknown>): Promise<VenueError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof VenueError) return err;
    throw err;
  }
  throw new Error('expected a VenueError');
}

describe.each<VenueName>(['binanceusdm', 'bybit'])('%s through ccxt against its loopback stand-in', (name) => {
  let h: VenueHarness;
  beforeAll(async () => {
    h = await startVenueHarness(name, capture);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('loads markets with lot size, minimum amount, minimum notional and tick', async () => {
    const markets = await h.venue.loadMarkets();
    expect(markets.map((m) => m.symbol)).toEqual([ETH, BTC]);
    expect(markets[0]).toMatchObject({ base: 'ETH', quote: 'USDT', amountStep: 0.001, minAmount: 0.001, minNotional: 5, priceStep: 0.01 });
    expect(markets[1]).toMatchObject({ base: 'BTC', amountStep: 0.001, minNotional: 100, priceStep: 0.1 });
  });

  it('reads the USDT balance', async () => {
    expect(await h.venue.fetchBalance()).toEqual({ currency: 'USDT', total: 10_000, free: 10_000, used: 0 });
  });

  it('sets leverage on the venue and refuses an impossible one before sending', async () => {
    await h.venue.setLeverage(ETH, 3);
    expect(h.account.leverageOf('ETHUSDT')).toBe(3);
    await h.venue.setLeverage(ETH, 3); // unchanged leverage is not an error (Bybit answers 110043)
    const before = h.server.log.length;
    const e = await rejection(h.venue.setLeverage(ETH, 0));
    expect(e.kind).toBe('invalid-order');
    expect(h.server.log.length).toBe(before);
  });

  it('places a market order with its client id, and the position follows the fill', async () => {
    const order = await h.venue.createOrder({ clientOrderId: 'rk-ops-short-1', symbol: ETH, side: 'sell', amount: 1.5, type: 'market' });
    expect(order).toMatchObject({ clientOrderId: 'rk-ops-short-1', symbol: ETH, side: 'sell', amount: 1.5, filled: 1.5, average: 3000, status: 'closed', reduceOnly: false });
    expect(h.server.log.filter((r) => r.route === h.createRoute).at(-1)?.params).toMatchObject(
      name === 'binanceusdm' ? { newClientOrderId: 'rk-ops-short-1', side: 'SELL', type: 'MARKET', quantity: '1.5' } : { orderLinkId: 'rk-ops-short-1', side: 'Sell', orderType: 'Market', qty: '1.5' },
    );
    const [pos] = await h.venue.fetchPositions([ETH]);
    expect(pos).toMatchObject({ symbol: ETH, size: -1.5, entryPrice: 3000, markPrice: 3000, leverage: 3 });
    expect(pos?.margin).toBeCloseTo(1500, 2);
    const bal = await h.venue.fetchBalance();
    expect(bal.used).toBeCloseTo(1500, 2);
  });

  it('finds an order by client id, and answers null for an id the venue never accepted', async () => {
    const found = await h.venue.fetchOrderByClientId(ETH, 'rk-ops-short-1');
    expect(found).toMatchObject({ clientOrderId: 'rk-ops-short-1', filled: 1.5, status: 'closed' });
    expect(await h.venue.fetchOrderByClientId(ETH, 'rk-never-sent')).toBeNull();
  });

  it('sends the same client id again without opening a second order', async () => {
    const again = await h.venue.createOrder({ clientOrderId: 'rk-ops-short-1', symbol: ETH, side: 'sell', amount: 1.5, type: 'market' });
    expect(again.clientOrderId).toBe('rk-ops-short-1');
    expect([...h.account.orders.values()].filter((o) => o.clientId === 'rk-ops-short-1')).toHaveLength(1);
    expect(h.account.position('ETHUSDT').size).toBe(-1.5);
  });

  it('reduces with a reduce-only order, and refuses a reduce-only order that would open a position', async () => {
    const o = await h.venue.createOrder({ clientOrderId: 'rk-ops-reduce-1', symbol: ETH, side: 'buy', amount: 0.5, type: 'market', reduceOnly: true });
    expect(o).toMatchObject({ reduceOnly: true, filled: 0.5 });
    expect(h.account.position('ETHUSDT').size).toBe(-1);
    const sent = h.server.count(h.createRoute);
    const e = await rejection(h.venue.createOrder({ clientOrderId: 'rk-ops-reduce-2', symbol: ETH, side: 'sell', amount: 0.5, type: 'market', reduceOnly: true }));
    expect(e.kind).toBe('invalid-order');
    expect(e.retryable).toBe(false);
    expect(h.server.count(h.createRoute)).toBe(sent + 1);
  });

  it('says why an order cannot be placed before sending it (lot size, minimum notional, client id)', async () => {
    const sent = h.server.count(h.createRoute);
    const lot = await rejection(h.venue.createOrder({ clientOrderId: 'rk-ops-lot', symbol: ETH, side: 'sell', amount: 0.0015, type: 'market' }));
    expect(lot.kind).toBe('invalid-order');
    expect(lot.message).toContain('0.0015');
    const notional = await rejection(h.venue.createOrder({ clientOrderId: 'rk-ops-notional', symbol: BTC, side: 'sell', amount: 0.001, type: 'market' }));
    expect(notional.message).toMatch(/notional 60\.0+ USDT is below the minimum 100/);
    const badId = await rejection(h.venue.createOrder({ clientOrderId: 'rk ops with spaces', symbol: ETH, side: 'sell', amount: 0.01, type: 'market' }));
    expect(badId.message).toContain('client order id');
    const unknown = await rejection(h.venue.createOrder({ clientOrderId: 'rk-ops-sol', symbol: 'SOL/USDT:USDT', side: 'sell', amount: 1, type: 'market' }));
    expect(unknown.message).toContain('SOL/USDT:USDT');
    expect(h.server.count(h.createRoute)).toBe(sent);
  });

  it('never retries insufficient margin: the venue sees exactly one request', async () => {
    const sent = h.server.count(h.createRoute);
    // 5 BTC at 60,000 and the default 20x needs 15,000 USDT of margin; the account has ~10,000.
    const e = await rejection(h.venue.createOrder({ clientOrderId: 'rk-ops-too-big', symbol: BTC, side: 'sell', amount: 5, type: 'market' }));
    expect(e.kind).toBe('insufficient-margin');
    expect(e.retryable).toBe(false);
    expect(h.server.count(h.createRoute)).toBe(sent + 1);
    expect(h.account.orders.has('rk-ops-too-big')).toBe(false);
  });

  it('cancels every open order and reports how many', async () => {
    h.account.restLimit('ETHUSDT', 'BUY', 0.1, 2000, 'manual-eth-1');
    h.account.restLimit('BTCUSDT', 'BUY', 0.01, 50000, 'manual-btc-1');
    const open = await h.venue.fetchOpenOrders();
    expect(open.map((o) => o.clientOrderId).sort()).toEqual(['manual-btc-1', 'manual-eth-1']);
    expect(await h.venue.cancelAllOrders()).toBe(2);
    expect(h.account.openOrders()).toEqual([]);
    expect(await h.venue.cancelAllOrders(ETH)).toBe(0);
  });

  it('reads the funding rate and the next funding time', async () => {
    const fr = await h.venue.fetchFundingRate(ETH);
    expect(fr.symbol).toBe(ETH);
    expect(fr.rate).toBeCloseTo(0.0001, 12);
    expect(fr.nextFundingTime).not.toBeNull();
    expect((fr.nextFundingTime ?? 0) % 28_800_000).toBe(0);
    expect((await h.venue.fetchFundingRate(BTC)).rate).toBeCloseTo(-0.00005, 12);
  });

  it('emits fills of new orders', async () => {
    const fill = firstValueFrom(h.venue.fills$.pipe(filter((f) => f.orderId !== '' && f.symbol === ETH && f.side === 'sell' && f.amount === 0.25), take(1), timeout(10_000)));
    const placed = await h.venue.createOrder({ clientOrderId: 'rk-ops-fill-1', symbol: ETH, side: 'sell', amount: 0.25, type: 'market' });
    const f = await fill;
    expect(f).toMatchObject({ venue: `${name}:test`, orderId: placed.id, clientOrderId: 'rk-ops-fill-1', price: 3000 });
    expect(f.fee).toBeCloseTo(0.25 * 3000 * 0.0004, 9);
  });
});

describe.each<VenueName>(['binanceusdm', 'bybit'])('%s with a wrong secret', (name) => {
  it('fails with an auth error, sent once, and the secret appears nowhere in the log', async () => {
    const h = await startVenueHarness(name, capture);
    const wrong = createCcxtVenue({
      config: parseVenueConfig({ venue: name, label: 'wrong', symbols: [ETH], timeouts: { requestMs: 400 }, retries: { baseDelayMs: 1, maxDelayMs: 2 } }),
      credentials: { apiKey: TEST_API_KEY, secret: `${TEST_SECRET}x` },
      log: createLogger({ level: 'debug', destination: capture }),
      apiBaseUrl: h.server.baseUrl,
    });
    try {
      const before = h.server.log.length;
      const e = await rejection(wrong.fetchBalance());
      expect(e.kind).toBe('auth');
      expect(e.retryable).toBe(false);
      // Public market data loads fine; bybit asks two account endpoints concurrently before the
      // balance (the second may or may not have left when the first fails). None is repeated.
      const routes = h.server.log.slice(before).filter((r) => !r.route.includes('exchangeInfo') && !r.route.includes('/market/')).map((r) => r.route);
      expect(routes.length).toBeGreaterThanOrEqual(1);
      expect(new Set(routes).size).toBe(routes.length);
    } finally {
      await wrong.close();
      await h.stop();
    }
  });
});

describe('log capture of the venue tests', () => {
  it('holds venue logs but never the test API key or secret', () => {
    const text = capture.text();
    expect(text).toContain('order placed');
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain(TEST_SECRET);
  });
});
