/**
 * Writes batches of history records: one multi-row INSERT per table, all in one transaction (a
 * batch is stored whole or not at all, so a retry never half-duplicates it; tables with a natural
 * key also ignore a row they already have).
 */
import type { HistoryKind, HistoryRecord } from './historyRecords.js';
import type { SqlDatabase, Statement } from './sqlDatabase.js';
import { TABLES, type TableSpec } from './historyTables.js';

/** PostgreSQL allows 65535 parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

/** The INSERT statements that store `records` (grouped by table, chunked by parameter count). */
export function insertStatements(records: readonly HistoryRecord[]): Statement[] {
  const byKind = new Map<HistoryKind, HistoryRecord[]>();
  for (const r of records) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  const out: Statement[] = [];
  for (const [kind, rows] of byKind) {
    const spec = TABLES[kind] as TableSpec;
    const perChunk = Math.max(1, Math.floor(MAX_PARAMS / spec.columns.length));
    for (let i = 0; i < rows.length; i += perChunk) {
      const chunk = rows.slice(i, i + perChunk);
      const params: unknown[] = [];
      const tuples = chunk.map((r) => {
        const vals = spec.values(r as never);
        const placeholders = vals.map((v, c) => {
          params.push(v);
          const col = spec.columns[c]!;
          return spec.json?.includes(col) === true ? `$${params.length}::jsonb` : `$${params.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      out.push({
        text: `INSERT INTO ${spec.table} (${spec.columns.join(', ')}) VALUES ${tuples.join(', ')}${spec.idempotent === true ? ' ON CONFLICT DO NOTHING' : ''}`,
        params,
      });
    }
  }
  return out;
}

/** Stores `records` in one transaction. */
export async function writeRecords(db: SqlDatabase, records: readonly HistoryRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.transaction(insertStatements(records));
}
