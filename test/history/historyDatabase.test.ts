/**
 * The history's one schema and one set of queries, on a real PostgreSQL server (a fresh schema
 * per run) and on the embedded PGlite (in its worker): migrations, every kind of record written
 * and read back, idempotent rows, paging and filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, appliedMigrations, MIGRATIONS } from '../../src/adapters/history/migrations.js';
import { openPglite } from '../../src/adapters/history/pgliteDatabase.js';
import { openPostgres } from '../../src/adapters/history/postgresDatabase.js';
import { writeRecords } from '../../src/adapters/history/historyStore.js';
import { historySummary, queryHistory } from '../../src/adapters/history/historyQueries.js';
import type { HistoryRecord } from '../../src/adapters/history/historyRecords.js';
import { HISTORY_KINDS } from '../../src/adapters/history/historyTables.js';
import type { SqlDatabase } from '../../src/adapters/history/sqlDatabase.js';
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';

const T0 = Date.UTC(2026, 0, 1);
const POOL_A = `0x${'aa'.repeat(32)}`;
const POOL_B = `0x${'bb'.repeat(32)}`;

/** One record of every kind (pool A), plus snapshots of pool B. */
function sampleRecords(agentId: string): HistoryRecord[] {
  return [
    { kind: 'poolSnapshot', agentId, poolId: POOL_A, at: T0, status: 'running', price: 3000.5, assetPrice: 3000.5, referencePrice: 3001, tick: -197_000, tickLower: -197_400, tickUpper: -196_620, liquidity: '123456789012345678901234567890', valueUsd: 30_000, depositedUsd: 29_000, pnlUsd: 1000, feesUsd: 12.5, ilPercent: -0.25, ilUsd: -75, cumulativeIlUsd: -80, lvrUsd: 3.5, delta: 5.1 },
    { kind: 'poolSnapshot', agentId, poolId: POOL_B, at: T0 + 60_000, status: 'running', price: 1, assetPrice: 1, referencePrice: null, tick: 0, tickLower: null, tickUpper: null, liquidity: '0', valueUsd: 0, depositedUsd: 0, pnlUsd: 0, feesUsd: 0, ilPercent: 0, ilUsd: 0, cumulativeIlUsd: 0, lvrUsd: null, delta: 0 },
    { kind: 'decision', agentId, poolId: POOL_A, at: T0 + 1, roll: true, urgency: 'high', triggers: ['outOfRange'], expectedGainUsd: 40, gasCostUsd: 2, swapCostUsd: 1.5, newTickLower: -197_100, newTickUpper: -196_320, reasons: ['price left the range'] },
    { kind: 'roll', agentId, poolId: POOL_A, at: T0 + 2, txHash: '0xfeed', fromTickLower: -197_400, fromTickUpper: -196_620, toTickLower: -197_100, toTickUpper: -196_320, triggers: ['outOfRange'], expectedGainUsd: 40, gasCostUsd: 2, swapCostUsd: 1.5 },
    { kind: 'fill', agentId, venue: 'paper', orderId: 'o1', clientOrderId: 'rk-1', symbol: 'ETH/USDT:USDT', side: 'sell', amount: 4.2, price: 2999.9, fee: 6.3, at: T0 + 3 },
    { kind: 'funding', agentId, venue: 'paper', symbol: 'ETH/USDT:USDT', at: T0 + 4, rate: 0.0001, amount: -1.26 },
    { kind: 'hedge', agentId, asset: 'ETH', symbol: 'ETH/USDT:USDT', at: T0 + 5, netDelta: 5.1, target: -4.08, current: -4.2, deviation: 0.03, withinBand: true },
    { kind: 'alert', agentId, at: T0 + 6, severity: 'critical', rule: 'risk', message: 'kill switch: halted by test: drill' },
    { kind: 'haltChange', agentId, at: T0 + 7, action: 'halt', reason: 'drill', by: 'test' },
    { kind: 'equity', agentId, at: T0 + 8, equityUsd: 50_000, peakEquityUsd: 51_000, drawdown: 1 / 51, exposure: 0.6, pnlPercent: 0.01 },
    { kind: 'audit', agentId, at: T0 + 9, tokenId: '0123456789ab', role: 'admin', ip: '127.0.0.1', method: 'POST', route: '/api/v1/risk/halt', body: { reason: 'drill' }, status: 200, outcome: 'ok', result: { status: 'halted' } },
  ];
}

function suite(name: string, open: () => Promise<{ db: SqlDatabase; cleanup: () => Promise<void> }>): void {
  describe(name, () => {
    let db: SqlDatabase;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ db, cleanup } = await open());
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('applies each migration once, in order, and records it', async () => {
      expect(await applyMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await applyMigrations(db)).toEqual([]);
      expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('stores every kind of record and reads it back as written', async () => {
      const records = sampleRecords('a1');
      await writeRecords(db, records);
      for (const r of records) {
        const page = await queryHistory(db, r.kind, { agentId: 'a1', ...(r.kind === 'poolSnapshot' ? { poolId: r.poolId } : {}) });
        expect(page.rows).toHaveLength(1);
        const { kind: _kind, ...fields } = r;
        const row = page.rows[0]!;
        const expected: Record<string, unknown> = { ...fields };
        if (r.kind === 'haltChange') {
          expected['haltedBy'] = r.by;
          delete expected['by'];
        }
        expect(row).toMatchObject(expected);
      }
      const summary = await historySummary(db, 'a1');
      expect(summary.map((s) => s.kind).sort()).toEqual([...HISTORY_KINDS].sort());
      expect(summary.find((s) => s.kind === 'poolSnapshot')).toMatchObject({ count: 2, firstAt: T0, lastAt: T0 + 60_000 });
    });

    it('keeps one row of a roll, a fill or a funding payment written twice (a retried batch)', async () => {
      const again = sampleRecords('a2').filter((r) => r.kind === 'roll' || r.kind === 'fill' || r.kind === 'funding');
      await writeRecords(db, again);
      await writeRecords(db, again);
      for (const kind of ['roll', 'fill', 'funding'] as const) expect((await queryHistory(db, kind, { agentId: 'a2' })).rows).toHaveLength(1);
    });

    it('pages newest first and filters by time; a failed batch stores nothing of itself', async () => {
      const points: HistoryRecord[] = Array.from({ length: 25 }, (_, i) => ({ kind: 'equity', agentId: 'a3', at: T0 + i * 60_000, equityUsd: 1000 + i, peakEquityUsd: 1000 + i, drawdown: 0, exposure: 0.5, pnlPercent: i / 1000 }));
      await writeRecords(db, points);
      const first = await queryHistory(db, 'equity', { agentId: 'a3', limit: 10 });
      expect(first.rows.map((r) => r['equityUsd'])).toEqual([1024, 1023, 1022, 1021, 1020, 1019, 1018, 1017, 1016, 1015]);
      const second = await queryHistory(db, 'equity', { agentId: 'a3', limit: 10, beforeId: first.nextBefore! });
      const third = await queryHistory(db, 'equity', { agentId: 'a3', limit: 10, beforeId: second.nextBefore! });
      expect(third.rows).toHaveLength(5);
      expect(third.nextBefore).toBeNull();
      const window = await queryHistory(db, 'equity', { agentId: 'a3', fromMs: T0 + 5 * 60_000, toMs: T0 + 8 * 60_000, ascending: true });
      expect(window.rows.map((r) => r['at'])).toEqual([T0 + 5 * 60_000, T0 + 6 * 60_000, T0 + 7 * 60_000]);

      // one bad row (NOT NULL violated) fails the whole batch: the good row before it is not stored either
      const good: HistoryRecord = { kind: 'alert', agentId: 'a4', at: T0, severity: 'info', rule: 'r', message: 'kept only with its batch' };
      const bad = { kind: 'alert', agentId: 'a4', at: T0, severity: null, rule: 'r', message: 'x' } as unknown as HistoryRecord;
      await expect(writeRecords(db, [good, bad])).rejects.toThrow();
      expect((await queryHistory(db, 'alert', { agentId: 'a4' })).rows).toHaveLength(0);
    });
  });
}

suite('history on PostgreSQL (127.0.0.1:5432, a fresh schema)', async () => {
  await requirePostgres();
  const schema = uniqueSchema('rk_hist');
  const db = await openPostgres({ url: TEST_DATABASE_URL, schema });
  return { db, cleanup: async () => { await db.close(); await dropSchema(schema); } };
});

suite('history on the embedded PGlite (worker, in memory)', async () => {
  const db = await openPglite({ schema: 'rangekeeper' });
  return { db, cleanup: () => db.close() };
});
