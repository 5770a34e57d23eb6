/**
 * The one SQL surface the history uses, whichever PostgreSQL is behind it: a server through `pg`
 * (DATABASE_URL) or the embedded PGlite (the same SQL in process). One schema, one set of queries.
 */

/** One parameterized statement. */
export interface Statement {
  text: string;
  params?: unknown[];
}

export interface SqlDatabase {
  /** 'postgres' (a server) or 'pglite' (embedded). */
  readonly kind: 'postgres' | 'pglite';
  /** Runs one statement and returns its rows. */
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Runs the statements in one transaction: all or none. */
  transaction(statements: Statement[]): Promise<void>;
  close(): Promise<void>;
}

/** A history database that could not be opened, migrated or written. */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A schema name safe to interpolate into SQL (identifiers cannot be parameters). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new HistoryError(`history schema "${schema}" must be lower-case letters, digits and _ (at most 63)`);
  return schema;
}
