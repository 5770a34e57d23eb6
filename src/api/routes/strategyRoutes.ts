/**
 * Strategy routes:
 * - POST /api/v1/strategy/rebalance (manager): a manual roll of one pool to a given range or the
 *   recommended one, carried out by that pool's PositionActor under the same guards as its own
 *   rolls (halted, no accepted reference, the pool deviating from the reference, the kill switch
 *   before each transaction). 200 rolled, 409 refused by a guard (with why), 502 failed on chain.
 * - GET /api/v1/analytics/strategy-comparison (viewer): from the history, per pool the live
 *   strategy over the recorded period next to holding what it was given (the first deposit):
 *   value, return, fees, IL, LVR, rolls (an empty list, with why, when nothing is recorded yet or
 *   the history is off); and, paged, the results `rangekeeper compare` and `sweep` stored in
 *   api.resultsDir (storedResearch.ts).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AskTimeoutError } from '../../actors/core/typedActors.js';
import { queryHistory } from '../../adapters/history/historyQueries.js';
import type { SqlDatabase } from '../../adapters/history/sqlDatabase.js';
import type { Logger } from '../../logging/logger.js';
import { apiErrorSchema, type ApiRoutes } from '../openapi/apiRoutes.js';
import type { ApiSources } from './apiSources.js';
import { poolCommandRefusal, poolCommandResponses } from './poolCommandRefusal.js';
import { refusalResponses } from './historyRoutes.js';
import { positionStateSchema } from './stateSchemas.js';
import { storedResearch, storedResearchQuerySchema, storedResearchSchema } from './storedResearch.js';

const tick = z.number().int().min(-887_272).max(887_272);

export const rebalanceBodySchema = z.object({
  poolId: z.string().min(1).max(200).describe('the pool to roll (GET /api/v1/positions lists them)'),
  range: z.object({ tickLower: tick, tickUpper: tick }).strict()
    .refine((r) => r.tickLower < r.tickUpper, { message: 'tickLower must be below tickUpper' })
    .optional().describe('the new range; absent: the range the strategy recommends now'),
  reason: z.string().trim().max(500).optional().describe('why (kept in the audit log)'),
}).strict();

const range = z.object({ tickLower: z.number(), tickUpper: z.number() });
export const rebalanceResultSchema = z.object({
  outcome: z.enum(['rolled', 'refused', 'failed']),
  reason: z.string().nullable().describe('why it was refused or failed'),
  from: range.nullable(),
  to: range.nullable(),
  txHash: z.string().nullable(),
  state: positionStateSchema,
});

const strategyRow = z.object({
  strategy: z.string(),
  poolId: z.string(),
  fromMs: z.number(),
  toMs: z.number(),
  depositedUsd: z.number(),
  startValueUsd: z.number(),
  endValueUsd: z.number(),
  returnPct: z.number().nullable(),
  feesUsd: z.number().nullable(),
  ilUsd: z.number().nullable(),
  lvrUsd: z.number().nullable(),
  rolls: z.number().nullable(),
});
const liveComparisonSchema = z.object({
  source: z.enum(['history', 'none', 'unavailable']).describe('where the live rows come from: the history, nothing recorded yet, or no history (disabled or down)'),
  message: z.string().nullable(),
  strategies: z.array(strategyRow),
});
type LiveComparison = z.infer<typeof liveComparisonSchema>;
export const comparisonSchema = liveComparisonSchema.extend({
  stored: storedResearchSchema.nullable().describe('the stored compare/sweep results (null when no results directory is configured)'),
});

/** The live comparison, or why there is none: the history is off or its database is down. */
async function liveComparison(sources: ApiSources, log: Logger): Promise<LiveComparison> {
  if (sources.history === null) return { source: 'unavailable', message: 'the history is disabled (history.enabled: false): no live comparison', strategies: [] };
  let db: SqlDatabase;
  try {
    db = await sources.history.database();
  } catch (err) {
    log.warn({ err }, 'api: the history database is not available');
    return { source: 'unavailable', message: 'the history database is not available now; try again', strategies: [] };
  }
  return compareFromHistory(db, sources.agentId);
}

/** The live strategy and holding, per pool, over what the history recorded. */
async function compareFromHistory(db: SqlDatabase, agentId: string): Promise<LiveComparison> {
  const pools = await db.query<{ pool_id: string }>('SELECT DISTINCT pool_id FROM pool_snapshots WHERE agent_id = $1 ORDER BY pool_id', [agentId]);
  const rows: z.infer<typeof strategyRow>[] = [];
  for (const { pool_id: poolId } of pools) {
    const first = (await queryHistory(db, 'poolSnapshot', { agentId, poolId, limit: 1, ascending: true })).rows[0];
    const last = (await queryHistory(db, 'poolSnapshot', { agentId, poolId, limit: 1 })).rows[0];
    if (first === undefined || last === undefined) continue;
    const n = (r: Record<string, unknown>, k: string): number => Number(r[k] ?? 0);
    const rolled = await db.query<{ n: number }>('SELECT count(*)::float8 AS n FROM rolls WHERE agent_id = $1 AND pool_id = $2 AND at >= $3', [agentId, poolId, new Date(n(first, 'at')).toISOString()]);
    const deposited = n(last, 'depositedUsd');
    const end = n(last, 'valueUsd');
    const fees = n(last, 'feesUsd');
    const il = n(last, 'cumulativeIlUsd');
    const ret = (v: number): number | null => (deposited > 0 ? ((v - deposited) / deposited) * 100 : null);
    const common = { poolId, fromMs: n(first, 'at'), toMs: n(last, 'at'), depositedUsd: deposited, startValueUsd: n(first, 'valueUsd') };
    rows.push({ strategy: 'rangekeeper (live)', ...common, endValueUsd: end, returnPct: ret(end), feesUsd: fees, ilUsd: il, lvrUsd: last['lvrUsd'] === null ? null : n(last, 'lvrUsd'), rolls: Number(rolled[0]?.n ?? 0) });
    // holding the deposit instead: the position's value less the IL it took and the fees it earned
    const hold = end - il - fees;
    rows.push({ strategy: 'hold the deposit', ...common, endValueUsd: hold, returnPct: ret(hold), feesUsd: null, ilUsd: null, lvrUsd: null, rolls: null });
  }
  return rows.length === 0
    ? { source: 'none', message: 'nothing to compare yet: no pool snapshot is recorded (one a minute per pool once the agent runs)', strategies: [] }
    : { source: 'history', message: null, strategies: rows };
}

export function strategyRoutes(sources: ApiSources, log: Logger) {
  return (app: FastifyInstance, api: ApiRoutes): void => {
    api.route(app, {
      method: 'POST', url: '/api/v1/strategy/rebalance', access: 'manager', tag: 'strategy', body: rebalanceBodySchema,
      summary: 'Roll one pool now, to a given range or the recommended one, under the actor\'s guards',
      description: 'Carried out by the pool\'s PositionActor like its own rolls: refused (409, with why) while halted, without an accepted reference price, while the pool price deviates from the reference beyond strategy.maxPriceDeviation, or for a range that is not valid for the pool. The answer carries the roll\'s transaction and the position after it.',
      responses: {
        200: { description: 'rolled', schema: rebalanceResultSchema },
        404: { description: 'no such pool', schema: apiErrorSchema },
        409: { description: 'refused by a guard', schema: rebalanceResultSchema },
        502: { description: 'the roll failed on chain', schema: rebalanceResultSchema },
        ...poolCommandResponses,
        504: { description: 'no answer in time (the roll may still complete)', schema: apiErrorSchema },
        ...refusalResponses,
      },
    }, async ({ body, req, reply }) => {
      const poolId = sources.poolIds().find((p) => p.toLowerCase() === body.poolId.toLowerCase());
      if (poolId === undefined) return reply.code(404).send({ error: 'no-such-pool', message: `the agent manages no pool ${body.poolId} (pools: ${sources.poolIds().join(', ')})` });
      try {
        const r = await sources.rebalance(poolId, body.range ?? null, `api:${req.principal?.tokenId ?? '?'}`);
        return reply.code(r.outcome === 'rolled' ? 200 : r.outcome === 'refused' ? 409 : 502).send(r);
      } catch (err) {
        if (err instanceof AskTimeoutError) return reply.code(504).send({ error: 'timeout', message: 'the position actor did not answer in time; the roll may still complete (see GET /api/v1/positions)' });
        const refused = poolCommandRefusal(err);
        if (refused !== null) return reply.code(refused.code).send(refused.body);
        throw err;
      }
    });

    api.route(app, {
      method: 'GET', url: '/api/v1/analytics/strategy-comparison', access: 'viewer', tag: 'strategy',
      query: storedResearchQuerySchema,
      summary: 'The live strategy next to holding the deposit, per pool; and the stored compare/sweep results, paged',
      description: 'Live rows from the history (pool snapshots and rolls): source none and an empty list while nothing is recorded, unavailable while the history is off or down. stored: the results of rangekeeper compare and sweep in api.resultsDir (default .rangekeeper/results), newest first, limit/offset paged; files that do not validate are listed under unreadable.',
      responses: { 200: { description: 'the comparison', schema: comparisonSchema }, ...refusalResponses },
    }, async ({ query }) => ({
      ...(await liveComparison(sources, log)),
      stored: sources.researchResultsDir === undefined ? null : await storedResearch(sources.researchResultsDir, query),
    }));
  };
}
