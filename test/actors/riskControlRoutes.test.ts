/**
 * Manual halt/resume over real HTTP (loopback, free port) on the state feed server, driving a
 * real agent, with RANGEKEEPER_API_TOKEN (the legacy admin token): 401 without or with a wrong bearer token, zod
 * validated bodies (400), halt stops all trading until resume, failed authorization rate limited
 * (429) without ever limiting the valid token, and the halt answer's in-flight work and wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startStateFeedServer, type StateFeedServer } from '../../src/api/stateFeedServer.js';
import { createLogger } from '../../src/logging/logger.js';
import { MARKET_SOURCE, startFixture, type Fixture } from './support/fixture.js';

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

async function get(path: string, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(`${server!.httpUrl}${path}`, { headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('POST /api/v1/risk/halt and /resume', () => {
  it('without any token configured every route but /health answers 401 (saying how to get a token) and nothing halts', async () => {
    f = await startFixture();
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log, riskControl: { control: f.agent } });
    for (const path of ['/api/v1/risk/halt', '/api/v1/risk/resume']) {
      const r = await post(path, { reason: 'x' }, 'anything');
      expect(r.status).toBe(401);
      expect(String(r.json['message'])).toMatch(/not valid/);
    }
    const none = await get('/api/v1/state');
    expect(none.status).toBe(401);
    expect(String(none.json['message'])).toMatch(/rangekeeper api-token add/);
    expect((await f.agent.risk()).status).toBe('running');
    expect((await get('/health')).status).toBe(200);
  });

  it('refuses a missing or wrong bearer token with 401, validates the body, halts and resumes the agent', async () => {
    f = await startFixture();
    await f.move(3000);
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log, riskControl: { control: f.agent }, access: { legacyToken: TOKEN } });

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
    expect(halted.json).toMatchObject({ status: 'halted', reason: 'operator: exchange maintenance', haltedBy: 'api:env' });
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

  it('rate limits failed authorization per client (429 beyond the limit, across the routes), never the valid token', async () => {
    f = await startFixture();
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log, limits: { failedAuthMax: 10, failedAuthWindowMs: 60_000 }, riskControl: { control: f.agent }, access: { legacyToken: TOKEN } });
    // ten wrong-token requests from this address use up its budget for failures...
    for (let i = 0; i < 10; i++) expect((await post('/api/v1/risk/halt', { reason: `guess ${i}` }, `wrong-${i}`)).status).toBe(401);
    // ...but the operator's valid halt from the same address is served (it answered 429 before)
    const halted = await post('/api/v1/risk/halt', { reason: 'operator halt under a token flood' }, TOKEN);
    expect(halted.status).toBe(200);
    expect(halted.json).toMatchObject({ status: 'halted', reason: 'operator halt under a token flood', effective: true, inFlight: [], inFlightAtHalt: [] });
    // while failures from it are refused on every route, with or without a token
    expect((await post('/api/v1/risk/halt', { reason: 'one more guess' }, 'wrong')).status).toBe(429);
    expect((await post('/api/v1/risk/resume', {}, 'wrong')).status).toBe(429);
    expect((await post('/api/v1/risk/halt', { reason: 'no token at all' })).status).toBe(429);
    for (let i = 0; i < 15; i++) expect((await post('/api/v1/risk/halt', { reason: 'again' }, TOKEN)).status).toBe(200);
    expect((await post('/api/v1/risk/resume', {}, TOKEN)).status).toBe(200);
    expect((await f.agent.risk()).status).toBe('running');
    // and the flood is still limited afterwards
    expect((await post('/api/v1/risk/halt', { reason: 'still guessing' }, 'wrong')).status).toBe(429);
  });

  it('the halt answer lists the gated work still in flight; wait answers once it is done (202 when the wait ran out); status says the same', async () => {
    f = await startFixture();
    await f.move(3000);
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log, riskControl: { control: f.agent }, access: { legacyToken: TOKEN } });
    const pool = f.pools[0]!;
    // hold the next roll on its way to the chain until released
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    const chain = f.chain;
    const realRoll = chain.roll.bind(chain);
    chain.roll = async (req) => {
      await released;
      return realRoll(req);
    };
    const txsBefore = chain.transactions.length;
    // far out of range: the position actor starts a roll (not awaiting settle: the roll is held)
    f.venue.paper.setMark('ETH/USDT:USDT', 3700);
    f.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3700, at: Date.now() });
    chain.setPrice(pool.poolId, 3700);
    for (let i = 0; i < 200 && f.agent.killSwitch.inFlight.list().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(f.agent.killSwitch.inFlight.list().map((w) => w.kind)).toEqual(['roll']);

    const halted = await post('/api/v1/risk/halt', { reason: 'halt during a roll' }, TOKEN);
    expect(halted.status).toBe(200);
    expect(halted.json).toMatchObject({ status: 'halted', effective: false });
    const roll = { kind: 'roll', target: pool.poolId, detail: expect.stringMatching(/^token \d+ to ticks -?\d+\.\.-?\d+$/), startedAt: expect.any(Number), runningMs: expect.any(Number) };
    expect(halted.json['inFlightAtHalt']).toEqual([roll]);
    expect(halted.json['inFlight']).toEqual([roll]);

    const status = await get('/api/v1/risk/halt/status', TOKEN);
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ status: 'halted', halted: true, effective: false, inFlight: [roll] });
    expect((await get('/api/v1/risk/halt/status', 'wrong')).status).toBe(401);

    // a wait that runs out says so: 202, still in flight
    const t0 = Date.now();
    const timedOut = await post('/api/v1/risk/halt', { reason: 'halt during a roll', wait: true, waitMs: 300 }, TOKEN);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(timedOut.status).toBe(202);
    expect(timedOut.json).toMatchObject({ effective: false, inFlight: [roll] });

    // a wait answers as soon as the roll is over
    const waiting = post('/api/v1/risk/halt', { reason: 'halt during a roll', wait: true, waitMs: 10_000 }, TOKEN);
    await new Promise((r) => setTimeout(r, 100));
    const t1 = Date.now();
    release();
    const effective = await waiting;
    expect(Date.now() - t1).toBeLessThan(2_000);
    expect(effective.status).toBe(200);
    expect(effective.json).toMatchObject({ status: 'halted', effective: true, inFlight: [], inFlightAtHalt: [roll] });
    expect(f.agent.killSwitch.inFlight.list()).toEqual([]);
    expect((await get('/api/v1/risk/halt/status', TOKEN)).json).toMatchObject({ halted: true, effective: true, inFlight: [] });
    // the roll that was in flight finished; nothing started after the halt
    await f.settle();
    const afterRoll = chain.transactions.length;
    expect(afterRoll).toBeGreaterThanOrEqual(txsBefore);
    await f.move(2500);
    expect(chain.transactions.length).toBe(afterRoll);

    const bad = await post('/api/v1/risk/halt', { reason: 'x', wait: 'yes', waitMs: 10_000_000 }, TOKEN);
    expect(bad.status).toBe(400);
    expect((bad.json['issues'] as { path: string }[]).map((i) => i.path).sort()).toEqual(['wait', 'waitMs']);
  });
});
