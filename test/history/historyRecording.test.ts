/**
 * The history as the agent runs: the recorder on a real agent's feed (simulated chain, paper
 * venue) → the write queue → PostgreSQL; and a database outage (nothing listening, then a proxy
 * to the real server appears) that only queues and retries, never throws into the agent.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHistory, type History } from '../../src/adapters/history/openHistory.js';
import { historyConfigSchema } from '../../src/adapters/history/historyConfig.js';
import { queryHistory } from '../../src/adapters/history/historyQueries.js';
import { HistoryRecorder } from '../../src/adapters/history/recorder.js';
import type { HistoryRecord } from '../../src/adapters/history/historyRecords.js';
import { createLogger } from '../../src/logging/logger.js';
import { startFixture, type Fixture } from '../actors/support/fixture.js';
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';

const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('recorder on a running agent', () => {
  let f: Fixture;
  const records: HistoryRecord[] = [];
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('records snapshots at most once a minute, the roll with its triggers and costs, hedge changes, halt and resume', async () => {
    const rec = new HistoryRecorder({ agentId: 'test', sink: (r) => records.push(r), snapshotIntervalMs: 60_000 });
    const sub = rec.attach(f.agent.feed.changes$);
    for (const p of [3010, 3020, 3030, 3040]) await f.move(p);
    await f.move(3400); // out of range: a roll
    await f.agent.halt('drill', 'test');
    await f.settle();
    await f.agent.resume('test');
    await f.settle();
    sub.unsubscribe();

    const of = <K extends HistoryRecord['kind']>(k: K) => records.filter((r): r is Extract<HistoryRecord, { kind: K }> => r.kind === k);
    // many published states within a minute: one snapshot
    expect(of('poolSnapshot')).toHaveLength(1);
    expect(of('poolSnapshot')[0]).toMatchObject({ poolId: f.pools[0]!.poolId, status: 'running' });
    const state = await f.agent.position(f.pools[0]!.poolId);
    expect(state.rolls).toBe(1);
    const rolls = of('roll');
    expect(rolls).toHaveLength(1);
    expect(rolls[0]).toMatchObject({ txHash: state.lastRoll!.txHash, toTickLower: state.lastRoll!.to.tickLower, triggers: state.lastDecision!.triggers, gasCostUsd: state.lastDecision!.gasCostUsd });
    expect(rolls[0]!.triggers.length).toBeGreaterThan(0);
    expect(of('decision').some((d) => d.roll)).toBe(true);
    expect(of('hedge').length).toBeGreaterThan(0);
    expect(of('haltChange').map((h) => [h.action, h.reason])).toEqual([['halt', 'drill'], ['resume', null]]);
    expect(of('equity').length).toBeLessThanOrEqual(1);
  });
});

describe('history through an outage of its PostgreSQL', () => {
  const schema = uniqueSchema('rk_outage');
  let proxy: Server | null = null;
  let history: History | null = null;
  const sockets = new Set<Socket>();
  beforeAll(requirePostgres);
  afterAll(async () => {
    await history?.close(2_000);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (proxy === null ? r() : proxy.close(() => r())));
    await dropSchema(schema);
  });

  it('queues while the server is unreachable, warns, and writes everything once it is back', async () => {
    // a port with nothing on it (taken and released), later served by a proxy to the real server
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const target = new URL(TEST_DATABASE_URL);
    const url = `postgres://${target.username === '' ? 'postgres' : target.username}@127.0.0.1:${port}${target.pathname}`;
    const cfg = historyConfigSchema.parse({ url, schema, flushMs: 20 });
    history = openHistory(cfg, { agentId: 'outage', log, env: {} });
    for (let i = 0; i < 30; i++) history.recorder.alert({ at: Date.UTC(2026, 0, 1) + i, severity: 'warning', message: `alert ${i}` });
    await until(() => history!.queue.stats.failures >= 2);
    expect(history.queue.stats).toMatchObject({ written: 0, queued: 30, dropped: 0 });
    expect(history.queue.stats.failingSince).not.toBeNull();

    proxy = createServer((client) => {
      const upstream = connect(Number(target.port === '' ? 5432 : target.port), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => proxy!.listen(port, '127.0.0.1', r));
    await until(() => history!.queue.stats.written === 30, 60_000);
    expect(history.queue.stats.failingSince).toBeNull();
    const page = await queryHistory(await history.database(), 'alert', { agentId: 'outage', limit: 100, ascending: true });
    expect(page.rows.map((r) => r['message'])).toEqual(Array.from({ length: 30 }, (_, i) => `alert ${i}`));
  });
});
