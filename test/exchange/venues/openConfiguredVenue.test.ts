/**
 * The agent's way into a real venue: credentials from the encrypted key store, then the
 * start-up checks of openCcxtVenue, against the loopback stand-ins.
 */
import { describe, expect, it } from 'vitest';
import { openConfiguredVenue } from '../../../src/adapters/exchange/ccxt/index.js';
import { Credentials } from '../../../src/adapters/keys/credentials.js';
import { KeyStore } from '../../../src/adapters/keys/keyStore.js';
import { deriveMasterKey } from '../../../src/adapters/keys/masterKey.js';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { SimAccount } from '../../support/venues/simAccount.js';
import { startStandIn, TEST_API_KEY, TEST_SECRET, type VenueName } from '../../support/venues/venueHarness.js';

describe.each<VenueName>(['binanceusdm', 'bybit'])('openConfiguredVenue on %s', (name) => {
  it('opens the venue with the stored key, under the configured id, and sets the hedge leverage', async () => {
    const account = new SimAccount();
    const server = await startStandIn(name, account);
    const capture = new LogCapture();
    const keys = await KeyStore.open(new MemoryStore(), deriveMasterKey('c'.repeat(64)));
    await keys.add(name, 'main', new Credentials(TEST_API_KEY, TEST_SECRET));
    try {
      const { venue } = await openConfiguredVenue({
        exchange: { kind: name, id: 'hedger', label: 'main', sandbox: false, apiUrl: server.baseUrl },
        symbols: ['ETH/USDT:USDT'],
        leverage: 3,
        keyStore: keys,
        log: createLogger({ level: 'debug', destination: capture }),
      });
      expect(venue.id).toBe('hedger');
      expect(account.leverageOf('ETHUSDT')).toBe(3);
      expect((await venue.fetchBalance()).currency).toBe('USDT');
      expect(capture.text()).not.toContain(TEST_SECRET);
      await venue.close();
    } finally {
      await server.stop();
    }
  });

  it('says which key is missing, and refuses a fractional leverage, before any request', async () => {
    const server = await startStandIn(name, new SimAccount());
    const keys = await KeyStore.open(new MemoryStore(), deriveMasterKey('c'.repeat(64)));
    const log = createLogger({ level: 'silent' });
    try {
      const base = { exchange: { kind: name, label: 'absent', sandbox: false, apiUrl: server.baseUrl }, symbols: ['ETH/USDT:USDT'], keyStore: keys, log };
      await expect(openConfiguredVenue({ ...base, leverage: 3 })).rejects.toThrow(`no credentials ${name}/absent`);
      await expect(openConfiguredVenue({ ...base, leverage: 2.5 })).rejects.toThrow(/whole number/);
      expect(server.log).toHaveLength(0);
    } finally {
      await server.stop();
    }
  });
});
