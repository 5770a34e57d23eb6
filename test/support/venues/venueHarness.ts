/**
 * Starts a loopback stand-in for a venue and a real ccxt venue pointed at it, with a test key,
 * a short request timeout, and retry sleeps recorded (and shortened) so fault tests stay fast.
 */
import { createLogger } from '../../../src/logging/logger.js';
import { createCcxtVenue, parseVenueConfig, type CcxtVenue, type CcxtVenueOptions, type VenueConfigInput } from '../../../src/adapters/exchange/ccxt/index.js';
import { startBinanceUsdmServer } from './binanceUsdmServer.js';
import { startBybitServer } from './bybitServer.js';
import type { LoopbackVenueServer } from './loopbackServer.js';
import type { LogCapture } from './logCapture.js';
import { SimAccount } from './simAccount.js';

export const TEST_API_KEY = 'rkTestKey7f3a9c1e5b2d8f4a6c0e1b3d5f7a9c2e';
export const TEST_SECRET = 'rkTestSecret0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e';

export type VenueName = 'binanceusdm' | 'bybit';

export interface VenueHarness {
  venue: CcxtVenue;
  server: LoopbackVenueServer;
  account: SimAccount;
  /** Every retry delay the venue asked for, ms. */
  delays: number[];
  /** The order-placement route of this venue, for fault injection. */
  createRoute: string;
  /** The order-lookup route. */
  lookupRoute: string;
  stop(): Promise<void>;
}

/** Venue options pointing at a stand-in; retry sleeps are recorded in `delays` and capped at 10 ms. */
export function venueOptions(name: VenueName, baseUrl: string, capture: LogCapture, config: Partial<VenueConfigInput> = {}, delays: number[] = []): CcxtVenueOptions {
  return {
    config: parseVenueConfig({
      venue: name,
      label: 'test',
      symbols: ['ETH/USDT:USDT', 'BTC/USDT:USDT'],
      // No client-side throttle: the stand-in has no rate limit of its own unless a fault says so.
      throttle: false,
      timeouts: { requestMs: 400, fillPollMs: 50 },
      retries: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 },
      ...config,
    }),
    credentials: { apiKey: TEST_API_KEY, secret: TEST_SECRET },
    log: createLogger({ level: 'debug', name: `test-${name}`, destination: capture }),
    apiBaseUrl: baseUrl,
    retryHooks: { sleep: (ms) => { delays.push(ms); return new Promise((r) => setTimeout(r, Math.min(ms, 10))); } },
  };
}

/** Starts the stand-in of `name` around `account`. */
export async function startStandIn(name: VenueName, account = new SimAccount()): Promise<LoopbackVenueServer> {
  const { server } = name === 'binanceusdm' ? await startBinanceUsdmServer(TEST_API_KEY, TEST_SECRET, account) : await startBybitServer(TEST_API_KEY, TEST_SECRET, account);
  return server;
}

/** Starts server + venue; `capture` receives every log line of the venue. */
export async function startVenueHarness(name: VenueName, capture: LogCapture, config: Partial<VenueConfigInput> = {}): Promise<VenueHarness> {
  const account = new SimAccount();
  const server = await startStandIn(name, account);
  const delays: number[] = [];
  const venue = createCcxtVenue(venueOptions(name, server.baseUrl, capture, config, delays));
  return {
    venue, server, account, delays,
    createRoute: name === 'binanceusdm' ? 'POST /fapi/v1/order' : 'POST /v5/order/create',
    lookupRoute: name === 'binanceusdm' ? 'GET /fapi/v1/order' : 'GET /v5/order/realtime',
    async stop() {
      await venue.close();
      await server.stop();
    },
  };
}
