/**
 * ccxt errors -> typed VenueError kinds. Network-level failures (NetworkError and its subclasses:
 * RequestTimeout, DDoSProtection on 429/418, RateLimitExceeded, ExchangeNotAvailable, InvalidNonce)
 * are retryable; rejections (InsufficientFunds, InvalidOrder, AuthenticationError) never are.
 *
 * Binance picks its error-code table by hostname, so behind a proxy or on an unknown host some
 * codes arrive as a plain ExchangeError; the venue codes in the message are checked as well.
 */
import {
  AuthenticationError, BadRequest, BadSymbol, ArgumentsRequired, DDoSProtection, ExchangeError, ExchangeNotAvailable,
  InsufficientFunds, InvalidOrder, NetworkError, OperationFailed, OrderNotFound, RateLimitExceeded, RequestTimeout,
  BaseError, NotSupported,
} from 'ccxt';
import { VenueError, type VenueErrorKind } from '../errors.js';

/** Venue error codes (Binance fapi, Bybit v5) and what they mean for us. */
const CODE_KINDS: Record<string, VenueErrorKind> = {
  // Binance USDⓈ-M
  '-1001': 'unavailable', // internal error, try again
  '-1003': 'rate-limit',
  '-1007': 'timeout', // timeout waiting for the backend; the outcome is unknown
  '-1015': 'rate-limit',
  '-1021': 'network', // timestamp outside recvWindow (clock drift)
  '-1022': 'auth',
  '-2014': 'auth',
  '-2015': 'auth',
  '-2013': 'not-found',
  '-2011': 'not-found',
  '-2019': 'insufficient-margin',
  '-2022': 'invalid-order',
  '-4116': 'invalid-order',
  '-1111': 'invalid-order',
  '-1121': 'invalid-order',
  '-4164': 'invalid-order',
  '-4028': 'invalid-order',
  // Bybit v5
  '10002': 'network', // request time exceeds the window
  '10003': 'auth',
  '10004': 'auth',
  '10006': 'rate-limit',
  '10016': 'unavailable',
  '110001': 'not-found',
  '110004': 'insufficient-margin',
  '110007': 'insufficient-margin',
  '110012': 'insufficient-margin',
  '110017': 'invalid-order',
  '110072': 'invalid-order',
  '10001': 'invalid-order',
};

/** Client-order-id-already-used codes: Binance -4116, Bybit 110072. */
const DUPLICATE_CODES = new Set(['-4116', '110072']);

/** The venue's numeric error code inside a ccxt error message (`{"code":-2019,...}` / `"retCode":110007`). */
export function venueErrorCode(message: string): string | null {
  const m = /"(?:code|retCode)"\s*:\s*"?(-?\d+)/.exec(message);
  return m?.[1] ?? null;
}

function kindOf(err: unknown): VenueErrorKind {
  // Subclasses before their parents.
  if (err instanceof OrderNotFound) return 'not-found';
  if (err instanceof InsufficientFunds) return 'insufficient-margin';
  if (err instanceof InvalidOrder || err instanceof BadSymbol || err instanceof ArgumentsRequired || err instanceof NotSupported) return 'invalid-order';
  if (err instanceof AuthenticationError) return 'auth';
  if (err instanceof RateLimitExceeded || err instanceof DDoSProtection) return 'rate-limit';
  if (err instanceof RequestTimeout) return 'timeout';
  if (err instanceof ExchangeNotAvailable) return 'unavailable';
  if (err instanceof NetworkError) return 'network';
  const message = err instanceof Error ? err.message : String(err);
  const code = venueErrorCode(message);
  const byCode = code === null ? undefined : CODE_KINDS[code];
  if (byCode !== undefined) return byCode;
  if (err instanceof BadRequest) return 'invalid-order';
  if (err instanceof OperationFailed) return 'unavailable';
  if (err instanceof ExchangeError || err instanceof BaseError) return 'unknown';
  return 'unknown';
}

/** Removes request signatures and key headers that ccxt quotes in some messages (a timed-out URL carries its signature). */
export function scrubRequestSecrets(message: string): string {
  return message
    .replace(/(signature|sign)=[0-9a-fA-F]+/g, '$1=[redacted]')
    .replace(/("?X-(?:MBX-APIKEY|BAPI-API-KEY|BAPI-SIGN)"?\s*[:=]\s*"?)[^",\s}]+/gi, '$1[redacted]');
}

/** `message` with every occurrence of each secret (at least 4 characters) replaced by [redacted]. */
export function scrubKnownSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const s of secrets) if (s !== undefined && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * Maps any error thrown by a ccxt call to a VenueError (returned as is when it already is one).
 * `retryAfterMs` is the venue's Retry-After, when the response carried one. `secrets` (the
 * account's API key and secret) are blanked wherever the venue's answer echoes them.
 */
export function toVenueError(venue: string, err: unknown, retryAfterMs?: number, secrets: readonly (string | undefined)[] = []): VenueError {
  if (err instanceof VenueError) return err;
  const kind = kindOf(err);
  const scrub = (text: string): string => scrubKnownSecrets(scrubRequestSecrets(text), secrets);
  const message = scrub(err instanceof Error ? err.message : String(err));
  if (err instanceof Error) {
    // the cause travels with the VenueError, and loggers print a cause's message and stack
    err.message = message;
    if (err.stack !== undefined) err.stack = scrub(err.stack);
  }
  const details: { retryAfterMs?: number; cause?: unknown } = { cause: err };
  if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
  return new VenueError(kind, venue, `${kind}: ${message.slice(0, 500)}`, details);
}

/** True when the venue refused an order because its client order id was already used. */
export function isDuplicateClientOrderId(err: unknown): boolean {
  const cause = err instanceof VenueError ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = venueErrorCode(message);
  return (code !== null && DUPLICATE_CODES.has(code)) || /duplicate/i.test(message);
}

/** Parses an HTTP Retry-After header (seconds or HTTP date) into milliseconds; undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
