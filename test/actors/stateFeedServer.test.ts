import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startStateFeedServer, type StateFeedServer } from '../../src/api/stateFeedServer.js';
import { createLogger } from '../../src/logging/logger.js';
import type { StateEvent } from '../../src/actors/core/stateFeed.js';
import { startFixture, type Fixture } from './support/fixture.js';

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
  it('sends every actor state on connect, then each change, as {actor, kind, at, state}', async () => {
    f = await startFixture();
    await f.move(3000);
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log: createLogger({ level: 'silent' }) });
    expect(server.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const initialCount = f.agent.feed.snapshot().length;
    const ws = new WebSocket(server.wsUrl);
    const first = await collect(ws, (all) => all.length >= initialCount);
    expect(new Set(first.map((e) => e.kind))).toEqual(new Set(['position', 'hedge', 'exchange', 'risk']));
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

    const res = await fetch(`${server.httpUrl}/api/v1/state`);
    const body = (await res.json()) as StateEvent[];
    expect(body.map((e) => e.actor).sort()).toEqual(f.agent.feed.snapshot().map((e) => e.actor).sort());
    ws.close();
  });

  it('sends every client the same changes in the same order', async () => {
    f = await startFixture();
    await f.move(3000);
    server = await startStateFeedServer({ feed: f.agent.feed, host: '127.0.0.1', port: 0, log: createLogger({ level: 'silent' }) });
    const initialCount = f.agent.feed.snapshot().length;
    const clients = [new WebSocket(server.wsUrl), new WebSocket(server.wsUrl)];
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
