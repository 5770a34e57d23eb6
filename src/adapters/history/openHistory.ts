/**
 * The agent's history: the database (PostgreSQL when DATABASE_URL or history.url is set, else the
 * embedded PGlite), its migrations, the write queue and the recorder, opened without waiting:
 * the agent starts at once, records queue while the database opens (PGlite compiles its WASM in
 * a worker), and an unreachable database is retried on each flush, never fatal.
 */
import type { Logger } from '../../logging/logger.js';
import { redactRpcUrl } from '../chain/redactRpcUrl.js';
import type { HistoryConfig } from './historyConfig.js';
import { applyMigrations } from './migrations.js';
import { openPglite } from './pgliteDatabase.js';
import { openPostgres } from './postgresDatabase.js';
import { HistoryRecorder } from './recorder.js';
import type { SqlDatabase } from './sqlDatabase.js';
import { writeRecords } from './historyStore.js';
import { WriteQueue } from './writeQueue.js';

export interface History {
  readonly recorder: HistoryRecorder;
  readonly queue: WriteQueue;
  /** Where the history lives, without credentials (for logs and the CLI). */
  readonly where: string;
  /** The open, migrated database; rejects when it cannot be opened now (the next call tries again). */
  database(): Promise<SqlDatabase>;
  /** Writes what is queued (within a deadline), then closes the database. */
  close(deadlineMs?: number): Promise<void>;
}

/** The server URL the history uses: DATABASE_URL first, then the config's; undefined: embedded. */
export function historyUrl(cfg: Pick<HistoryConfig, 'url'>, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env['DATABASE_URL'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : cfg.url;
}

/** Opens (and migrates) the database the config names, now. */
export async function openHistoryDatabase(cfg: Pick<HistoryConfig, 'url' | 'schema' | 'dataDir'>, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<SqlDatabase> {
  const url = historyUrl(cfg, env);
  const db = url !== undefined
    ? await openPostgres({ url, schema: cfg.schema })
    : await openPglite({ schema: cfg.schema, ...(cfg.dataDir === undefined ? {} : { dataDir: cfg.dataDir }), ...(signal === undefined ? {} : { signal }) });
  try {
    await applyMigrations(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

export function describeHistory(cfg: Pick<HistoryConfig, 'url' | 'schema' | 'dataDir'>, env: NodeJS.ProcessEnv): string {
  const url = historyUrl(cfg, env);
  if (url !== undefined) return `PostgreSQL ${redactRpcUrl(url)} (schema ${cfg.schema})`;
  return `embedded PGlite ${cfg.dataDir ?? '(in memory)'}`;
}

/** Starts the history of agent `agentId` (see the module comment). */
export function openHistory(cfg: HistoryConfig, o: { agentId: string; log: Logger; env?: NodeJS.ProcessEnv }): History {
  const env = o.env ?? process.env;
  const log = o.log.child({ component: 'history' });
  const where = describeHistory(cfg, env);
  let opening: Promise<SqlDatabase> | null = null;
  let closed = false;
  let ready = false;
  const abort = new AbortController();
  const database = (): Promise<SqlDatabase> => {
    if (closed) return Promise.reject(new Error('history closed'));
    opening ??= openHistoryDatabase(cfg, env, abort.signal).then(
      (db) => {
        ready = true;
        log.info({ where }, 'history database open');
        return db;
      },
      (err: unknown) => {
        opening = null;
        throw err;
      },
    );
    return opening;
  };
  const queue = new WriteQueue({
    write: async (batch) => writeRecords(await database(), batch),
    log, flushMs: cfg.flushMs, batchSize: cfg.batchSize, maxQueued: cfg.maxQueued,
  });
  const recorder = new HistoryRecorder({ agentId: o.agentId, snapshotIntervalMs: cfg.snapshotIntervalMs, sink: (r) => queue.push(r) });
  // open now, in the background: a failure is a warning here and a retry at the next flush
  database().catch((err: unknown) => {
    if (!closed) log.warn({ err, where }, 'history database not available yet; records are queued and retried');
  });
  return {
    recorder, queue, where, database,
    close: async (deadlineMs = 5_000) => {
      if (!ready) {
        // a database still opening (PGlite booting, a server not answering) is not waited for
        closed = true;
        abort.abort();
      }
      await queue.close(ready ? deadlineMs : 0);
      closed = true;
      abort.abort();
      const db = opening;
      opening = null;
      if (db !== null) await db.then((d) => d.close(), () => undefined);
    },
  };
}
