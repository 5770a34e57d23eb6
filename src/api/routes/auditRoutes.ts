/** GET /api/v1/audit (admin): the audit log of every write and every refused request, paged. */
import type { FastifyInstance } from 'fastify';
import { queryHistory } from '../../adapters/history/historyQueries.js';
import type { Logger } from '../../logging/logger.js';
import type { ApiRoutes } from '../openapi/apiRoutes.js';
import type { ApiSources } from './apiSources.js';
import { fromHistory, refusalResponses } from './historyRoutes.js';
import { historyPageSchema, historyQueryOf, pageQuerySchema } from './pagingSchemas.js';
import { z } from 'zod';

const auditRowSchema = z.object({
  id: z.number(), agentId: z.string(), at: z.number(), tokenId: z.string().nullable(), role: z.string().nullable(), ip: z.string(),
  method: z.string(), route: z.string(), body: z.unknown(), status: z.number(), outcome: z.enum(['ok', 'refused', 'invalid', 'rejected', 'failed']), result: z.unknown(),
});

export function auditRoutes(sources: ApiSources, log: Logger) {
  return (app: FastifyInstance, api: ApiRoutes): void => {
    api.route(app, {
      method: 'GET', url: '/api/v1/audit', access: 'admin', tag: 'audit',
      summary: 'The audit log: every write and every refused request (who, what, body, result, when), paged (newest first)',
      description: 'Each row: the token id and role (null: no valid token), the address, method, route, the body (secrets masked), the status, outcome (ok; refused: 401, 403, 429; invalid: 400, 404; rejected: 409, a guard said no; failed) and answer. Written within about a second (the history\'s flush).',
      query: pageQuerySchema,
      responses: { 200: { description: 'a page of audit rows', schema: historyPageSchema.extend({ rows: z.array(auditRowSchema) }) }, ...refusalResponses, 503: { description: 'no history', schema: z.object({ error: z.string(), message: z.string() }) } },
    }, async ({ query, reply }) => fromHistory(sources, reply, log, (db) => queryHistory(db, 'audit', historyQueryOf(sources.agentId, query))));
  };
}
