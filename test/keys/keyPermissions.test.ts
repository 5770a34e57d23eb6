import { Writable } from 'node:stream';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { binancePermissions, bybitPermissions, enforceKeyPermissions } from '../../src/adapters/keys/keyPermissions.js';
import { createLogger } from '../../src/logging/logger.js';

const binanceRaw = (withdraw: boolean) => ({
  ipRestrict: true,
  createTime: 1698645219000,
  enableReading: true,
  enableWithdrawals: withdraw,
  enableInternalTransfer: false,
  enableMargin: false,
  enableFutures: true,
  permitsUniversalTransfer: false,
  enableVanillaOptions: false,
  enableSpotAndMarginTrading: false,
  enablePortfolioMarginTrading: false,
});

const bybitRaw = (wallet: string[]) => ({
  retCode: 0,
  retMsg: '',
  result: {
    id: '13770661',
    note: 'hedge',
    apiKey: 'XXXXXXXXXXXXXXXXXX',
    readOnly: 0,
    secret: '',
    permissions: { ContractTrade: ['Order', 'Position'], Spot: [], Wallet: wallet, Options: [], Derivatives: ['DerivativesTrade'], CopyTrading: [], BlockTrade: [], Exchange: [], NFT: [] },
    ips: ['203.0.113.7'],
    type: 1,
    deadlineDay: 66,
    expiredAt: '2027-01-01T00:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    unified: 0,
    uta: 1,
    userID: 1,
  },
  retExtInfo: {},
  time: 1700000000000,
});

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(c: Buffer, _e, cb) {
      lines.push(c.toString());
      cb();
    },
  });
  return { log: createLogger({ destination: stream, level: 'debug' }), text: () => lines.join('') };
}

/** A real ccxt client whose HTTP goes to a function that answers like the venue. */
function ccxtWith(id: 'binanceusdm' | 'bybit', answer: (url: string) => unknown) {
  const seen: string[] = [];
  const Ctor = ccxt[id];
  const ex = new Ctor({
    apiKey: 'PERM-TEST-KEY',
    secret: 'PERM-TEST-SECRET',
    fetchImplementation: async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify(answer(url)), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  return { ex, seen };
}

describe('API key permission check', () => {
  it('reads Binance restrictions and Bybit permissions', () => {
    expect(binancePermissions(binanceRaw(false))).toMatchObject({ canTrade: true, canWithdraw: false, ipRestricted: true });
    expect(binancePermissions(binanceRaw(true)).canWithdraw).toBe(true);
    expect(bybitPermissions(bybitRaw(['AccountTransfer'])).canWithdraw).toBe(false);
    expect(bybitPermissions(bybitRaw(['AccountTransfer', 'Withdraw']))).toMatchObject({ canWithdraw: true, canTrade: true, ipRestricted: true });
    expect(() => binancePermissions({ unexpected: 1 })).toThrow(/cannot read the API key's permissions/);
  });

  it('refuses a key that can withdraw, through the real ccxt call, and logs the check without secrets', async () => {
    const { ex, seen } = ccxtWith('binanceusdm', () => binanceRaw(true));
    const cap = capture();
    await expect(
      enforceKeyPermissions({ venue: 'binanceusdm', fetchRaw: () => ex.sapiGetAccountApiRestrictions(), log: cap.log }),
    ).rejects.toMatchObject({ code: 'WITHDRAW_PERMISSION' });
    expect(seen.some((u) => u.includes('/sapi/v1/account/apiRestrictions'))).toBe(true);
    expect(cap.text()).toContain('"verdict":"refused"');
    expect(cap.text()).not.toContain('PERM-TEST');
  });

  it('accepts a trade-only Bybit key, and a withdrawing key only with the explicit override', async () => {
    const ok = ccxtWith('bybit', () => bybitRaw(['AccountTransfer']));
    const cap = capture();
    const p = await enforceKeyPermissions({ venue: 'bybit', fetchRaw: () => ok.ex.privateGetV5UserQueryApi(), log: cap.log });
    expect(p.canWithdraw).toBe(false);
    expect(ok.seen.some((u) => u.includes('/v5/user/query-api'))).toBe(true);
    const w = ccxtWith('bybit', () => bybitRaw(['Withdraw']));
    await expect(enforceKeyPermissions({ venue: 'bybit', fetchRaw: () => w.ex.privateGetV5UserQueryApi(), log: cap.log })).rejects.toMatchObject({ code: 'WITHDRAW_PERMISSION' });
    const over = await enforceKeyPermissions({ venue: 'bybit', fetchRaw: () => w.ex.privateGetV5UserQueryApi(), log: cap.log, allowWithdraw: true });
    expect(over.canWithdraw).toBe(true);
    expect(cap.text()).toContain('explicit override');
    expect(cap.text()).not.toContain('PERM-TEST');
  });
});
