/**
 * Reads the history back: pages of one kind of record (newest first, filtered by agent, pool and
 * time), and a summary of what is stored. The same SQL on PostgreSQL and PGlite; results come back
 * as plain JSON (times in ms, numbers as numbers, on-chain quantities as decimal strings) whichever
 * driver read them.
 */
import type { HistoryKind } from './historyRecords.js';
import { HISTORY_KINDS, TABLES } from './historyTables.js';
import type { SqlDatabase } from './sqlDatabase.js';

export interface HistoryQuery {
  agentId?: string;
  /** Only this pool's rows (kinds that have a pool). */
  poolId?: string;
  /** Inclusive lower and exclusive upper bound, ms since epoch. */
  fromMs?: number;
  toMs?: number;
  /** Page size (default 100, at most 10 000). */
  limit?: number;
  /** Rows older than this row id (paging backwards); from a previous page's `nextBefore`. */
  beforeId?: number;
  /** Oldest first instead of newest first. */
  ascending?: boolean;
}

export interface HistoryPage {
  kind: HistoryKind;
  rows: Record<string, unknown>[];
  /** Pass as beforeId for the next (older) page; null when this was the last. */
  nextBefore: number | null;
}

const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function selectList(kind: HistoryKind): string {
  const spec = TABLES[kind];
  return ['id::float8 AS id', ...spec.columns.map((c) => {
    if (c === 'at') return '(extract(epoch FROM at) * 1000)::float8 AS at';
    if (c === 'liquidity') return 'liquidity::text AS liquidity';
    return c;
  })].join(', ');
}

/** One page of records of `kind`. */
export async function queryHistory(db: SqlDatabase, kind: HistoryKind, q: HistoryQuery = {}): Promise<HistoryPage> {
  const spec = TABLES[kind];
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown): void => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.agentId !== undefined) add('agent_id = ?', q.agentId);
  if (q.poolId !== undefined && spec.columns.includes('pool_id')) add('pool_id = ?', q.poolId);
  if (q.fromMs !== undefined) add('at >= ?', new Date(q.fromMs).toISOString());
  if (q.toMs !== undefined) add('at < ?', new Date(q.toMs).toISOString());
  if (q.beforeId !== undefined) add(q.ascending === true ? 'id > ?' : 'id < ?', q.beforeId);
  const limit = Math.max(1, Math.min(10_000, q.limit ?? 100));
  const dir = q.ascending === true ? 'ASC' : 'DESC';
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${selectList(kind)} FROM ${spec.table}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${dir} LIMIT ${limit + 1}`,
    params,
  );
  const page = rows.slice(0, limit).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camel(k), typeof v === 'bigint' ? Number(v) : v])));
  const last = page.at(-1);
  return { kind, rows: page, nextBefore: rows.length > limit && last !== undefined ? Number(last['id']) : null };
}

export interface KindSummary {
  kind: HistoryKind;
  count: number;
  firstAt: number | null;
  lastAt: number | null;
}

/** How many records of each kind are stored (for one agent, or all), and their time span. */
export async function historySummary(db: SqlDatabase, agentId?: string): Promise<KindSummary[]> {
  const out: KindSummary[] = [];
  for (const kind of HISTORY_KINDS) {
    const rows = await db.query<{ n: number; first_at: number | null; last_at: number | null }>(
      `SELECT count(*)::float8 AS n, (extract(epoch FROM min(at)) * 1000)::float8 AS first_at, (extract(epoch FROM max(at)) * 1000)::float8 AS last_at
       FROM ${TABLES[kind].table}${agentId === undefined ? '' : ' WHERE agent_id = $1'}`,
      agentId === undefined ? [] : [agentId],
    );
    const r = rows[0]!;
    out.push({ kind, count: Number(r.n), firstAt: r.first_at === null ? null : Number(r.first_at), lastAt: r.last_at === null ? null : Number(r.last_at) });
  }
  return out;
}
