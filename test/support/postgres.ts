import pg from 'pg';

/** The PostgreSQL the tests use: TEST_DATABASE_URL, else the local server's `test` database (trust auth). */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Fails fast, with instructions, when no PostgreSQL answers: the history tests need a real one. */
export async function requirePostgres(): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `These tests need a PostgreSQL server at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL to use another). ` +
        `Debian: apt-get install postgresql; a database "test" the user may create schemas in. Cause: ${(err as Error).message}`,
    );
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A schema name no other test run uses (dropped by dropSchema after the run). */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}
