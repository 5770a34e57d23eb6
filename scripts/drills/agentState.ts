/**
 * The agent's own account of itself, from its state snapshot (GET /api/v1/state): per pool what it
 * holds in the wallet (`held`, raw units; `fromFloat`: what its sagas took from the wallet's float
 * beyond its books) and the position it manages, and its hedge's target and current size. Parsed with zod: only the fields the drill compares with the chain.
 */
import { z } from 'zod';
import { DRILL_API_TOKEN } from './drillSetup.js';

const rawAmount = z.string().regex(/^-?\d+$/);

export const positionStateSchema = z.looseObject({
  poolId: z.string(),
  status: z.string(),
  held: z.object({ amount0: rawAmount, amount1: rawAmount }),
  /** Taken from the wallet's float beyond the pool's books (absent from agents before it existed: none). */
  fromFloat: z.object({ amount0: rawAmount, amount1: rawAmount }).optional(),
  position: z.object({ tokenId: z.string(), tickLower: z.number(), tickUpper: z.number(), liquidity: rawAmount }).nullable(),
  otherPositions: z.array(z.string()),
  rolls: z.number(),
});
export type AgentPositionState = z.infer<typeof positionStateSchema>;

const hedgeStateSchema = z.looseObject({
  status: z.string(),
  assets: z.record(z.string(), z.looseObject({ target: z.number(), current: z.number() })),
});

const riskStateSchema = z.looseObject({ status: z.string(), reason: z.string().nullable().optional() });

const eventSchema = z.looseObject({ actor: z.string(), kind: z.string(), state: z.unknown() });

export interface AgentState {
  positions: AgentPositionState[];
  hedge: z.infer<typeof hedgeStateSchema> | null;
  risk: z.infer<typeof riskStateSchema> | null;
}

/** The agent's state snapshot answered something the drill cannot read. */
export class AgentStateError extends Error {
  override readonly name = 'AgentStateError';
}

/** The agent's state snapshot as it is sent: one event per actor (with the drill's API token). */
export async function fetchStateEvents(url: string, timeoutMs = 5_000): Promise<z.infer<typeof eventSchema>[]> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { authorization: `Bearer ${DRILL_API_TOKEN}` } });
  if (!res.ok) throw new AgentStateError(`GET ${url}: HTTP ${res.status}`);
  const events = z.array(eventSchema).safeParse(await res.json());
  if (!events.success) throw new AgentStateError(`GET ${url}: not a state snapshot: ${events.error.message}`);
  return events.data;
}

/** Fetches and parses the agent's state snapshot. */
export async function fetchAgentState(url: string, timeoutMs = 5_000): Promise<AgentState> {
  const out: AgentState = { positions: [], hedge: null, risk: null };
  for (const e of await fetchStateEvents(url, timeoutMs)) {
    if (e.kind === 'position') out.positions.push(positionStateSchema.parse(e.state));
    else if (e.kind === 'hedge') out.hedge = hedgeStateSchema.parse(e.state);
    else if (e.kind === 'risk') out.risk = riskStateSchema.parse(e.state);
  }
  return out;
}
