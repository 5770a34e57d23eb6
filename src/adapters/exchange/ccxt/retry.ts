/**
 * Bounded retries with exponential backoff and full jitter, honouring a venue's Retry-After.
 * Only retryable VenueErrors (network, timeout, rate limit, unavailable) are retried; a rejection
 * (insufficient margin, invalid order, auth) is thrown at once so it reaches the venue once.
 */
import { VenueError } from '../errors.js';
import type { RetryPolicy } from './venueConfig.js';

export interface RetryHooks {
  /** Waits `ms`; tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1); tests pass a seeded one. */
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; error: VenueError }) => void;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `attempt` (1 = first retry) after `error`, or null when it must not be retried. */
export function retryDelay(policy: RetryPolicy, attempt: number, error: VenueError, random: () => number = Math.random): number | null {
  if (!error.retryable || attempt >= policy.maxAttempts) return null;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * cap);
  const retryAfter = error.details.retryAfterMs;
  if (retryAfter === undefined) return jittered;
  if (retryAfter > policy.maxRetryAfterMs) return null;
  return Math.max(retryAfter, jittered);
}

/**
 * Runs `op` until it succeeds, a non-retryable VenueError is thrown, or the policy's attempts are
 * used up (the last error is thrown). `op` must throw VenueErrors (see toVenueError).
 */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await op(attempt);
    } catch (err) {
      if (!(err instanceof VenueError)) throw err;
      const delayMs = retryDelay(policy, attempt, err, hooks.random);
      if (delayMs === null) throw err;
      hooks.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs);
    }
  }
}
