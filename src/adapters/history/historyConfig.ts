/**
 * The `history:` section of the configuration. DATABASE_URL (or `url`) selects a PostgreSQL
 * server; without one the embedded PGlite keeps the history in `dataDir` (in memory when unset).
 */
import { z } from 'zod';
import { SCHEMA_NAME } from './sqlDatabase.js';

export const historyConfigSchema = z.object({
  /** false: nothing is recorded. */
  enabled: z.boolean().default(true),
  /** postgres://… of a PostgreSQL server; DATABASE_URL in the environment wins. Absent: embedded PGlite. */
  url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL').optional(),
  /** Schema the tables live in. */
  schema: z.string().regex(SCHEMA_NAME, 'lower-case letters, digits and _').default('rangekeeper'),
  /** Directory of the embedded database; absent: in memory (lost at exit). */
  dataDir: z.string().min(1).optional(),
  /** At most one pool snapshot and one equity point per this many ms (default one a minute). */
  snapshotIntervalMs: z.number().int().min(1_000).default(60_000),
  /** Batches are written this often, ms. */
  flushMs: z.number().int().min(10).default(1_000),
  batchSize: z.number().int().min(1).max(5_000).default(500),
  /** Records kept while the database is unreachable; beyond it the oldest are dropped (and counted). */
  maxQueued: z.number().int().min(100).default(50_000),
}).strict();

export type HistoryConfig = z.infer<typeof historyConfigSchema>;
