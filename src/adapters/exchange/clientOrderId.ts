/**
 * Deterministic client order ids: the same intent always yields the same id, so a retry or a
 * restart that re-sends an intended order can never open a second one (the venue rejects or
 * returns the duplicate). Ids fit Binance newClientOrderId and Bybit orderLinkId (<= 36 chars,
 * ^[.A-Z:/a-z0-9_-]{1,36}$).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CLIENT_ORDER_ID_PATTERN } from './orderCheck.js';

export const OrderIntentSchema = z.object({
  agentId: z.string().min(1),
  /** Venue account the order is meant for (an intent for two venues is two orders). */
  venue: z.string().min(1),
  asset: z.string().min(1),
  /** Monotonic intent sequence (or epoch) of the agent for this asset. */
  sequence: z.number().int().nonnegative(),
  /**
   * Target hedge size (signed, base units) the order moves towards. Optional: leave it out when
   * a retry of the same sequence may carry a re-computed target and must still find the order the
   * first attempt placed (the ExchangeActor names an intent by its sequence alone).
   */
  target: z.number().finite().optional(),
});
export type OrderIntent = z.infer<typeof OrderIntentSchema>;

/** Prefix that marks our orders on a shared account ("rk" = rangekeeper). */
export const CLIENT_ORDER_ID_PREFIX = 'rk-';

/**
 * The client order id of an intent: "rk-" + 32 hex chars of SHA-256 over the canonical intent
 * (35 chars). Throws a ZodError when the intent is malformed.
 */
export function deriveClientOrderId(intent: OrderIntent): string {
  const i = OrderIntentSchema.parse(intent);
  const canonical = JSON.stringify(i.target === undefined ? [i.agentId, i.venue, i.asset, i.sequence] : [i.agentId, i.venue, i.asset, i.sequence, i.target]);
  const id = CLIENT_ORDER_ID_PREFIX + createHash('sha256').update(canonical).digest('hex').slice(0, 32);
  return id;
}

/** True when `id` is accepted by both Binance and Bybit as a client order id. */
export function isValidClientOrderId(id: string): boolean {
  return CLIENT_ORDER_ID_PATTERN.test(id);
}
