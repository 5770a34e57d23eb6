/**
 * `rangekeeper venue check` against the stand-ins, with credentials from a real encrypted key
 * store: prints permissions, markets, balance, positions and funding; refuses a withdrawal key;
 * never prints the key or secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/venue.js';
import { Credentials } from '../../../src/adapters/keys/credentials.js';
import { KeyStore } from '../../../src/adapters/keys/keyStore.js';
import { loadMasterKey } from '../../../src/adapters/keys/masterKey.js';
import { openStore } from '../../../src/adapters/store/openStore.js';
import { SimAccount } from '../../support/venues/simAccount.js';
import { startStandIn, TEST_API_KEY, TEST_SECRET, type VenueName } from '../../support/venues/venueHarness.js';

const MASTER = 'b'.repeat(64);
let dataDir = '';
const savedMaster = process.env['RANGEKEEPER_MASTER_KEY'];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rk-venue-check-'));
  process.env['RANGEKEEPER_MASTER_KEY'] = MASTER;
  const store = await openStore({ kind: 'file', dataDir });
  try {
    const keys = await KeyStore.open(store, await loadMasterKey({ env: MASTER }));
    for (const v of ['binanceusdm', 'bybit']) await keys.add(v, 'main', new Credentials(TEST_API_KEY, TEST_SECRET));
  } finally {
    await store.close();
  }
});
afterAll(async () => {
  if (savedMaster === undefined) delete process.env['RANGEKEEPER_MASTER_KEY'];
  else process.env['RANGEKEEPER_MASTER_KEY'] = savedMaster;
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function captureConsole(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}

describe.each<VenueName>(['binanceusdm', 'bybit'])('venue check %s', (name) => {
  it('prints permissions, markets, balance, positions and funding, and changes nothing', async () => {
    const account = new SimAccount();
    account.placeMarket('ETHUSDT', 'SELL', 0.5, 'seed-1', false);
    const server = await startStandIn(name, account);
    const c = captureConsole();
    try {
      const code = await run(['check', name, 'main', '--api-url', server.baseUrl, '--data-dir', dataDir, '--symbols', 'ETH/USDT:USDT,BTC/USDT:USDT']);
      expect(c.err).toEqual([]);
      expect(code).toBe(0);
      const text = c.out.join('\n');
      expect(text).toContain(`${name}:main at ${server.baseUrl}`);
      expect(text).toContain('permissions: trade yes, withdraw no, IP whitelist no (recommended)');
      expect(text).toContain('market ETH/USDT:USDT: lot 0.001, min 0.001 ETH, min notional 5 USDT, tick 0.01');
      expect(text).toContain('position ETH/USDT:USDT: -0.5 at 3000');
      expect(text).toMatch(/funding BTC\/USDT:USDT: -0\.00005 next 20\d\d-/);
      expect(text).not.toContain(TEST_API_KEY);
      expect(text).not.toContain(TEST_SECRET);
      expect(server.log.some((r) => r.route.startsWith('POST') || r.route.startsWith('DELETE'))).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('exits 1 with the reason when the key can withdraw', async () => {
    const account = new SimAccount();
    account.keyCanWithdraw = true;
    const server = await startStandIn(name, account);
    const c = captureConsole();
    try {
      const code = await run(['check', name, 'main', '--api-url', server.baseUrl, '--data-dir', dataDir, '--json']);
      expect(code).toBe(1);
      expect(c.err.join('\n')).toMatch(/can withdraw/);
      expect(c.out).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
