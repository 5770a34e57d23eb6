/**
 * The answers' schemas for what the actors publish: the state event of the feed and the main
 * fields of each kind of state (the rest of a state passes through as published; the README's
 * feed section and the actors' state types describe every field).
 */
import { z } from 'zod';

export const stateEventSchema = z.object({
  actor: z.string().describe('actor path, e.g. "risk/position-0x…"'),
  kind: z.string().describe('position, hedge, venues, exchange, risk or ha'),
  at: z.number().describe('ms since epoch'),
  state: z.record(z.string(), z.unknown()),
});

const tickRange = z.object({ tickLower: z.number(), tickUpper: z.number() });

export const positionStateSchema = z.looseObject({
  poolId: z.string(),
  asset: z.string(),
  status: z.enum(['starting', 'running', 'halted', 'exited']),
  price: z.number(),
  assetPrice: z.number(),
  referencePrice: z.number().nullable(),
  range: tickRange.nullable(),
  valueUsd: z.number(),
  depositedUsd: z.number(),
  pnlUsd: z.number(),
  feesEarned: z.number(),
  delta: z.number(),
  rolls: z.number(),
  il: z.looseObject({ ilPercent: z.number(), ilUSD: z.number(), cumulativeUSD: z.number(), netIL: z.number() }),
});

export const assetHedgeSchema = z.looseObject({
  asset: z.string(),
  symbol: z.string(),
  netDelta: z.number(),
  target: z.number(),
  current: z.number(),
  deviation: z.number(),
  withinBand: z.boolean(),
});

export const hedgeStateSchema = z.looseObject({
  status: z.enum(['running', 'halted']),
  hedgeRatio: z.number(),
  band: z.number(),
  assets: z.record(z.string(), assetHedgeSchema),
});
