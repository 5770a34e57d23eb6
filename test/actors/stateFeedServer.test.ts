import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startStateFeedServer, type StateFeedServer } from '../../src/api/stateFeedServer.js';
import { createLogger } from '../../src/logging/logger.js';
import type { StateEvent } from '../../src/actors/core/stateFeed.js';
import { startFixture, type Fixture } from './support/fixture.js';
import { ApiTokens } from '../../src/api/access/apiTokens.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';
import { ABUSE_TOKEN, nonReadingClient, openDescriptors, rawWebSocket, sendHugeMessage, settledRssMb, slowLoris, upgradeRequest } from './support/socketAbuse.js';

let f: Fixture | undefined;
let server: StateFeedServer | undefined;
afterEach(async () => {
  await server?.close();
  await f?.stop();
  server = undefined;
  f = undefined;
});

/** Collects messages until `until` says stop. */
function collect(ws: WebSocket, until: (all: StateEvent[]) => boolean): Promise<StateEvent[]> {
  const all: StateEvent[] = [];
  return new Promise((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      all.push(JSON.parse(data.toString('utf8')) as StateEvent);
      if (until(all)) resolve(all);
    });
    ws.on('error', reject);
  });
}

describe('WebSocket state feed', () => {
  /** A server whose tokens live in a memory store; answers a viewer token. */
  const serve = async (): Promise<string> => {
    const tokens = new ApiTokens(new MemoryStore());
    server = await startStateFeedServer({ feed: f!.agent.feed, host: '127.0.0.1', port: 0, log: createLogger({ level: 'silent' }), access: { tokens } });
    return (await tokens.add('viewer', 'feed test')).token;
  };

  it('sends every actor state on connect, then each change, as {actor, kind, at, state}; only to a client with a token (a browser\'s subprotocol)', async () => {
    f = await startFixture();
    await f.move(3000);
    const token = await serve();
    expect(server!.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    // without a token, or with a wrong one: 401 before the handshake
    for (const protocols of [undefined, ['rangekeeper', 'bearer.rk_000000000000_wrong']]) {
      const refused = new WebSocket(server!.wsUrl, protocols);
      refused.on('error', () => undefined);
      const status = await new Promise<number>((resolve) => refused.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      }));
      expect(status).toBe(401);
    }
    const initialCount = f.agent.feed.snapshot().length;
    // a browser cannot set headers on a WebSocket: it offers the token as a subprotocol, the server answers 'rangekeeper'
    const ws = new WebSocket(server!.wsUrl, ['rangekeeper', `bearer.${token}`]);
    ws.once('open', () => expect(ws.protocol).toBe('rangekeeper'));
    const first = await collect(ws, (all) => all.length >= initialCount);
    expect(new Set(first.map((e) => e.kind))).toEqual(new Set(['position', 'hedge', 'venues', 'exchange', 'risk']));
    for (const e of first) {
      expect(Object.keys(e).sort()).toEqual(['actor', 'at', 'kind', 'state']);
      expect(typeof e.at).toBe('number');
    }
    const position = first.find((e) => e.kind === 'position')!;
    expect(position.state).toMatchObject({ poolId: f.pools[0]!.poolId, rolls: 0 });

    // a roll shows up on the feed
    const rolled = collect(ws, (all) => all.some((e) => e.kind === 'position' && (e.state['rolls'] as number) >= 1));
    await f.move(3700);
    const changes = await rolled;
    const roll = changes.find((e) => e.kind === 'position' && (e.state['rolls'] as number) >= 1)!;
    expect(roll.state['range']).toEqual(expect.objectContaining({ tickLower: expect.any(Number), tickUpper: expect.any(Number) }));

    expect((await fetch(`${server!.httpUrl}/api/v1/state`)).status).toBe(401);
    const res = await fetch(`${server!.httpUrl}/api/v1/state`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as StateEvent[];
    expect(body.map((e) => e.actor).sort()).toEqual(f.agent.feed.snapshot().map((e) => e.actor).sort());
    ws.close();
  });

  it('sends every client the same changes in the same order', async () => {
    f = await startFixture();
    await f.move(3000);
    const token = await serve();
    const initialCount = f.agent.feed.snapshot().length;
    const clients = [0, 1].map(() => new WebSocket(server!.wsUrl, { headers: { authorization: `Bearer ${token}` } }));
    const received = await Promise.all(clients.map((ws) => collect(ws, (all) => all.length >= initialCount)));
    const rolled = (all: StateEvent[]): number => all.findIndex((e, i) => i >= initialCount && e.kind === 'position' && (e.state['rolls'] as number) >= 1);
    const untilRoll = Promise.all(received.map((all, i) => collect(clients[i]!, () => rolled(all) >= 0)));
    await f.move(3700);
    await untilRoll;
    const [a, b] = received.map((all) => all.slice(initialCount, rolled(all) + 1));
    expect(a!.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    for (const ws of clients) ws.close();
  });
});

/** Malformed upgrade requests in the abuse test; RANGEKEEPER_ABUSE_COUNT raises it (e.g. 20000). */
const ABUSE_COUNT = Number(process.env['RANGEKEEPER_ABUSE_COUNT'] ?? 400);
const TOKEN = ABUSE_TOKEN;
/** Figures of the abuse test on stderr with RANGEKEEPER_ABUSE_REPORT=1. */
const report = (figures: Record<string, unknown>): void => {
  if (process.env['RANGEKEEPER_ABUSE_REPORT'] === '1') process.stderr.write(`abuse figures: ${JSON.stringify(figures)}\n`);
};

describe('state feed server under socket abuse (loopback)', () => {
  const limits = { headersTimeoutMs: 500, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 1_000, upgradeTimeoutMs: 1_000, maxBufferedBytes: 256 * 1024, closeGraceMs: 500 };
  const start = async (): Promise<StateFeedServer> => {
    f = await startFixture();
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log: createLogger({ level: 'silent' }), limits, riskControl: { control: f.agent }, access: { legacyToken: TOKEN } });
    return server;
  };
  const halt = async (reason: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }> => {
    const t0 = Date.now();
    const res = await fetch(`${server!.httpUrl}/api/v1/risk/halt`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ reason }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, ms: Date.now() - t0 };
  };

  it(`answers ${ABUSE_COUNT} malformed upgrade requests with 400 and closes each socket; descriptors come back; the halt is served`, async () => {
    const { port } = await start();
    const fdBase = openDescriptors();
    const started = Date.now();
    const statuses = new Map<string, number>();
    for (let done = 0; done < ABUSE_COUNT;) {
      const batch = Math.min(16, ABUSE_COUNT - done);
      const answers = await Promise.all(Array.from({ length: batch }, (_, i) => upgradeRequest(port, i % 2 === 0 ? '/api/v1/%E0%A4%A' : '/%', 1_500)));
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      // before: answered, never closed by the server (one descriptor leaked per request)
      expect(answers.filter((a) => !a.closedByServer)).toEqual([]);
      done += batch;
    }
    expect([...statuses.keys()]).toEqual(['HTTP/1.1 400 Bad Request']);
    const ms = Date.now() - started;
    await waitUntil(`descriptors back to ${fdBase}`, () => openDescriptors() <= fdBase);
    const h = await halt('halt after a malformed-upgrade flood');
    expect(h.status).toBe(200);
    report({ malformedUpgrades: ABUSE_COUNT, ms, fdBase, fdEnd: openDescriptors(), connections: server!.connections() });
  });

  it('cuts slow-loris clients off at the headers timeout, and serves the halt from the same address at once meanwhile', async () => {
    const { port } = await start();
    const fdBase = openDescriptors();
    // more than one address may hold (32): the newest replace the oldest, none is served
    const loris = await Promise.all(Array.from({ length: 40 }, () => slowLoris(port, 100)));
    const h = await halt('halt under slow-loris');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'halted', effective: true });
    // before: each held for 60 s and more (Node's defaults)
    const cut = await Promise.race([Promise.all(loris.map((l) => l.closed)).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 4_000))]);
    expect(loris.filter((l) => !l.closedByServer()).length).toBe(0);
    expect(cut).toBe(true);
    for (const l of loris) l.destroy();
    await waitUntil(`descriptors back to ${fdBase} + 1`, () => openDescriptors() <= fdBase + 1); // + fetch's keep-alive connection
    report({ slowLoris: 40, haltMs: h.ms, fdBase, fdEnd: openDescriptors() });
  });

  it('refuses WebSocket messages larger than maxMessageBytes at their header: five clients sending 60 MiB cost no memory', async () => {
    const { port } = await start();
    const fdBase = openDescriptors();
    const rssBase = await settledRssMb();
    const huge = await Promise.all(Array.from({ length: 5 }, () => sendHugeMessage(port, 60 * 2 ** 20)));
    const rssGrowth = (await settledRssMb()) - rssBase;
    for (const h of huge) {
      expect(h.closedByServer).toBe(true);
      // before: the whole 60 MiB accepted and buffered, per client
      expect(h.sent).toBeLessThan(16 * 2 ** 20);
    }
    expect(rssGrowth).toBeLessThan(32);
    await waitUntil(`descriptors back to ${fdBase}`, () => openDescriptors() <= fdBase);
    expect((await halt('halt after huge messages')).status).toBe(200);
    report({ hugeMessages: 5, sentMiB: huge.map((h) => +(h.sent / 2 ** 20).toFixed(1)), rssBaseMb: Math.round(rssBase), rssGrowthMb: Math.round(rssGrowth) });
  });

  it('refuses feed clients beyond the per-address cap with 503 before the handshake, and closes their sockets', async () => {
    const { port } = await start();
    const admitted = await Promise.all(Array.from({ length: 8 }, () => rawWebSocket(port)));
    for (const ws of admitted) ws.on('data', () => undefined);
    await waitUntil('8 feed clients', () => server!.clients() === 8);
    const refused = await Promise.all(Array.from({ length: 20 }, () => upgradeRequest(port, '/ws', 1_500)));
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set(['HTTP/1.1 503 Service Unavailable']));
    expect(refused.filter((r) => !r.closedByServer)).toEqual([]);
    expect(server!.clients()).toBe(8);
    admitted[0]!.destroy();
    await waitUntil('7 feed clients', () => server!.clients() === 7);
    const again = await rawWebSocket(port);
    again.on('data', () => undefined);
    await waitUntil('8 feed clients again', () => server!.clients() === 8);
    for (const ws of [...admitted, again]) ws.destroy();
  });

  it('cuts off feed clients that never read once maxBufferedBytes is unsent, and close() with one attached ends within the grace time', async () => {
    const { port } = await start();
    const fdBase = openDescriptors();
    const rssBase = await settledRssMb();
    const readers = await Promise.all(Array.from({ length: 3 }, () => nonReadingClient(port)));
    await waitUntil('3 feed clients', () => server!.clients() === 3);
    // the kernel's socket buffers on loopback take a few MiB first, then the server's own buffer fills
    const pad = 'x'.repeat(16 * 1024);
    let published = 0;
    while (published < 10_000 && server!.clients() > 0) {
      f!.agent.feed.publish('abuse/test', 'risk', { published, pad });
      published += 1;
      if (published % 16 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitUntil('the non-reading clients cut off', () => server!.clients() === 0);
    for (const r of readers) r.destroy();
    await waitUntil(`descriptors back to ${fdBase}`, () => openDescriptors() <= fdBase);
    const rssGrowth = (await settledRssMb()) - rssBase;
    expect(rssGrowth).toBeLessThan(64);

    const stuck = await nonReadingClient(port);
    await waitUntil('1 feed client', () => server!.clients() === 1);
    for (let i = 0; i < 200; i++) f!.agent.feed.publish('abuse/test', 'risk', { i, pad });
    const closeStarted = Date.now();
    // before: 30 s (the WebSocket close handshake the client never answers)
    const closed = await Promise.race([server!.close().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    const closeMs = Date.now() - closeStarted;
    expect(closed).toBe(true);
    expect(closeMs).toBeLessThan(limits.closeGraceMs + 1_000);
    stuck.destroy();
    server = undefined;
    report({ nonReadingCutOffAfterMiB: Math.round((published * pad.length) / 2 ** 20), rssGrowthMb: Math.round(rssGrowth), closeMsWithNonReadingClient: closeMs });
  });
});

/** Polls `cond` every 10 ms for up to 5 s. */
async function waitUntil(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond(), what).toBe(true);
}
