/**
 * Rotation keeps the agent running: the operator rotates the key in the store and the venue
 * revokes the old one; a running venue picks up the new key and goes on trading, no restart.
 * A rotated key is checked as at start first: one that can withdraw is refused and the venue
 * keeps the key it has (issue 9: it slipped in unchecked).
 */
import { describe, expect, it } from 'vitest';
import { openConfiguredVenue } from '../../../src/adapters/exchange/ccxt/index.js';
import { followKeyRotation } from '../../../src/adapters/exchange/ccxt/keyRotation.js';
import { Credentials } from '../../../src/adapters/keys/credentials.js';
import { KeyStore } from '../../../src/adapters/keys/keyStore.js';
import { deriveMasterKey } from '../../../src/adapters/keys/masterKey.js';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { SimAccount } from '../../support/venues/simAccount.js';
import { startStandIn, TEST_API_KEY, TEST_SECRET, type VenueName } from '../../support/venues/venueHarness.js';

const WITHDRAW_KEY = { apiKey: 'rkWithdrawKey0123456789abcdef0123456789abc', secret: 'rkWithdrawSecret0123456789abcdef0123456789abcdef012' };
const NEW_KEY = { apiKey: 'rkRotatedKey0123456789abcdef0123456789ab', secret: 'rkRotatedSecret0123456789abcdef0123456789abcdef0123' };

describe.each<VenueName>(['binanceusdm', 'bybit'])('key rotation on %s', (name) => {
  it('a running venue switches to the rotated key, and trades again after the old one is revoked', async () => {
    const account = new SimAccount();
    const server = await startStandIn(name, account);
    const capture = new LogCapture();
    const log = createLogger({ level: 'debug', destination: capture });
    const keyStore = await KeyStore.open(new MemoryStore(), deriveMasterKey('d'.repeat(64)));
    await keyStore.add(name, 'main', new Credentials(TEST_API_KEY, TEST_SECRET));
    const { venue, keyGeneration, checkKey } = await openConfiguredVenue({
      exchange: { kind: name, label: 'main', sandbox: false, apiUrl: server.baseUrl },
      symbols: ['ETH/USDT:USDT'], leverage: 3, keyStore, log,
    });
    let stop: (() => void) | undefined;
    try {
      expect(keyGeneration).toBe(1);
      await keyStore.rotate(name, 'main', new Credentials(NEW_KEY.apiKey, NEW_KEY.secret));
      account.key = NEW_KEY; // the venue now accepts only the new key
      await expect(venue.fetchBalance()).rejects.toMatchObject({ kind: 'auth' });
      stop = followKeyRotation({ venue, keyStore, kind: name, label: 'main', generation: keyGeneration, checkKey, intervalMs: 20, log });
      let balance: Awaited<ReturnType<typeof venue.fetchBalance>> | undefined;
      for (let i = 0; i < 100 && balance === undefined; i++) {
        await new Promise((r) => setTimeout(r, 20));
        balance = await venue.fetchBalance().catch(() => undefined);
      }
      expect(balance?.currency).toBe('USDT');
      const order = await venue.createOrder({ clientOrderId: 'rk-rotation-1', symbol: 'ETH/USDT:USDT', side: 'sell', amount: 0.01, type: 'market' });
      expect(order.clientOrderId).toBe('rk-rotation-1');
      expect(capture.text()).toContain('rotated API key picked up');
      for (const secret of [TEST_SECRET, NEW_KEY.secret, NEW_KEY.apiKey]) expect(capture.text()).not.toContain(secret);
    } finally {
      stop?.();
      await venue.close();
      await server.stop();
    }
  });

  it('a rotated key that can withdraw is refused: the venue keeps trading on its current key, and a later good key is picked up', async () => {
    const account = new SimAccount();
    const server = await startStandIn(name, account);
    const capture = new LogCapture();
    const log = createLogger({ level: 'debug', destination: capture });
    const keyStore = await KeyStore.open(new MemoryStore(), deriveMasterKey('e'.repeat(64)));
    await keyStore.add(name, 'main', new Credentials(TEST_API_KEY, TEST_SECRET));
    const { venue, keyGeneration, checkKey } = await openConfiguredVenue({
      exchange: { kind: name, label: 'main', sandbox: false, apiUrl: server.baseUrl },
      symbols: ['ETH/USDT:USDT'], leverage: 3, keyStore, log,
    });
    const stop = followKeyRotation({ venue, keyStore, kind: name, label: 'main', generation: keyGeneration, checkKey, intervalMs: 20, log });
    const entries = (): Array<Record<string, unknown>> => capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const until = async (cond: () => boolean): Promise<boolean> => {
      for (let i = 0; i < 250 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
      return cond();
    };
    try {
      // the operator rotates to a new key the venue also accepts, but created with withdrawals on
      account.otherKeys.push({ ...WITHDRAW_KEY, canWithdraw: true });
      await keyStore.rotate(name, 'main', new Credentials(WITHDRAW_KEY.apiKey, WITHDRAW_KEY.secret));
      expect(await until(() => capture.text().includes('rotated API key refused')), capture.text()).toBe(true);
      const refusal = entries().find((l) => l['msg'] === 'rotated API key refused; the venue keeps its current key')!;
      expect(refusal).toMatchObject({ level: 50, generation: 2, code: 'WITHDRAW_PERMISSION', keeping: 1 });
      // a few more rounds: the refused generation is not tried again, nor swapped in
      await new Promise((r) => setTimeout(r, 150));
      expect(capture.text()).not.toContain('rotated API key picked up');
      expect(entries().filter((l) => l['msg'] === 'rotated API key refused; the venue keeps its current key')).toHaveLength(1);
      const order = await venue.createOrder({ clientOrderId: 'rk-refused-rotation-1', symbol: 'ETH/USDT:USDT', side: 'sell', amount: 0.01, type: 'market' });
      expect(order.clientOrderId).toBe('rk-refused-rotation-1');
      expect(account.lastApiKey).toBe(TEST_API_KEY);

      // the operator rotates again, to a trade-only key: that one is checked and swapped in
      account.otherKeys.push({ ...NEW_KEY, canWithdraw: false });
      await keyStore.rotate(name, 'main', new Credentials(NEW_KEY.apiKey, NEW_KEY.secret));
      expect(await until(() => capture.text().includes('rotated API key picked up')), capture.text()).toBe(true);
      await venue.createOrder({ clientOrderId: 'rk-refused-rotation-2', symbol: 'ETH/USDT:USDT', side: 'sell', amount: 0.01, type: 'market' });
      expect(account.lastApiKey).toBe(NEW_KEY.apiKey);
      for (const secret of [TEST_SECRET, NEW_KEY.secret, WITHDRAW_KEY.secret]) expect(capture.text()).not.toContain(secret);
    } finally {
      stop();
      await venue.close();
      await server.stop();
    }
  });
});
