/**
 * Venue start-up against the stand-ins: markets loaded, the key's permissions checked (a key
 * that can withdraw is refused unless overridden), leverage set on every configured symbol.
 */
import { describe, expect, it } from 'vitest';
import { openCcxtVenue } from '../../../src/adapters/exchange/ccxt/index.js';
import { KeyStoreError } from '../../../src/adapters/keys/keyErrors.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { SimAccount } from '../../support/venues/simAccount.js';
import { startStandIn, TEST_API_KEY, TEST_SECRET, venueOptions, type VenueName } from '../../support/venues/venueHarness.js';

describe.each<VenueName>(['binanceusdm', 'bybit'])('openCcxtVenue on %s', (name) => {
  it('checks the key, then sets the configured leverage on every symbol', async () => {
    const account = new SimAccount();
    const server = await startStandIn(name, account);
    const capture = new LogCapture();
    try {
      const { venue, permissions } = await openCcxtVenue(venueOptions(name, server.baseUrl, capture, { leverage: 4 }));
      expect(permissions).toMatchObject({ venue: name, canTrade: true, canWithdraw: false, ipRestricted: false });
      expect(account.leverageOf('ETHUSDT')).toBe(4);
      expect(account.leverageOf('BTCUSDT')).toBe(4);
      expect(capture.text()).toContain('API key permission check');
      expect(capture.text()).toContain('IP whitelist');
      expect(capture.text()).not.toContain(TEST_SECRET);
      expect(capture.text()).not.toContain(TEST_API_KEY);
      await venue.close();
    } finally {
      await server.stop();
    }
  });

  it('refuses a key that can withdraw, before any leverage or order request', async () => {
    const account = new SimAccount();
    account.keyCanWithdraw = true;
    const server = await startStandIn(name, account);
    try {
      const err = await openCcxtVenue(venueOptions(name, server.baseUrl, new LogCapture())).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(KeyStoreError);
      expect((err as KeyStoreError).message).toMatch(/can withdraw/);
      expect(server.log.some((r) => r.route.includes('leverage') || r.route.includes('order'))).toBe(false);
      expect(account.leverage.size).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('runs with a withdrawal-capable key only on the explicit override', async () => {
    const account = new SimAccount();
    account.keyCanWithdraw = true;
    const server = await startStandIn(name, account);
    const capture = new LogCapture();
    try {
      const { venue, permissions } = await openCcxtVenue({ ...venueOptions(name, server.baseUrl, capture), allowWithdrawKey: true });
      expect(permissions?.canWithdraw).toBe(true);
      expect(capture.text()).toContain('explicit override');
      await venue.close();
    } finally {
      await server.stop();
    }
  });
});
