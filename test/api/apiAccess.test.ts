/**
 * The API over real HTTP (loopback) on a real agent: tokens kept hashed and revocable, the role of
 * each route, per-token rate limits that a wrong-token flood from the same address cannot touch,
 * the audit log of writes and refusals (in the history, read back by an admin), the manual
 * rebalance through the PositionActor's guards, the per-pool settings a manager sets (applied by
 * the pool's actor, audited, kept across a restart), and the OpenAPI document made from the schemas.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rebalanceResultSchema, comparisonSchema } from '../../src/api/routes/strategyRoutes.js';
import { poolSettingsSchema } from '../../src/api/routes/poolSettingsRoutes.js';
import { startFixture } from '../actors/support/fixture.js';
import { vaultStatusSchema } from '../../src/api/routes/vaultRoutes.js';
import { positionStateSchema } from '../../src/api/routes/stateSchemas.js';
import type { History } from '../../src/adapters/history/openHistory.js';
import { openTestHistory, startApiRig, type ApiRig } from './support/apiServer.js';
import { compareResult } from './support/researchResults.js';
import { writeResearchResult } from '../../src/backtest/researchResultStore.js';

let history: History;
let rig: ApiRig | undefined;
beforeAll(async () => {
  history = await openTestHistory();
});
afterAll(async () => {
  await history.close(1_000);
});
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('API tokens and roles', () => {
  it('keeps only a hash of each token; a revoked token is refused at once', async () => {
    rig = await startApiRig(history);
    const { f, tokens, token, call } = rig;
    const stored = JSON.stringify(await Promise.all((await f.store.keys('api-tokens/')).map((k) => f.store.get(k))));
    for (const t of Object.values(token)) {
      expect(stored).not.toContain(t);
      expect(stored).not.toContain(t.slice(16));
    }
    expect((await call('GET', '/api/v1/positions', { token: token.viewer })).status).toBe(200);
    const id = (await tokens.list()).find((t) => t.role === 'viewer')!.id;
    await tokens.revoke(id);
    expect((await call('GET', '/api/v1/positions', { token: token.viewer })).status).toBe(401);
    expect((await tokens.list()).find((t) => t.id === id)!.revokedAt).toEqual(expect.any(Number));
  });

  it('each route asks its role: viewer reads, manager rebalances, admin halts, resumes and reads the audit', async () => {
    rig = await startApiRig(history, { failedAuthMax: 100 });
    const { token, call, f } = rig;
    const poolId = f.pools[0]!.poolId;
    const reads = ['/api/v1/state', '/api/v1/positions', `/api/v1/positions/${poolId}`, '/api/v1/hedges', '/api/v1/risk', '/api/v1/risk/halt/status',
      '/api/v1/vault/status', '/api/v1/analytics/strategy-comparison', '/api/v1/alerts', '/api/v1/history', '/api/v1/history/equity', '/docs', '/docs/openapi.json'];
    for (const path of reads) {
      expect((await call('GET', path)).status, path).toBe(401);
      expect((await call('GET', path, { token: token.viewer })).status, path).toBe(200);
    }
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('GET', '/api/v1/audit', { token: token.manager })).status).toBe(403);
    expect((await call('POST', '/api/v1/strategy/rebalance', { token: token.viewer, body: { poolId } })).status).toBe(403);
    expect((await call('POST', '/api/v1/risk/halt', { token: token.manager, body: { reason: 'not mine to do' } })).status).toBe(403);
    expect((await f.agent.risk()).status).toBe('running');
    const halted = await call('POST', '/api/v1/risk/halt', { token: token.admin, body: { reason: 'admin halt' } });
    expect(halted.status).toBe(200);
    expect(halted.json['haltedBy']).toMatch(/^api:[0-9a-f]{12}$/);
    expect((await call('POST', '/api/v1/risk/resume', { token: token.admin })).status).toBe(200);
    expect((await call('GET', '/api/v1/audit', { token: token.admin })).status).toBe(200);
    // the portfolio needs a vault: a clear 404 while none is configured, 400 for a malformed address
    const portfolio = await call('GET', '/api/v1/user/0x00000000000000000000000000000000000000aa/portfolio', { token: token.viewer });
    expect(portfolio).toMatchObject({ status: 404, json: { error: 'no-vault' } });
    expect((await call('GET', '/api/v1/user/not-an-address/portfolio', { token: token.viewer })).status).toBe(400);
  });

  it('limits each token on its own: a token over its limit gets 429, the others and the admin\'s halt under a wrong-token flood are served', async () => {
    rig = await startApiRig(history, { tokenRequestsMax: 5, failedAuthMax: 3 });
    const { token, call, f } = rig;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call('GET', '/api/v1/risk', { token: token.viewer })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect((await call('GET', '/api/v1/risk', { token: token.manager })).status).toBe(200);
    for (let i = 0; i < 10; i++) await call('POST', '/api/v1/risk/halt', { token: `rk_000000000000_${'x'.repeat(43)}`, body: { reason: 'guess' } });
    expect((await call('GET', '/api/v1/risk')).status).toBe(429);
    const halt = await call('POST', '/api/v1/risk/halt', { token: token.admin, body: { reason: 'under a flood' } });
    expect(halt.status).toBe(200);
    expect((await f.agent.risk()).status).toBe('halted');
  });
});

describe('audit log', () => {
  it('records every write and every refused request with who, what, body, result and when; an admin reads it paged', async () => {
    rig = await startApiRig(history);
    const { token, call, tokens } = rig;
    const t0 = Date.now();
    await call('GET', '/api/v1/positions');
    await call('POST', '/api/v1/risk/halt', { token: token.viewer, body: { reason: 'viewer tries', secretToken: 'do-not-keep' } });
    await call('POST', '/api/v1/risk/halt', { token: token.admin, body: { reason: 'audited halt' } });
    await call('POST', '/api/v1/risk/halt', { token: token.admin, body: { reason: '' } });
    await call('GET', '/api/v1/positions', { token: token.viewer });
    const ids = Object.fromEntries((await tokens.list()).map((t) => [t.role, t.id]));
    let rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 100 && rows.length < 4; i++) {
      rows = (await call('GET', '/api/v1/audit?order=asc', { token: token.admin })).json['rows'] as Record<string, unknown>[];
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows.map((r) => [r['method'], r['route'], r['status'], r['outcome'], r['tokenId'], r['role']])).toEqual([
      ['GET', '/api/v1/positions', 401, 'refused', null, null],
      ['POST', '/api/v1/risk/halt', 403, 'refused', ids['viewer'], 'viewer'],
      ['POST', '/api/v1/risk/halt', 200, 'ok', ids['admin'], 'admin'],
      ['POST', '/api/v1/risk/halt', 400, 'invalid', ids['admin'], 'admin'],
    ]);
    expect(rows[1]!['body']).toEqual({ reason: 'viewer tries', secretToken: '[masked]' });
    expect(rows[2]!['body']).toEqual({ reason: 'audited halt' });
    expect(rows[2]!['result']).toMatchObject({ status: 'halted', reason: 'audited halt' });
    for (const r of rows) expect(r['at']).toBeGreaterThanOrEqual(t0 - 1);
    const page = await call('GET', '/api/v1/audit?limit=2', { token: token.admin });
    expect((page.json['rows'] as unknown[]).length).toBe(2);
    const next = await call('GET', `/api/v1/audit?limit=2&before=${String(page.json['nextBefore'])}`, { token: token.admin });
    expect((next.json['rows'] as { id: number }[]).every((r) => r.id < Number(page.json['nextBefore']) + 1)).toBe(true);
  });
});

describe('spec endpoints', () => {
  it('rebalances one pool through its PositionActor: rolled to the given range, refused while halted or for a range the pool cannot take', async () => {
    rig = await startApiRig(history);
    const { token, call, f } = rig;
    const poolId = f.pools[0]!.poolId;
    const before = positionStateSchema.parse((await call('GET', `/api/v1/positions/${poolId}`, { token: token.viewer })).json);
    const spacing = f.pools[0]!.tickSpacing;
    const range = { tickLower: before.range!.tickLower - 10 * spacing, tickUpper: before.range!.tickUpper + 10 * spacing };
    const txs = f.chain.transactions.length;
    const rolled = await call('POST', '/api/v1/strategy/rebalance', { token: token.manager, body: { poolId, range, reason: 'widen' } });
    expect(rolled.status).toBe(200);
    const r = rebalanceResultSchema.parse(rolled.json);
    expect(r).toMatchObject({ outcome: 'rolled', from: before.range, to: range, txHash: expect.any(String) });
    expect(r.state.rolls).toBe(before.rolls + 1);
    expect(f.chain.transactions.length).toBeGreaterThan(txs);

    const odd = await call('POST', '/api/v1/strategy/rebalance', { token: token.manager, body: { poolId, range: { tickLower: range.tickLower + 1, tickUpper: range.tickUpper } } });
    expect(odd.status).toBe(409);
    expect(String(odd.json['reason'])).toMatch(/tick spacing/);
    expect((await call('POST', '/api/v1/strategy/rebalance', { token: token.manager, body: { poolId: '0x1234' } })).status).toBe(404);
    expect((await call('POST', '/api/v1/strategy/rebalance', { token: token.manager, body: { poolId, range: { tickLower: 5, tickUpper: 1 } } })).status).toBe(400);

    await f.agent.halt('maintenance', 'test');
    const txsHalted = f.chain.transactions.length;
    const refused = await call('POST', '/api/v1/strategy/rebalance', { token: token.manager, body: { poolId } });
    expect(refused.status).toBe(409);
    expect(rebalanceResultSchema.parse(refused.json)).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/^halted/) });
    expect(f.chain.transactions.length).toBe(txsHalted);
  });

  it('answers the vault status and the strategy comparison from the history and the stored compare results, each as its schema says', async () => {
    const resultsDir = mkdtempSync(join(tmpdir(), 'rk-api-results-'));
    await writeResearchResult(resultsDir, compareResult('ab-1', 1_700_000_000_000));
    rig = await startApiRig(history, {}, { resultsDir });
    const { token, call, f, agentId } = rig;
    const empty = comparisonSchema.parse((await call('GET', '/api/v1/analytics/strategy-comparison', { token: token.viewer })).json);
    expect(empty).toMatchObject({ source: 'none', strategies: [], stored: { dir: resultsDir, total: 1, results: [{ kind: 'compare', id: 'ab-1', verdict: 'A_BETTER' }] } });
    expect((await call('GET', '/api/v1/analytics/strategy-comparison?limit=0', { token: token.viewer })).status).toBe(400);
    const poolId = f.pools[0]!.poolId;
    const t = Date.now() - 3_600_000;
    const curve = [100_000, 101_000, 99_000, 102_000];
    for (const [i, equityUsd] of curve.entries()) {
      history.queue.push({ kind: 'equity', agentId, at: t + i * 60_000, equityUsd, peakEquityUsd: equityUsd, drawdown: 0, exposure: 0.1, pnlPercent: 0 });
    }
    for (const [i, valueUsd] of [30_000, 30_300].entries()) {
      history.queue.push({
        kind: 'poolSnapshot', agentId, poolId, at: t + i * 60_000, status: 'running', price: 3000, assetPrice: 3000, referencePrice: 3000, tick: 0, tickLower: -10, tickUpper: 10,
        liquidity: '1', valueUsd, depositedUsd: 30_000, pnlUsd: valueUsd - 30_000, feesUsd: 120, ilPercent: -0.1, ilUsd: -20, cumulativeIlUsd: -20, lvrUsd: 5, delta: 5,
      });
    }
    await history.queue.flush();
    let status = vaultStatusSchema.parse((await call('GET', '/api/v1/vault/status', { token: token.viewer })).json);
    for (let i = 0; i < 100 && status.equityPoints < curve.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = vaultStatusSchema.parse((await call('GET', '/api/v1/vault/status', { token: token.viewer })).json);
    }
    expect(status).toMatchObject({ source: 'agent-capital', activePositions: 1, equityPoints: 4, since: t });
    expect(status.maxDrawdown).toBeCloseTo(2_000 / 101_000, 10);
    expect(status.periodReturn).toBeCloseTo(0.02, 10);
    expect(status.sharpe).toEqual(expect.any(Number));
    const cmp = comparisonSchema.parse((await call('GET', '/api/v1/analytics/strategy-comparison', { token: token.viewer })).json);
    expect(cmp.source).toBe('history');
    const live = cmp.strategies.find((s) => s.strategy === 'rangekeeper (live)')!;
    const hold = cmp.strategies.find((s) => s.strategy === 'hold the deposit')!;
    expect(live).toMatchObject({ poolId, endValueUsd: 30_300, returnPct: 1, feesUsd: 120, ilUsd: -20, lvrUsd: 5 });
    expect(hold.endValueUsd).toBeCloseTo(30_300 + 20 - 120, 9);
  });

  it('serves an OpenAPI 3.1 document of every route with its role and schemas', async () => {
    rig = await startApiRig(history);
    const doc = z.object({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.record(z.string(), z.object({ 'x-required-role': z.string(), responses: z.record(z.string(), z.unknown()) }).loose())) })
      .parse((await rig.call('GET', '/docs/openapi.json', { token: rig.token.viewer })).json);
    const roles = Object.fromEntries(Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op['x-required-role']])));
    expect(roles).toMatchObject({
      'GET /health': 'public', 'GET /api/v1/state': 'viewer', 'GET /ws': 'viewer',
      'GET /api/v1/vault/status': 'viewer', 'GET /api/v1/user/{address}/portfolio': 'viewer', 'POST /api/v1/strategy/rebalance': 'manager',
      'GET /api/v1/analytics/strategy-comparison': 'viewer', 'POST /api/v1/risk/halt': 'admin', 'POST /api/v1/risk/resume': 'admin', 'GET /api/v1/audit': 'admin',
    });
    const rebalance = doc.paths['/api/v1/strategy/rebalance']!['post']! as Record<string, unknown>;
    expect(JSON.stringify(rebalance['requestBody'])).toContain('tickLower');
  });
});

describe('per-pool settings', () => {
  it('a manager sets them, the pool\'s actor applies them, the audit keeps them and a restart keeps them', async () => {
    rig = await startApiRig(history);
    const { token, call, f } = rig;
    const poolId = f.pools[0]!.poolId;
    const url = `/api/v1/pools/${poolId}/settings`;
    const before = await f.agent.position(poolId);
    const width = before.range!.tickUpper - before.range!.tickLower;

    // roles and validation
    expect((await call('POST', url, { token: token.viewer, body: { paused: true } })).status).toBe(403);
    expect((await call('POST', url, { token: token.manager, body: { hedgeRatio: 2 } })).status).toBe(400);
    expect((await call('POST', url, { token: token.manager, body: {} })).status).toBe(400);
    expect((await call('POST', url, { token: token.manager, body: { leverage: 10 } })).status).toBe(400);
    expect((await call('POST', '/api/v1/pools/0x1234/settings', { token: token.manager, body: { paused: true } })).status).toBe(404);
    expect(poolSettingsSchema.parse((await call('GET', url, { token: token.viewer })).json).overrides).toEqual({});

    // the pool hedged at half its delta, paused, and sized twice as wide
    const set = await call('POST', url, { token: token.manager, body: { hedgeRatio: 0.5, paused: true, rangeWidthMultiplier: 2 } });
    expect(set.status).toBe(200);
    expect(poolSettingsSchema.parse(set.json)).toMatchObject({ poolId, overrides: { hedgeRatio: 0.5, paused: true, rangeWidthMultiplier: 2 }, updatedBy: expect.stringMatching(/^api:/) });
    expect(poolSettingsSchema.parse((await call('GET', url, { token: token.viewer })).json).overrides).toEqual({ hedgeRatio: 0.5, paused: true, rangeWidthMultiplier: 2 });
    await f.move(3010);
    const s = await f.agent.position(poolId);
    expect((await f.agent.hedge()).assets['ETH']!.target).toBeCloseTo(-0.5 * s.delta, 4);
    const paused = await call('POST', '/api/v1/strategy/rebalance', { token: token.manager, body: { poolId } });
    expect(paused.status).toBe(409);
    expect(rebalanceResultSchema.parse(paused.json).reason).toMatch(/paused/);

    // unpaused (null clears): the recommended range is now twice as wide
    expect((await call('POST', url, { token: token.manager, body: { paused: null } })).status).toBe(200);
    const rolled = rebalanceResultSchema.parse((await call('POST', '/api/v1/strategy/rebalance', { token: token.manager, body: { poolId } })).json);
    expect(rolled.outcome).toBe('rolled');
    const wide = rolled.to!.tickUpper - rolled.to!.tickLower;
    expect(wide / width).toBeGreaterThan(1.8);
    expect(wide / width).toBeLessThan(2.2);

    // audited, with who and the body
    let rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 100 && rows.filter((r) => r['route'] === '/api/v1/pools/:poolId/settings').length < 7; i++) {
      rows = (await call('GET', '/api/v1/audit?order=asc&limit=200', { token: token.admin })).json['rows'] as Record<string, unknown>[];
      await new Promise((r) => setTimeout(r, 50));
    }
    const audited = rows.filter((r) => r['route'] === '/api/v1/pools/:poolId/settings');
    expect(audited.map((r) => [r['status'], r['role']])).toEqual([[403, 'viewer'], [400, 'manager'], [400, 'manager'], [400, 'manager'], [404, 'manager'], [200, 'manager'], [200, 'manager']]);
    expect(audited[5]!['body']).toEqual({ hedgeRatio: 0.5, paused: true, rangeWidthMultiplier: 2 });

    // a restarted agent on the same store keeps them (the position's checkpoint)
    await f.agent.stop();
    const again = await startFixture({ store: f.store, chain: f.chain, venue: f.venue });
    try {
      expect((await again.agent.position(poolId)).settings).toMatchObject({ hedgeRatio: 0.5, rangeWidthMultiplier: 2 });
      await again.move(3020);
      const s2 = await again.agent.position(poolId);
      expect((await again.agent.hedge()).assets['ETH']!.target).toBeCloseTo(-0.5 * s2.delta, 4);
    } finally {
      await again.stop();
    }
  });
});
