/**
 * The history on a PostgreSQL server (DATABASE_URL) through `pg`'s pool. Every connection works
 * in the configured schema (search_path), so one server can hold several agents' or test runs'
 * histories side by side.
 */
import pg from 'pg';
import { redactRpcUrl } from '../chain/redactRpcUrl.js';
import { checkSchemaName, HistoryError, type SqlDatabase, type Statement } from './sqlDatabase.js';

export interface PostgresOptions {
  url: string;
  /** Schema the tables live in (created when missing). */
  schema: string;
  /** Pool size (default 4: the history writes in batches, off the hot path). */
  maxConnections?: number;
  /** Connect timeout, ms (default 5 s: an outage is found quickly, then retried). */
  connectTimeoutMs?: number;
}

/** Opens a pool to the server and makes sure the schema exists; throws HistoryError naming the server without its password. */
export async function openPostgres(o: PostgresOptions): Promise<SqlDatabase> {
  const schema = checkSchemaName(o.schema);
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.maxConnections ?? 4,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
    options: `-c search_path=${schema}`,
  });
  // an idle client losing its server is reported by the next query; without a listener it would crash the process
  pool.on('error', () => undefined);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new HistoryError(`cannot open the history database ${redactRpcUrl(o.url)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return {
    kind: 'postgres',
    async query<R extends object>(text: string, params?: unknown[]): Promise<R[]> {
      const res = await pool.query(text, params);
      return res.rows as R[];
    },
    async transaction(statements: Statement[]): Promise<void> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const s of statements) await client.query(s.text, s.params);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
