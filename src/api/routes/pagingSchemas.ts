/** The query of the paged history routes, and their page. */
import { z } from 'zod';

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(100).describe('rows per page (1..1000, default 100)'),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('the previous page\'s nextBefore: rows older than it'),
  from: z.coerce.number().int().min(0).max(8.64e15).optional().describe('ms since epoch, inclusive'),
  to: z.coerce.number().int().min(0).max(8.64e15).optional().describe('ms since epoch, exclusive'),
  order: z.enum(['desc', 'asc']).default('desc').describe('newest first (default) or oldest first'),
  ascending: z.enum(['true', 'false']).optional().describe('true: oldest first (the same as order=asc)'),
}).strict();
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const poolPageQuerySchema = pageQuerySchema.extend({
  poolId: z.string().max(200).optional().describe('only this pool\'s rows (kinds that have a pool)'),
}).strict();

export const historyPageSchema = z.object({
  kind: z.string(),
  rows: z.array(z.record(z.string(), z.unknown())),
  nextBefore: z.number().nullable().describe('pass as before for the next page; null on the last'),
});

/** The history query of a page query. */
export function historyQueryOf(agentId: string, q: PageQuery & { poolId?: string | undefined }): { agentId: string; limit: number; ascending: boolean; beforeId?: number; fromMs?: number; toMs?: number; poolId?: string } {
  return {
    agentId, limit: q.limit, ascending: q.order === 'asc' || q.ascending === 'true',
    ...(q.before === undefined ? {} : { beforeId: q.before }),
    ...(q.from === undefined ? {} : { fromMs: q.from }),
    ...(q.to === undefined ? {} : { toMs: q.to }),
    ...(q.poolId === undefined ? {} : { poolId: q.poolId }),
  };
}
