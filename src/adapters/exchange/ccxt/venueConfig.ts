/**
 * Configuration of one ccxt venue account. Validated with zod at the boundary (config file, CLI).
 */
import { z } from 'zod';
import { VenueIdSchema } from '../../keys/keyStore.js';

export const RetryPolicySchema = z.object({
  /** Attempts per request, the first included. */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs × 2^(n-1))]. */
  baseDelayMs: z.number().int().min(0).default(250),
  maxDelayMs: z.number().int().min(0).default(10_000),
  /** A venue's Retry-After is honoured up to this bound (a longer wait fails the request). */
  maxRetryAfterMs: z.number().int().min(0).default(60_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const VenueConfigSchema = z.object({
  /** The ccxt venues credentials can be stored for. */
  venue: VenueIdSchema,
  /** Account label; the venue id becomes "<venue>:<label>" and keys are stored under it. */
  label: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** Venue account id the agent routes by (config `hedge.venue`); default "<venue>:<label>". */
  id: z.string().min(1).max(64).optional(),
  /** Use the venue's testnet (ccxt setSandboxMode(true)). */
  sandbox: z.boolean().default(false),
  /** Leverage set on every configured symbol at start (spec default 3). */
  leverage: z.number().int().min(1).max(125).default(3),
  /** Unified perp symbols to trade, e.g. ["ETH/USDT:USDT"]. */
  symbols: z.array(z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+:[A-Z0-9]+$/)).min(1),
  /**
   * Fills through the venue's socket (ccxt.pro watchMyTrades: Binance user data stream, Bybit
   * private `execution` topic), polling fetchMyTrades only while the socket is down; false: poll only.
   */
  watch: z.boolean().default(true),
  /** ccxt's client-side request throttle at the venue's published rate limits. Keep it on against real venues. */
  throttle: z.boolean().default(true),
  timeouts: z
    .object({
      /** Per-request HTTP timeout (ccxt `timeout`). */
      requestMs: z.number().int().min(50).default(10_000),
      /** How often fills are polled (fetchMyTrades) when they do not come through the socket. */
      fillPollMs: z.number().int().min(50).default(2_000),
      /** First wait before reconnecting a dropped fill socket (doubles per failure). */
      socketReconnectMs: z.number().int().min(0).default(1_000),
      /** 3 socket failures within this window switch fills to polling for this long, then the socket is tried again. */
      socketRetryMs: z.number().int().min(100).default(60_000),
    })
    .prefault({}),
  retries: RetryPolicySchema.prefault({}),
});
export type VenueConfig = z.infer<typeof VenueConfigSchema>;
export type VenueConfigInput = z.input<typeof VenueConfigSchema>;

/** Parses and defaults a venue config; throws a ZodError naming the bad field. */
export function parseVenueConfig(input: unknown): VenueConfig {
  return VenueConfigSchema.parse(input);
}
