import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createCcxtVenue } from '../../src/adapters/exchange/ccxt/index.js';
import { venueMarkPrices$ } from '../../src/streams/venueMarkPrices.js';
import { createLogger } from '../../src/logging/logger.js';
import { LogCapture } from '../support/venues/logCapture.js';
import { SimAccount } from '../support/venues/simAccount.js';
import { startStandIn, venueOptions, type VenueName } from '../support/venues/venueHarness.js';

describe.each<VenueName>(['binanceusdm', 'bybit'])('venueMarkPrices$ on %s', (name) => {
  it("emits the venue's mark price as the asset's reference price, and follows it", async () => {
    const account = new SimAccount();
    const server = await startStandIn(name, account);
    const venue = createCcxtVenue(venueOptions(name, server.baseUrl, new LogCapture()));
    try {
      await venue.loadMarkets();
      const assets = new Map([['ETH/USDT:USDT', 'ETH'], ['BTC/USDT:USDT', 'BTC']]);
      const first = await firstValueFrom(venueMarkPrices$({ source: venue, assets, intervalMs: 50, log: createLogger({ level: 'silent' }) }).pipe(take(2), toArray()));
      expect(new Map(first.map((t) => [t.asset, t.price]))).toEqual(new Map([['ETH', 3000], ['BTC', 60000]]));
      account.market('ETHUSDT').markPrice = 3123.5;
      // A venue caches a mark for a few seconds; a fresh client reads the new one at once.
      const fresh = createCcxtVenue(venueOptions(name, server.baseUrl, new LogCapture()));
      await fresh.loadMarkets();
      const next = await firstValueFrom(venueMarkPrices$({ source: fresh, assets: new Map([['ETH/USDT:USDT', 'ETH']]), intervalMs: 50, log: createLogger({ level: 'silent' }) }));
      expect(next).toMatchObject({ asset: 'ETH', price: 3123.5 });
      await fresh.close();
    } finally {
      await venue.close();
      await server.stop();
    }
  });

  it('skips a failed read (logged) and goes on', async () => {
    const server = await startStandIn(name, new SimAccount());
    const venue = createCcxtVenue(venueOptions(name, server.baseUrl, new LogCapture()));
    const capture = new LogCapture();
    try {
      await venue.loadMarkets();
      let calls = 0;
      const source = { id: venue.id, fetchMarkPrice: async (s: string) => (++calls === 1 ? Promise.reject(new Error('venue down')) : venue.fetchMarkPrice(s)) };
      const tick = await firstValueFrom(venueMarkPrices$({ source, assets: new Map([['ETH/USDT:USDT', 'ETH']]), intervalMs: 20, log: createLogger({ level: 'warn', destination: capture }) }));
      expect(tick.price).toBe(3000);
      expect(capture.text()).toContain('reference price read failed');
    } finally {
      await venue.close();
      await server.stop();
    }
  });
});
