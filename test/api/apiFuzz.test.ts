/**
 * Fuzz of the agent's HTTP API over real HTTP: thousands of random requests (methods, known and
 * random paths, headers, JSON and garbage bodies, valid tokens of every role, wrong and malformed
 * tokens) against a running agent's server. None may answer 5xx, and afterwards the agent still
 * serves its state and answers its actors. FUZZ_SEED picks another sequence, FUZZ_REQUESTS more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { History } from '../../src/adapters/history/openHistory.js';
import { openTestHistory, startApiRig, type ApiRig } from './support/apiServer.js';
import { createSeededRandom } from '../../src/math/seededRandom.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 11);
const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 2_000);

let history: History;
let rig: ApiRig;
beforeAll(async () => {
  history = await openTestHistory();
  // limits high enough that most requests reach their routes (a few still meet the 429s)
  rig = await startApiRig(history, { tokenRequestsMax: 2_000, failedAuthMax: 300, publicRequestsMax: 2_000 });
});
afterAll(async () => {
  await rig?.stop();
  await history?.close(1_000);
});

describe(`API fuzz (seed ${SEED})`, () => {
  it(`answers ${REQUESTS} random requests without a 5xx, and the agent still serves its state`, async () => {
    const random = createSeededRandom(SEED); // seeded, so a failing sequence can be replayed
    const r = (): number => random.next();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
    const poolId = rig.f.pools[0]!.poolId;
    const spacing = rig.f.pools[0]!.tickSpacing;
    const paths = [
      '/health', '/api/v1/state', '/api/v1/positions', `/api/v1/positions/${poolId}`, '/api/v1/positions/0xnope', '/api/v1/hedges', '/api/v1/risk',
      '/api/v1/risk/halt', '/api/v1/risk/resume', '/api/v1/risk/halt/status', '/api/v1/vault/status', '/api/v1/user/0x00000000000000000000000000000000000000aa/portfolio',
      '/api/v1/user/%zz/portfolio', '/api/v1/strategy/rebalance', '/api/v1/analytics/strategy-comparison', '/api/v1/alerts', '/api/v1/history',
      '/api/v1/history/equity', '/api/v1/history/audit', '/api/v1/history/%E0%A4%A', '/api/v1/audit', '/docs', '/docs/openapi.json', '/ws', '/metrics', '/', '/nope',
    ];
    const queries = ['', '?limit=5', '?limit=0', '?limit=abc', '?before=-1', '?order=asc', '?ascending=true', '?from=1&to=2', '?poolId=x', `?limit=${'9'.repeat(40)}`, '?a[b]=c', '?limit=5&limit=6'];
    const tokens = [...Object.values(rig.token), 'rk_000000000000_' + 'A'.repeat(43), 'garbage', '', 'rk_' + 'f'.repeat(12) + '_' + '-'.repeat(43)];
    const bodies = (): string | undefined => pick([
      undefined, '{}', 'null', '[]', '"x"', '{"reason":"fuzz"}', '{"reason":"fuzz","wait":true,"waitMs":1}', '{"reason":1}', '{not json', '\u0000\u0001',
      JSON.stringify({ poolId, range: { tickLower: int(-50, 50) * spacing, tickUpper: int(-50, 50) * spacing } }),
      JSON.stringify({ poolId, range: { tickLower: int(-900_000, 900_000), tickUpper: int(-900_000, 900_000) } }),
      JSON.stringify({ poolId: 'x'.repeat(int(0, 300)) }), JSON.stringify({ reason: 'y'.repeat(int(0, 20_000)) }), JSON.stringify({ __proto__: { admin: true }, reason: 'p' }),
    ]);
    const methods = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    const one = async (): Promise<void> => {
      const method = pick(methods);
      const path = pick(paths) + pick(queries);
      const headers: Record<string, string> = {};
      const t = r();
      if (t < 0.6) headers['authorization'] = `Bearer ${pick(tokens)}`;
      else if (t < 0.7) headers['authorization'] = pick(['Basic abc', 'Bearer', 'bearer  x y', 'Bearer ' + 'z'.repeat(5_000)]);
      const body = method === 'GET' || method === 'HEAD' ? undefined : bodies();
      if (body !== undefined) headers['content-type'] = pick(['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded']);
      try {
        const res = await fetch(`${rig.server.httpUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fivexx.push(`${res.status} ${method} ${path} ${body?.slice(0, 80) ?? ''}`);
      } catch (err) {
        fivexx.push(`no answer: ${method} ${path}: ${String(err)}`);
      }
    };
    const started = Date.now();
    const CONCURRENCY = 16;
    for (let sent = 0; sent < REQUESTS; sent += CONCURRENCY) await Promise.all(Array.from({ length: Math.min(CONCURRENCY, REQUESTS - sent) }, one));
    const ms = Date.now() - started;
    if (process.env['FUZZ_REPORT'] === '1') process.stderr.write(`api fuzz: ${REQUESTS} requests in ${ms} ms, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(fivexx).toEqual([]);
    // the random requests reached the routes, not only the door
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 20);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    // the agent still serves its state, and its actors answer
    const state = await rig.call('GET', '/api/v1/state', { token: rig.token.viewer });
    expect(state.status).toBe(200);
    expect(Array.isArray(state.json)).toBe(true);
    expect(['running', 'halted']).toContain((await rig.f.agent.risk()).status);
    expect((await rig.call('GET', '/health')).status).toBe(200);
  });
});
