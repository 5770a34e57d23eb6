/**
 * The history's schema, versioned: each migration runs once, in order, in its own transaction,
 * at start (`applyMigrations`). Add a migration at the end; never edit one that has shipped.
 * The same SQL runs on a PostgreSQL server and on PGlite.
 */
import type { SqlDatabase } from './sqlDatabase.js';

export interface Migration {
  version: number;
  name: string;
  sql: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'history tables',
    sql: [
      `CREATE TABLE IF NOT EXISTS pool_snapshots (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, pool_id text NOT NULL, at timestamptz NOT NULL,
        status text NOT NULL, price float8 NOT NULL, asset_price float8 NOT NULL, reference_price float8,
        tick integer NOT NULL, tick_lower integer, tick_upper integer, liquidity numeric NOT NULL,
        value_usd float8 NOT NULL, deposited_usd float8 NOT NULL, pnl_usd float8 NOT NULL, fees_usd float8 NOT NULL,
        il_percent float8 NOT NULL, il_usd float8 NOT NULL, cumulative_il_usd float8 NOT NULL, lvr_usd float8,
        delta float8 NOT NULL)`,
      'CREATE INDEX IF NOT EXISTS pool_snapshots_by_pool ON pool_snapshots (agent_id, pool_id, at)',
      `CREATE TABLE IF NOT EXISTS decisions (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, pool_id text NOT NULL, at timestamptz NOT NULL,
        roll boolean NOT NULL, urgency text NOT NULL, triggers jsonb NOT NULL, expected_gain_usd float8 NOT NULL,
        gas_cost_usd float8 NOT NULL, swap_cost_usd float8 NOT NULL, new_tick_lower integer, new_tick_upper integer,
        reasons jsonb NOT NULL)`,
      'CREATE INDEX IF NOT EXISTS decisions_by_pool ON decisions (agent_id, pool_id, at)',
      `CREATE TABLE IF NOT EXISTS rolls (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, pool_id text NOT NULL, at timestamptz NOT NULL,
        tx_hash text NOT NULL, from_tick_lower integer NOT NULL, from_tick_upper integer NOT NULL,
        to_tick_lower integer NOT NULL, to_tick_upper integer NOT NULL, triggers jsonb NOT NULL,
        expected_gain_usd float8, gas_cost_usd float8, swap_cost_usd float8,
        UNIQUE (agent_id, pool_id, tx_hash))`,
      `CREATE TABLE IF NOT EXISTS fills (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, venue text NOT NULL, order_id text NOT NULL,
        client_order_id text NOT NULL, symbol text NOT NULL, side text NOT NULL, amount float8 NOT NULL,
        price float8 NOT NULL, fee float8 NOT NULL, at timestamptz NOT NULL,
        UNIQUE (agent_id, venue, order_id, at, amount, price))`,
      `CREATE TABLE IF NOT EXISTS funding (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, venue text NOT NULL, symbol text NOT NULL,
        at timestamptz NOT NULL, rate float8 NOT NULL, amount float8,
        UNIQUE (agent_id, venue, symbol, at))`,
      `CREATE TABLE IF NOT EXISTS hedge_changes (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, asset text NOT NULL, symbol text NOT NULL,
        at timestamptz NOT NULL, net_delta float8 NOT NULL, target float8 NOT NULL, current float8 NOT NULL,
        deviation float8 NOT NULL, within_band boolean NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS alerts (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, at timestamptz NOT NULL, severity text NOT NULL,
        rule text NOT NULL, message text NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS halts (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, at timestamptz NOT NULL, action text NOT NULL,
        reason text, halted_by text)`,
      `CREATE TABLE IF NOT EXISTS equity (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, at timestamptz NOT NULL, equity_usd float8 NOT NULL,
        peak_equity_usd float8 NOT NULL, drawdown float8 NOT NULL, exposure float8 NOT NULL, pnl_percent float8 NOT NULL)`,
      'CREATE INDEX IF NOT EXISTS equity_by_agent ON equity (agent_id, at)',
    ],
  },
  {
    version: 2,
    name: 'API audit log',
    sql: [
      `CREATE TABLE IF NOT EXISTS audit_log (
        id bigserial PRIMARY KEY, agent_id text NOT NULL, at timestamptz NOT NULL, token_id text, role text, ip text NOT NULL,
        method text NOT NULL, route text NOT NULL, body jsonb, status integer NOT NULL, outcome text NOT NULL, result jsonb)`,
      'CREATE INDEX IF NOT EXISTS audit_log_by_agent ON audit_log (agent_id, at)',
    ],
  },
];

/** Applies the migrations the database has not had yet; returns the versions applied now. */
export async function applyMigrations(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS history_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM history_migrations')).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    // two agents starting on one database: the lock serialises them, the insert's conflict makes the second a no-op
    await db.transaction([
      { text: 'SELECT pg_advisory_xact_lock(7247001)' },
      ...m.sql.map((text) => ({ text })),
      { text: 'INSERT INTO history_migrations (version, name) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING', params: [m.version, m.name] },
    ]);
    applied.push(m.version);
  }
  return applied;
}

/** The versions the database has, ascending. */
export async function appliedMigrations(db: SqlDatabase): Promise<number[]> {
  const rows = await db.query<{ version: number }>('SELECT version FROM history_migrations ORDER BY version');
  return rows.map((r) => Number(r.version));
}
