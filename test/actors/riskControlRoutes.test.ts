/**
 * Manual halt/resume over real HTTP (loopback, free port) on the state feed server, driving a
 * real agent: disabled without a token (403), 401 without or with a wrong bearer token, zod
 * validated bodies (400), halt stops all trading until resume, and rate limiting (429).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startStateFeedServer, type StateFeedServer } from '../../src/api/stateFeedServer.js';
import { createLogger } from '../../src/logging/logger.js';
import { startFixture, type Fixture } from './support/fixture.js';

const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const TOKEN = 'test-token-6f1c2a';

let f: Fixture | undefined;
let server: StateFeedServer | undefined;
afterEach(async () => {
  await server?.close();
  await f?.stop();
  server = undefined;
  f = undefined;
});

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(`${server!.httpUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('POST /api/v1/risk/halt and /resume', () => {
  it('without a configured token both endpoints are disabled (403, saying how to enable them) and nothing halts', async () => {
    f = await startFixture();
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log, riskControl: { control: f.agent, apiToken: undefined } });
    for (const path of ['/api/v1/risk/halt', '/api/v1/risk/resume']) {
      const r = await post(path, { reason: 'x' }, 'anything');
      expect(r.status).toBe(403);
      expect(String(r.json['message'])).toMatch(/disabled: set RANGEKEEPER_API_TOKEN/);
    }
    expect((await f.agent.risk()).status).toBe('running');
    // GET /api/v1/state stays served
    const state = await fetch(`${server.httpUrl}/api/v1/state`);
    expect(state.status).toBe(200);
  });

  it('refuses a missing or wrong bearer token with 401, validates the body, halts and resumes the agent', async () => {
    f = await startFixture();
    await f.move(3000);
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log, riskControl: { control: f.agent, apiToken: TOKEN } });

    const none = await post('/api/v1/risk/halt', { reason: 'no token' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post('/api/v1/risk/halt', { reason: 'wrong' }, `${TOKEN}x`)).status).toBe(401);
    expect((await post('/api/v1/risk/resume', {}, 'nope')).status).toBe(401);
    expect((await f.agent.risk()).status).toBe('running');

    const bad = await post('/api/v1/risk/halt', { reason: '   ', extra: 1 }, TOKEN);
    expect(bad.status).toBe(400);
    const paths = (bad.json['issues'] as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['reason', '(root)']));
    expect((await f.agent.risk()).status).toBe('running');

    const halted = await post('/api/v1/risk/halt', { reason: 'operator: exchange maintenance' }, TOKEN);
    expect(halted.status).toBe(200);
    expect(halted.json).toMatchObject({ status: 'halted', reason: 'operator: exchange maintenance', haltedBy: 'api' });
    expect((await f.agent.risk()).status).toBe('halted');
    const frozen = { txs: f.chain.transactions.length, orders: f.venue.attempts.length };
    await f.move(3700); // far out of range: would roll and re-hedge if running
    expect(f.chain.transactions.length).toBe(frozen.txs);
    expect(f.venue.attempts.length).toBe(frozen.orders);

    expect((await post('/api/v1/risk/resume', { reason: 'not allowed here' }, TOKEN)).status).toBe(400);
    const resumed = await post('/api/v1/risk/resume', {}, TOKEN);
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({ status: 'running' });
    await f.move(3700);
    expect(f.chain.transactions.length + f.venue.attempts.length).toBeGreaterThan(frozen.txs + frozen.orders);
  });

  it('rate limits each route per client (429 beyond the limit), before doing anything', async () => {
    f = await startFixture();
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log, riskControl: { control: f.agent, apiToken: TOKEN, rateLimit: { max: 2, timeWindowMs: 60_000 } } });
    expect((await post('/api/v1/risk/halt', { reason: 'a' }, 'wrong')).status).toBe(401);
    expect((await post('/api/v1/risk/halt', { reason: 'b' }, 'wrong')).status).toBe(401);
    const limited = await post('/api/v1/risk/halt', { reason: 'c' }, TOKEN);
    expect(limited.status).toBe(429);
    expect((await f.agent.risk()).status).toBe('running');
  });
});
