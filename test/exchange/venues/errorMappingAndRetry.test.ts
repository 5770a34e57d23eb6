/**
 * ccxt error classes -> VenueError kinds (and which are retried), venue codes behind a generic
 * ExchangeError, Retry-After parsing, backoff bounds (property), config defaults, and the
 * testnet switch.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ccxt from 'ccxt';
import { VenueError, type VenueErrorKind } from '../../../src/adapters/exchange/errors.js';
import { isDuplicateClientOrderId, parseRetryAfter, toVenueError } from '../../../src/adapters/exchange/ccxt/errorMapping.js';
import { retryDelay, withRetry } from '../../../src/adapters/exchange/ccxt/retry.js';
import { createCcxtVenue, parseVenueConfig, rewriteApiUrls } from '../../../src/adapters/exchange/ccxt/index.js';
import { venueWaitMs } from '../../../src/adapters/exchange/ccxt/ccxtVenue.js';
import { RetryPolicySchema } from '../../../src/adapters/exchange/ccxt/venueConfig.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';

describe('toVenueError', () => {
  const cases: [new (m: string) => Error, VenueErrorKind, boolean][] = [
    [ccxt.RequestTimeout, 'timeout', true],
    [ccxt.DDoSProtection, 'rate-limit', true],
    [ccxt.RateLimitExceeded, 'rate-limit', true],
    [ccxt.ExchangeNotAvailable, 'unavailable', true],
    [ccxt.OnMaintenance, 'unavailable', true],
    [ccxt.InvalidNonce, 'network', true],
    [ccxt.NetworkError, 'network', true],
    [ccxt.InsufficientFunds, 'insufficient-margin', false],
    [ccxt.InvalidOrder, 'invalid-order', false],
    [ccxt.DuplicateOrderId, 'invalid-order', false],
    [ccxt.BadSymbol, 'invalid-order', false],
    [ccxt.OrderNotFound, 'not-found', false],
    [ccxt.AuthenticationError, 'auth', false],
    [ccxt.PermissionDenied, 'auth', false],
    [ccxt.ExchangeError, 'unknown', false],
  ];
  it.each(cases)('%o -> %s (retryable %s)', (Cls, kind, retryable) => {
    const e = toVenueError('binanceusdm:main', new Cls('binanceusdm something'));
    expect(e).toBeInstanceOf(VenueError);
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(retryable);
    expect(e.venue).toBe('binanceusdm:main');
  });

  it('reads venue codes behind a generic ExchangeError (Binance picks its code table by hostname)', () => {
    expect(toVenueError('b', new ccxt.ExchangeError('binanceusdm {"code":-2019,"msg":"Margin is insufficient."}')).kind).toBe('insufficient-margin');
    expect(toVenueError('b', new ccxt.ExchangeError('binanceusdm {"code":-4116,"msg":"ClientOrderId is duplicated."}')).kind).toBe('invalid-order');
    expect(toVenueError('b', new ccxt.ExchangeError('binanceusdm {"code":-1001,"msg":"Internal error"}')).retryable).toBe(true);
    expect(toVenueError('y', new ccxt.ExchangeError('bybit {"retCode":110007,"retMsg":"ab not enough for new order"}')).kind).toBe('insufficient-margin');
    expect(toVenueError('y', new ccxt.OperationFailed('bybit {"retCode":99999}')).kind).toBe('unavailable');
  });

  it('keeps Retry-After and recognises a reused client id', () => {
    const e = toVenueError('b', new ccxt.DDoSProtection('429'), 2000);
    expect(e.details.retryAfterMs).toBe(2000);
    expect(isDuplicateClientOrderId(toVenueError('b', new ccxt.ExchangeError('binanceusdm {"code":-4116,"msg":"ClientOrderId is duplicated."}')))).toBe(true);
    expect(isDuplicateClientOrderId(toVenueError('y', new ccxt.InvalidOrder('bybit {"retCode":110072,"retMsg":"OrderLinkedID is duplicate"}')))).toBe(true);
    expect(isDuplicateClientOrderId(toVenueError('y', new ccxt.InvalidOrder('bybit {"retCode":110017}')))).toBe(false);
  });

  it('scrubs request signatures and key headers that ccxt quotes in messages', () => {
    const e = toVenueError('b', new ccxt.RequestTimeout('binanceusdm GET https://fapi.binance.com/fapi/v1/order?symbol=ETHUSDT&timestamp=1&signature=9f86d081884c7d659a2feaa0c55ad015 request timed out (400 ms)'));
    expect(e.message).toContain('signature=[redacted]');
    expect(e.message).not.toContain('9f86d081884c7d659a2feaa0c55ad015');
    expect(toVenueError('y', new ccxt.NetworkError('bybit {"X-BAPI-API-KEY":"abcKEY123","X-BAPI-SIGN":"deadbeef"}')).message).not.toMatch(/abcKEY123|deadbeef/);
  });

  it('blanks the account\'s own key and secret when the venue echoes them, in the message and in the cause a logger prints', () => {
    const key = 'rkEchoedKey0123456789';
    const secret = 'rkEchoedSecret0123456789';
    const e = toVenueError('y', new ccxt.AuthenticationError(`bybit {"retCode":10003,"retMsg":"API key ${key} invalid (secret ${secret})"}`), undefined, [key, secret]);
    expect(e.kind).toBe('auth');
    const capture = new LogCapture();
    createLogger({ destination: capture }).error({ err: e }, 'venue request failed');
    for (const text of [e.message, capture.text()]) {
      expect(text).toContain('retCode');
      expect(text).not.toContain(key);
      expect(text).not.toContain(secret);
    }
  });

  it("reads a refusal's wait from Retry-After, else Bybit's rate-limit reset timestamp", () => {
    expect(venueWaitMs({ 'Retry-After': '7' })).toBe(7000);
    expect(venueWaitMs({ 'X-Bapi-Limit-Reset-Timestamp': '10500' }, 10_000)).toBe(500);
    expect(venueWaitMs({ 'Retry-After': '1', 'X-Bapi-Limit-Reset-Timestamp': '99999' }, 10_000)).toBe(1000);
    expect(venueWaitMs({ 'Content-Type': 'application/json' })).toBeUndefined();
  });

  it('parses Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('retry policy', () => {
  const policyArb = fc.record({
    maxAttempts: fc.integer({ min: 1, max: 8 }),
    baseDelayMs: fc.integer({ min: 0, max: 1_000 }),
    maxDelayMs: fc.integer({ min: 0, max: 20_000 }),
    maxRetryAfterMs: fc.integer({ min: 0, max: 60_000 }),
  });
  const kindArb = fc.constantFrom<VenueErrorKind>('rate-limit', 'timeout', 'network', 'unavailable', 'insufficient-margin', 'invalid-order', 'auth', 'not-found', 'unknown');

  it('delays stay within [0, maxDelay] (or exactly honour Retry-After up to its bound), and stop at maxAttempts', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 10 }), kindArb, fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (policy, attempt, kind, retryAfterMs, r) => {
        const err = new VenueError(kind, 'v', 'x', retryAfterMs === undefined ? {} : { retryAfterMs });
        const d = retryDelay(policy, attempt, err, () => r);
        if (!err.retryable || attempt >= policy.maxAttempts) return d === null;
        if (retryAfterMs === undefined) return d !== null && d >= 0 && d <= Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        if (retryAfterMs > policy.maxRetryAfterMs) return d === null;
        return d !== null && d >= retryAfterMs && d <= Math.max(retryAfterMs, policy.maxDelayMs);
      }),
      { numRuns: 500 },
    );
  });

  it('withRetry calls a failing op exactly maxAttempts times for retryable errors and once for rejections', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), kindArb, async (maxAttempts, kind) => {
        const policy = RetryPolicySchema.parse({ maxAttempts, baseDelayMs: 1, maxDelayMs: 1 });
        let calls = 0;
        const slept: number[] = [];
        await expect(
          withRetry(async () => {
            calls += 1;
            throw new VenueError(kind, 'v', 'fail');
          }, policy, { sleep: async (ms) => { slept.push(ms); } }),
        ).rejects.toBeInstanceOf(VenueError);
        const retryable = new VenueError(kind, 'v', 'x').retryable;
        expect(calls).toBe(retryable ? maxAttempts : 1);
        expect(slept).toHaveLength(calls - 1);
      }),
      { numRuns: 60 },
    );
  });

  it('returns the first success', async () => {
    let calls = 0;
    const v = await withRetry(async (attempt) => {
      calls += 1;
      if (attempt < 3) throw new VenueError('timeout', 'v', 'slow');
      return attempt;
    }, RetryPolicySchema.parse({ baseDelayMs: 0 }), { sleep: async () => {} });
    expect(v).toBe(3);
    expect(calls).toBe(3);
  });
});

describe('venue config', () => {
  it('fills the defaults (leverage 3, throttled, 10 s timeout, 5 attempts)', () => {
    const c = parseVenueConfig({ venue: 'bybit', label: 'main', symbols: ['ETH/USDT:USDT'] });
    expect(c).toMatchObject({ sandbox: false, leverage: 3, throttle: true, timeouts: { requestMs: 10_000, fillPollMs: 2_000 }, retries: { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 } });
  });

  it('rejects unknown venues, bad labels, spot symbols and absurd leverage', () => {
    expect(() => parseVenueConfig({ venue: 'kraken', label: 'main', symbols: ['ETH/USDT:USDT'] })).toThrow();
    expect(() => parseVenueConfig({ venue: 'bybit', label: 'main account', symbols: ['ETH/USDT:USDT'] })).toThrow();
    expect(() => parseVenueConfig({ venue: 'bybit', label: 'main', symbols: ['ETH/USDT'] })).toThrow();
    expect(() => parseVenueConfig({ venue: 'bybit', label: 'main', symbols: ['ETH/USDT:USDT'], leverage: 500 })).toThrow();
    expect(() => parseVenueConfig({ venue: 'bybit', label: 'main', symbols: [] })).toThrow();
  });

  it('points each venue at its testnet with sandbox: true', async () => {
    const capture = new LogCapture();
    const log = createLogger({ level: 'info', destination: capture });
    const credentials = { apiKey: 'k', secret: 's' };
    const venues = [
      createCcxtVenue({ config: parseVenueConfig({ venue: 'binanceusdm', label: 't', sandbox: true, symbols: ['ETH/USDT:USDT'] }), credentials, log }),
      createCcxtVenue({ config: parseVenueConfig({ venue: 'bybit', label: 't', sandbox: true, symbols: ['ETH/USDT:USDT'] }), credentials, log }),
      createCcxtVenue({ config: parseVenueConfig({ venue: 'binanceusdm', label: 'live', symbols: ['ETH/USDT:USDT'] }), credentials, log }),
      createCcxtVenue({ config: parseVenueConfig({ venue: 'bybit', label: 'live', symbols: ['ETH/USDT:USDT'] }), credentials, log }),
    ];
    try {
      expect(venues.map((v) => v.restEndpoint)).toEqual([
        'https://testnet.binancefuture.com/fapi/v1',
        'https://api-testnet.bybit.com',
        'https://fapi.binance.com/fapi/v1',
        'https://api.bybit.com',
      ]);
      expect(capture.text()).toContain('testnet.binancefuture.com');
      expect(venues.map((v) => v.id)).toEqual(['binanceusdm:t', 'bybit:t', 'binanceusdm:live', 'bybit:live']);
      const named = createCcxtVenue({ config: parseVenueConfig({ venue: 'bybit', id: 'bybit', label: 'main', symbols: ['ETH/USDT:USDT'] }), credentials, log });
      expect(named.id).toBe('bybit');
      await named.close();
    } finally {
      for (const v of venues) await v.close();
    }
  });

  it('rewrites every API URL to a given base, keeping paths', () => {
    expect(rewriteApiUrls({ a: 'https://fapi.binance.com/fapi/v1', b: { c: 'https://api.{hostname}' }, n: 3 }, 'http://127.0.0.1:9/')).toEqual({
      a: 'http://127.0.0.1:9/fapi/v1', b: { c: 'http://127.0.0.1:9' }, n: 3,
    });
  });

  it('rewrites websocket URLs to the same host with the ws scheme matching the base', () => {
    const ws = { future: 'wss://fstream.binance.com/ws', private: { contract: 'wss://stream.{hostname}/v5/private' } };
    expect(rewriteApiUrls({ ws }, 'http://127.0.0.1:9')).toEqual({ ws: { future: 'ws://127.0.0.1:9/ws', private: { contract: 'ws://127.0.0.1:9/v5/private' } } });
    expect(rewriteApiUrls({ ws, rest: 'https://api.bybit.com' }, 'https://proxy.example:8443/')).toEqual({
      ws: { future: 'wss://proxy.example:8443/ws', private: { contract: 'wss://proxy.example:8443/v5/private' } }, rest: 'https://proxy.example:8443',
    });
  });
});
