/**
 * ccxt venues against their loopback stand-ins (no network): latency of one market order placed
 * through our CcxtVenue (pre-send checks, exactly-once placement, typed errors; Bybit also asks
 * for the fill details its acknowledgement lacks) next to a bare ccxt createOrder on the same
 * stand-in. p50 of 200 orders per venue, alternating buy/sell of 0.01 ETH.
 *
 * Fill latency: from sending a market order to its fill on `fills$`, through the venue's socket
 * (watchMyTrades) next to polling fetchMyTrades every 200 ms (`watch: false`). p50 of 30 orders.
 */
import { binanceusdm, bybit, type Exchange } from 'ccxt';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { createCcxtVenue, rewriteApiUrls } from '../src/adapters/exchange/ccxt/index.js';
import { quantile } from '../src/math/descriptiveStatistics.js';
import { LogCapture } from '../test/support/venues/logCapture.js';
import { startStandIn, TEST_API_KEY, TEST_SECRET, venueOptions, type VenueName } from '../test/support/venues/venueHarness.js';
import { result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const ORDERS = 200;
const FILL_ORDERS = 30;
const POLL_MS = 200;

/** Median of a non-empty sample (the math module's type-7 quantile). */
const p50 = (xs: number[]): number => quantile(xs, 0.5);

function bareExchange(name: VenueName, baseUrl: string): Exchange {
  const common = { apiKey: TEST_API_KEY, secret: TEST_SECRET, enableRateLimit: false, timeout: 5_000 };
  const ex = name === 'binanceusdm'
    ? new binanceusdm({ ...common, options: { fetchCurrencies: false, fetchMargins: false } })
    : new bybit({ ...common, options: { fetchMarkets: { types: ['linear'] } } });
  if (name === 'bybit') ex.has['fetchCurrencies'] = false;
  ex.urls['api'] = rewriteApiUrls(ex.urls['api'], baseUrl) as Exchange['urls']['api'];
  return ex;
}

async function measure(name: VenueName): Promise<BenchResult> {
  const server = await startStandIn(name);
  const venue = createCcxtVenue(venueOptions(name, server.baseUrl, new LogCapture(), { timeouts: { requestMs: 5_000, fillPollMs: 60_000 } }));
  const bare = bareExchange(name, server.baseUrl);
  try {
    await venue.loadMarkets();
    await bare.loadMarkets();
    const ours: number[] = [];
    const ref: number[] = [];
    for (let i = 0; i < ORDERS; i += 1) {
      const side = i % 2 === 0 ? 'buy' : 'sell';
      let t0 = performance.now();
      await venue.createOrder({ clientOrderId: `rk-bench-ours-${i}`, symbol: 'ETH/USDT:USDT', side, amount: 0.01, type: 'market' });
      ours.push(performance.now() - t0);
      t0 = performance.now();
      await bare.createOrder('ETH/USDT:USDT', 'market', side, 0.01, undefined, { clientOrderId: `rk-bench-bare-${i}` });
      ref.push(performance.now() - t0);
    }
    const note = name === 'bybit' ? 'ours = create + fill lookup (Bybit acks without fills)' : 'one request each';
    return result(`${name} market order p50 (loopback)`, p50(ours), p50(ref), 'ms', note);
  } finally {
    await venue.close();
    await bare.close();
    await server.stop();
  }
}

/** p50 ms from createOrder to the fill on fills$, for a venue with the socket on or off. */
async function fillLatencyP50(name: VenueName, baseUrl: string, watch: boolean): Promise<number> {
  const capture = new LogCapture();
  const venue = createCcxtVenue(venueOptions(name, baseUrl, capture, { watch, timeouts: { requestMs: 5_000, fillPollMs: POLL_MS } }));
  const sub = venue.fills$.subscribe();
  try {
    await venue.loadMarkets();
    if (watch) while (!capture.text().includes('fill socket live, caught up')) await new Promise((r) => setTimeout(r, 10));
    const lat: number[] = [];
    for (let i = 0; i < FILL_ORDERS; i += 1) {
      const cid = `rk-bench-fill-${watch ? 's' : 'p'}-${i}`;
      const got = firstValueFrom(venue.fills$.pipe(filter((f) => f.clientOrderId === cid), timeout(10_000)));
      const t0 = performance.now();
      await venue.createOrder({ clientOrderId: cid, symbol: 'ETH/USDT:USDT', side: i % 2 === 0 ? 'buy' : 'sell', amount: 0.01, type: 'market' });
      await got;
      lat.push(performance.now() - t0);
    }
    return p50(lat);
  } finally {
    sub.unsubscribe();
    await venue.close();
  }
}

async function measureFills(name: VenueName): Promise<BenchResult> {
  const server = await startStandIn(name);
  try {
    const socket = await fillLatencyP50(name, server.baseUrl, true);
    const polled = await fillLatencyP50(name, server.baseUrl, false);
    return result(`${name} order-to-fill p50 (loopback)`, socket, polled, 'ms', `ours = socket (watchMyTrades), reference = polling every ${POLL_MS} ms`);
  } finally {
    await server.stop();
  }
}

export const ccxtVenueSuite: Suite = {
  name: 'ccxt venues',
  async run(emit) {
    const out: BenchResult[] = [];
    for (const name of ['binanceusdm', 'bybit'] as const) {
      for (const r of [await measure(name), await measureFills(name)]) {
        emit(r);
        out.push(r);
      }
    }
    return out;
  },
};
