/**
 * The messages between the kill drill and its venue stand-in process (Node IPC), parsed with zod
 * on both sides: the stand-in's start-up parameters, its ready signal, and its record of every
 * order request (client order id, accepted or not) and of the account's perp positions.
 */
import { z } from 'zod';

export const standInParamsSchema = z.object({
  venue: z.enum(['bybit', 'binanceusdm']),
  /** The devnet's RPC; the stand-in's mark price follows this pool's price. */
  rpcUrl: z.url(),
  stateView: z.string(),
  poolId: z.string(),
  assetIsToken0: z.boolean(),
  decimals0: z.number().int(),
  decimals1: z.number().int(),
  /** The venue market whose mark follows the pool (e.g. ETHUSDT). */
  marketId: z.string(),
  /** Starting USDT balance of the simulated account. */
  walletBalance: z.number().positive(),
  /** How often the pool price is read into the mark, ms. */
  markPollMs: z.number().int().positive(),
});
export type StandInParams = z.infer<typeof standInParamsSchema>;

export const orderRequestSchema = z.object({
  /** The client order id the agent sent. */
  clientId: z.string(),
  /** Whether the venue holds an order with this id (false: refused, e.g. a duplicate id). */
  accepted: z.boolean(),
});
export type OrderRequest = z.infer<typeof orderRequestSchema>;

export const standInReportSchema = z.object({
  type: z.literal('report'),
  /** Every order placement request, in arrival order. */
  requests: z.array(orderRequestSchema),
  /** Orders the venue accepted. */
  accepted: z.number().int(),
  /** Requests refused because their client order id was already used. */
  duplicateRejections: z.number().int(),
  /** Signed perp position per venue market id. */
  positions: z.record(z.string(), z.number()),
  markPrice: z.number(),
});
export type StandInReport = z.infer<typeof standInReportSchema>;

export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), baseUrl: z.url() }),
  standInReportSchema,
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

export const parentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('report') }),
  z.object({ type: z.literal('stop') }),
]);
export type ParentMessage = z.infer<typeof parentMessageSchema>;
