/**
 * Reading the history (viewer): what is stored (GET /api/v1/history), one kind of record paged
 * (GET /api/v1/history/:kind), and the alerts (GET /api/v1/alerts). The audit log is the admin's
 * (auditRoutes.ts). Without a history (history.enabled false) they answer 503 saying so.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { historySummary, queryHistory } from '../../adapters/history/historyQueries.js';
import type { HistoryKind } from '../../adapters/history/historyRecords.js';
import type { SqlDatabase } from '../../adapters/history/sqlDatabase.js';
import type { Logger } from '../../logging/logger.js';
import { apiErrorSchema, type ApiRoutes } from '../openapi/apiRoutes.js';
import type { ApiSources } from './apiSources.js';
import { historyPageSchema, historyQueryOf, pageQuerySchema, poolPageQuerySchema } from './pagingSchemas.js';

/** The kinds a viewer may read (the audit log is the admin's). */
export const VIEWER_HISTORY_KINDS = ['poolSnapshot', 'decision', 'roll', 'fill', 'funding', 'hedge', 'alert', 'haltChange', 'equity'] as const satisfies readonly HistoryKind[];

export const refusalResponses = {
  400: { description: 'invalid parameters', schema: apiErrorSchema },
  401: { description: 'no valid token', schema: apiErrorSchema },
  403: { description: 'the token\'s role is not enough', schema: apiErrorSchema },
  429: { description: 'rate limited', schema: apiErrorSchema },
} as const;
const unavailable = { 503: { description: 'no history (history.enabled is false) or its database is unreachable', schema: apiErrorSchema } };

/** Runs `read` on the history database, or answers 503 when there is none or it cannot be opened. */
export async function fromHistory<T>(sources: ApiSources, reply: FastifyReply, log: Logger, read: (db: SqlDatabase) => Promise<T>): Promise<T | FastifyReply> {
  if (sources.history === null) return reply.code(503).send({ error: 'no-history', message: 'the history is disabled (history.enabled: false)' });
  let db: SqlDatabase;
  try {
    db = await sources.history.database();
  } catch (err) {
    log.warn({ err }, 'api: the history database is not available');
    return reply.code(503).send({ error: 'history-unavailable', message: 'the history database is not available now; try again' });
  }
  return read(db);
}

export function historyRoutes(sources: ApiSources, log: Logger) {
  return (app: FastifyInstance, api: ApiRoutes): void => {
    api.route(app, {
      method: 'GET', url: '/api/v1/history', access: 'viewer', tag: 'history',
      summary: 'What the history holds: per kind of record, how many and their time span',
      responses: {
        200: { description: 'per kind', schema: z.object({ kinds: z.array(z.object({ kind: z.string(), count: z.number(), firstAt: z.number().nullable(), lastAt: z.number().nullable() })) }) },
        ...refusalResponses, ...unavailable,
      },
    }, async ({ reply }) => fromHistory(sources, reply, log, async (db) => ({
      kinds: (await historySummary(db, sources.agentId)).filter((k) => k.kind !== 'audit'),
    })));

    api.route(app, {
      method: 'GET', url: '/api/v1/history/:kind', access: 'viewer', tag: 'history',
      summary: 'One kind of history record, paged (newest first)',
      description: `Kinds: ${VIEWER_HISTORY_KINDS.join(', ')}. Page with the answer's nextBefore as before.`,
      params: z.object({ kind: z.enum(VIEWER_HISTORY_KINDS) }),
      query: poolPageQuerySchema,
      responses: { 200: { description: 'a page', schema: historyPageSchema }, ...refusalResponses, ...unavailable },
    }, async ({ params, query, reply }) => fromHistory(sources, reply, log, (db) => queryHistory(db, params.kind, historyQueryOf(sources.agentId, query))));

    api.route(app, {
      method: 'GET', url: '/api/v1/alerts', access: 'viewer', tag: 'history',
      summary: 'Alerts raised (risk supervisor and monitoring rules), paged (newest first)',
      query: pageQuerySchema,
      responses: { 200: { description: 'a page of alerts', schema: historyPageSchema }, ...refusalResponses, ...unavailable },
    }, async ({ query, reply }) => fromHistory(sources, reply, log, (db) => queryHistory(db, 'alert', historyQueryOf(sources.agentId, query))));
  };
}
