/**
 * Typed venue errors. `retryable` says whether sending the same request again may succeed
 * (network, timeout, rate limit, venue unavailable); rejections (insufficient margin, invalid
 * order, auth) are never retried.
 */
export type VenueErrorKind =
  | 'insufficient-margin'
  | 'invalid-order'
  | 'auth'
  | 'rate-limit'
  | 'timeout'
  | 'network'
  | 'unavailable'
  | 'not-found'
  | 'unknown';

const RETRYABLE: ReadonlySet<VenueErrorKind> = new Set(['rate-limit', 'timeout', 'network', 'unavailable']);

export class VenueError extends Error {
  override readonly name = 'VenueError';
  readonly retryable: boolean;
  constructor(
    readonly kind: VenueErrorKind,
    readonly venue: string,
    message: string,
    readonly details: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`${venue}: ${message}`, { cause: details.cause });
    this.retryable = RETRYABLE.has(kind);
  }
}
