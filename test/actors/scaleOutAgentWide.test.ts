/**
 * Pools mode (cli/scaleOut.ts) as one agent over its processes: what one process decides or is
 * told reaches every other. Two or three processes of one agent in this test process (each its own
 * Redis connection and actor system, support/scaleOutProcesses.ts), one simulated chain, one paper
 * venue account, real Redis.
 */
import { Redis } from 'ioredis';
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PriceTick } from '../../src/actors/agent.js';
import { tell } from '../../src/actors/core/typedActors.js';
import { deriveClientOrderId } from '../../src/adapters/exchange/clientOrderId.js';
import { StoreOrderJournal } from '../../src/adapters/exchange/orderJournal.js';
import { serveAgentState } from '../../src/cli/serveAgentState.js';
import type { AgentConfig } from '../../src/config/schema.js';
import { LogCapture } from '../support/venues/logCapture.js';
import { startVenueHarness } from '../support/venues/venueHarness.js';
import { createLogger } from '../../src/logging/logger.js';
import { MARKET_SOURCE, newChain, newVenue, poolDescriptor, positionConfig, settings, SYMBOL } from './support/fixture.js';
import { killProcess, startProcess, stopProcess, until, type ScaleOutProcess, type ScaleOutWorld } from './support/scaleOutProcesses.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';

let admin: Redis;
const namespaces: string[] = [];
beforeAll(async () => {
  await requireRedis();
  admin = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  for (const ns of namespaces) {
    const keys = await admin.keys(`${ns}:*`);
    if (keys.length > 0) await admin.del(...keys);
  }
  await admin.quit();
});

const small = { amount0: 10n ** 17n, amount1: 300n * 10n ** 6n };

function world(pools: number, agentId: string): ScaleOutWorld {
  const ns = uniqueNamespace(`agentwide-${agentId}`);
  namespaces.push(ns);
  const descs = Array.from({ length: pools }, (_, i) => poolDescriptor(i));
  return {
    ns, agentId, ttlMs: 1_500, pools: descs, chain: newChain(descs), venues: [newVenue(2_000_000)], prices: new Subject<PriceTick>(),
    settings: settings(descs.map((d) => positionConfig(d, small)), { agentId }),
    log: createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
  };
}

const hedgeOwner = (procs: ScaleOutProcess[]): ScaleOutProcess | undefined => procs.find((p) => p.so.ports.hedgeGuard() !== undefined);

describe('pools mode: one agent over its processes (real Redis, simulated chain)', () => {
  it("a pool's own hedge ratio reaches the hedge owner in another process, on the delta board", async () => {
    const w = world(2, 'ratio');
    const procs = [await startProcess(w, 'p1'), await startProcess(w, 'p2')];
    try {
      await until('one pool each, and a hedge owner', () => procs.every((p) => p.agent.refs.positions.size === 1) && hedgeOwner(procs) !== undefined);
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3000, at: Date.now() });
      const owner = hedgeOwner(procs)!;
      const other = procs.find((p) => p !== owner)!;
      const [poolId] = [...other.agent.refs.positions.keys()] as [string];
      const [ownersPool] = [...owner.agent.refs.positions.keys()] as [string];
      await until('both pools on the hedge', async () => Object.keys((await owner.agent.hedge()).assets['ETH']?.deltas ?? {}).length === 2);

      await other.agent.poolSettings(poolId, { hedgeRatio: 0.3 }, 'test');
      // the next report of the pool carries it: move the market
      w.chain.setPrice(poolId, 3010);
      (w.venues[0] as ReturnType<typeof newVenue>).paper.setMark(SYMBOL, 3010);
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3010, at: Date.now() });
      await until('the hedge owner nets the pool at its own ratio', async () => (await owner.agent.hedge()).assets['ETH']?.ratios?.[poolId] === 0.3);
      const board = await owner.base.deltaBoard(`agent/${w.agentId}/deltas/ETH`, 'ETH', (id) => `agent/${w.agentId}/pool/${id.toLowerCase()}`).read();
      expect(board.get(poolId)?.hedgeRatio).toBe(0.3);
      expect(board.get(ownersPool)?.hedgeRatio ?? null).toBeNull();
      const a = (await owner.agent.hedge()).assets['ETH']!;
      // the other pool keeps the agent's ratio (none of its own)
      expect(a.ratios?.[ownersPool]).toBeUndefined();
    } finally {
      for (const p of procs) await stopProcess(p);
    }
  }, 30_000);

  it('a halt on any process halts every process of the agent, a process joining starts halted, a resume anywhere resumes all; each change audited', async () => {
    const w = world(3, 'halt');
    const procs = [await startProcess(w, 'p1'), await startProcess(w, 'p2'), await startProcess(w, 'p3')];
    const records = procs[0]!.base.haltRecords(`agent/${w.agentId}`);
    const statuses = async (ps: ScaleOutProcess[]): Promise<string[]> => Promise.all(ps.map(async (p) => (await p.agent.risk()).status));
    try {
      await until('one pool each', () => procs.every((p) => p.agent.refs.positions.size === 1));
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3000, at: Date.now() });

      // what each process's feed shows of the risk (GET /api/v1/risk, the socket) while halted
      const shown = procs.map((p) => {
        const seen: unknown[] = [];
        p.agent.feed.changes$.subscribe((e) => { if (e.actor === 'risk' && e.state['status'] === 'halted') seen.push(e.state['haltedBy']); });
        return seen;
      });
      // the kill switch through p2 (what POST /api/v1/risk/halt calls)
      const haltAt = Date.now();
      await procs[1]!.agent.halt('operator: venue outage', 'api:ops-1');
      await until('every process halted', async () => (await statuses(procs)).every((s) => s === 'halted'), 5_000);
      const haltMs = Date.now() - haltAt;
      for (const p of procs) expect(p.agent.killSwitch.halted).toBe(true);
      const onP1 = await procs[0]!.agent.risk();
      expect(onP1.reason).toBe('operator: venue outage');
      expect(onP1.haltedBy).toBe('api:ops-1 via p2');
      expect(await records.read()).toMatchObject({ status: 'halted', reason: 'operator: venue outage', by: 'api:ops-1', holder: 'p2', version: 1 });
      // every process's feed shows the agent's risk state, the hedge owner's, never its own partial view
      const agents = await hedgeOwner(procs)!.agent.risk();
      await until('every feed shows the hedge owner\'s risk state', () => procs.every((p) => p.agent.feed.latest('risk')?.state['haltedBy'] === agents.haltedBy), 5_000);
      for (const seen of shown) expect(new Set(seen)).toEqual(new Set([agents.haltedBy]));

      // halted: the market moves, nobody trades (the hedge owner, wherever it is, included)
      const venue = w.venues[0] as ReturnType<typeof newVenue>;
      const ordersAtHalt = venue.attempts.length;
      for (const d of w.pools) w.chain.setPrice(d.poolId, 3300);
      venue.paper.setMark(SYMBOL, 3300);
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3300, at: Date.now() });
      await new Promise((r) => setTimeout(r, 500));
      expect(venue.attempts.length).toBe(ordersAtHalt);

      // a process joining a halted agent is halted before it takes a pool
      procs.push(await startProcess(w, 'p4'));
      expect((await procs[3]!.agent.risk()).status).toBe('halted');
      expect(procs[3]!.agent.killSwitch.halted).toBe(true);

      // a resume through p3 resumes every process
      const resumeAt = Date.now();
      const after = await procs[2]!.agent.resume('api:ops-2');
      expect(after.status).toBe('running');
      await until('every process running', async () => (await statuses(procs)).every((s) => s === 'running'), 5_000);
      console.log(`agent-wide halt: 3 processes halted ${haltMs} ms after the halt on p2, all 4 resumed ${Date.now() - resumeAt} ms after the resume on p3 (polled every 100 ms)`);
      for (const p of procs) expect(p.agent.killSwitch.halted).toBe(false);

      // the risk supervisor of p1 breaks a limit (its own halt, not through agent.halt): every process halts
      tell(procs[0]!.agent.refs.risk, { type: 'halt', reason: 'max drawdown: 16.00% > 15%', by: 'risk-limits' });
      await until('every process halted by p1\'s supervisor', async () => (await statuses(procs)).every((s) => s === 'halted'), 5_000);
      expect((await procs[2]!.agent.risk()).haltedBy).toBe('risk-limits via p1');

      // the audit: who, why, where, in order
      const audit = await records.audit();
      expect(audit.map(({ version, status, by, holder, reason }) => ({ version, status, by, holder, reason }))).toEqual([
        { version: 1, status: 'halted', by: 'api:ops-1', holder: 'p2', reason: 'operator: venue outage' },
        { version: 2, status: 'running', by: 'api:ops-2', holder: 'p3', reason: null },
        { version: 3, status: 'halted', by: 'risk-limits', holder: 'p1', reason: 'max drawdown: 16.00% > 15%' },
      ]);
      // and every process's role entry shows the agent's halt
      await until('p4\'s role entry shows the halt', () => (procs[3]!.agent.feed.latest('ha/p4')?.state['halt'] as { version?: number } | null)?.version === 3);
    } finally {
      for (const p of procs) await stopProcess(p);
    }
  }, 40_000);

  it('a process that takes the hedge over again cancels the orders the agent left open (its journal says which), not the ones placed by hand', async () => {
    const h = await startVenueHarness('binanceusdm', new LogCapture());
    const w = world(1, 'stale');
    w.venues = [h.venue];
    w.settings = { ...w.settings, hedge: { ...w.settings.hedge, venue: h.venue.id } };
    const p1 = await startProcess(w, 'p1');
    try {
      await until('p1 holds the hedge', () => p1.so.ports.hedgeGuard() !== undefined);
      const first = p1.so.ports.hedgeGuard()!.token;
      // another holder takes the hedge's lease (p1 paused past its ttl, say): p1's renewal fails and it drops the hedge
      await admin.set(`${w.ns}:lease:agent/${w.agentId}/hedge`, 'p2#999', 'PX', 1_000);
      await until('p1 lost the hedge', () => p1.so.ports.hedgeGuard() === undefined, 5_000);
      // meanwhile that holder sent an order that rests on the venue (journaled before it left, as every order is) ...
      const venueKey = h.venue.id.replace(/[^A-Za-z0-9_-]/g, '_');
      const id = deriveClientOrderId({ agentId: w.agentId, venue: h.venue.id, asset: 'ETH', sequence: 41 });
      await new StoreOrderJournal(p1.base, `agent/${w.agentId}/orders/${venueKey}`).record({ clientOrderId: id, symbol: SYMBOL, side: 'sell', amount: 0.5, reduceOnly: false, sequence: 41, at: Date.now() });
      const stale = h.account.restLimit('ETHUSDT', 'SELL', 0.5, 3500, id);
      // ... and an operator placed one by hand
      const byHand = h.account.restLimit('ETHUSDT', 'BUY', 0.2, 2000, 'by-hand-1');
      // its lease expires: p1 takes the hedge again, and cancels what the agent left open before it trades
      await until('p1 holds the hedge again', () => (p1.so.ports.hedgeGuard()?.token ?? first) > first, 10_000);
      await until('the stale order cancelled', () => stale.status === 'CANCELED', 5_000);
      expect(byHand.status).toBe('NEW');
      expect((await p1.agent.exchange(h.venue.id)).staleOrdersCancelled).toBe(1);
    } finally {
      await stopProcess(p1);
      await h.stop();
    }
  }, 40_000);

  it("any process's API shows every pool and carries a manager's command to the pool's owner in another process", async () => {
    const w = world(2, 'api');
    const procs = [await startProcess(w, 'p1'), await startProcess(w, 'p2')];
    const TOKEN = 'scale-out-api-test-token';
    const api = { host: '127.0.0.1', port: 0, limits: {}, resultsDir: '.rangekeeper/results' } as unknown as AgentConfig['api'];
    const servers = await Promise.all(procs.map((p) => serveAgentState(p.agent, { agentId: w.agentId, api }, w.log, undefined, null, { env: { RANGEKEEPER_API_TOKEN: TOKEN } })));
    const call = async (i: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${servers[i]!.server.httpUrl}${path}`, {
        method, headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    try {
      await until('one pool each', () => procs.every((p) => p.agent.refs.positions.size === 1));
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3000, at: Date.now() });
      const [elsewhere] = [...procs[0]!.agent.refs.positions.keys()] as [string];
      await until('p2 mirrors p1\'s position', () => procs[1]!.agent.feed.snapshot().filter((e) => e.kind === 'position').length === 2);

      // read through p2: a pool p1 owns
      const read = await call(1, 'GET', `/api/v1/pools/${elsewhere}/settings`);
      expect(read.status).toBe(200);
      expect(read.body['poolId']).toBe(elsewhere);

      // write through p2: carried out by p1's PositionActor, answered with its state
      const set = await call(1, 'POST', `/api/v1/pools/${elsewhere}/settings`, { hedgeRatio: 0.4 });
      expect(set.status).toBe(200);
      expect((set.body['overrides'] as Record<string, unknown>)['hedgeRatio']).toBe(0.4);
      expect(set.body['updatedBy']).toBe('api:env via p2');
      expect((await procs[0]!.agent.position(elsewhere)).settings?.hedgeRatio).toBe(0.4);

      // a manual roll through p2 of p1's pool: p1's actor decides it under its guards
      const roll = await call(1, 'POST', '/api/v1/strategy/rebalance', { poolId: elsewhere });
      expect([200, 409]).toContain(roll.status);
      expect(['rolled', 'refused']).toContain(roll.body['outcome']);
      expect((roll.body['state'] as Record<string, unknown>)['poolId']).toBe(elsewhere);

      // a pool nobody holds (its lease gone, the owner not yet renewed): 503, never a command lost in silence
      await admin.del(`${w.ns}:lease:agent/${w.agentId}/pool/${elsewhere.toLowerCase()}`);
      const moving = await call(1, 'POST', `/api/v1/pools/${elsewhere}/settings`, { hedgeRatio: 0.5 });
      expect(moving.status).toBe(503);
      expect(moving.body['error']).toBe('pool-moving');
    } finally {
      for (const s of servers) await s.server.close();
      for (const p of procs) await stopProcess(p);
    }
  }, 40_000);

  it("the hedge owner's risk supervisor judges the agent-wide limits over every process's pools, and its halt is every process's", async () => {
    const w = world(2, 'limits');
    // IL beyond 0.1% of a position breaks the limit: a 10% move does it
    w.settings = { ...w.settings, limits: { ...w.settings.limits, maxIL: 0.001 } };
    const procs = [await startProcess(w, 'p1'), await startProcess(w, 'p2')];
    try {
      await until('one pool each, and a hedge owner', () => procs.every((p) => p.agent.refs.positions.size === 1) && hedgeOwner(procs) !== undefined);
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3000, at: Date.now() });
      const owner = hedgeOwner(procs)!;
      const other = procs.find((p) => p !== owner)!;
      // the owner's supervisor sees both pools (one of them through the board) and the venue: the agent's capital is measured
      await until('the hedge owner measures the whole agent', async () => {
        const r = await owner.agent.risk();
        return Object.keys(r.positions).length === 2 && r.capitalUsd !== null;
      });
      expect((await owner.agent.risk()).status).toBe('running');
      // the other process's pool loses: its IL is judged by the hedge owner, and every process halts
      const [poolId] = [...other.agent.refs.positions.keys()] as [string];
      w.chain.setPrice(poolId, 3300);
      (w.venues[0] as ReturnType<typeof newVenue>).paper.setMark(SYMBOL, 3300);
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3300, at: Date.now() });
      // the hedge owner's supervisor has the other process's pool as it is now (through the board), not as it last saw it itself
      await until('the hedge owner sees the loss in the other process\'s pool', async () => ((await owner.agent.risk()).positions[poolId]?.ilPercent ?? 0) < -1, 10_000);
      await until('every process halted', async () => (await Promise.all(procs.map((p) => p.agent.risk()))).every((r) => r.status === 'halted'), 10_000);
      const record = await owner.base.haltRecords(`agent/${w.agentId}`).read();
      expect(record.by).toBe('risk-limits');
      expect(record.reason).toMatch(/^max IL/);
      // the supervisor that judged first wrote the halt; the other followed it (or judged the same at the same moment)
      for (const r of await Promise.all(procs.map((p) => p.agent.risk()))) expect(r.haltedBy).toMatch(/^risk-limits( via p[12])?$/);
    } finally {
      for (const p of procs) await stopProcess(p);
    }
  }, 40_000);

  it("the process that takes the hedge over places its own orders: its intents continue above the previous owner's, never re-using (and so adopting) one of its client ids", async () => {
    const w = world(2, 'sequence');
    const procs = [await startProcess(w, 'p1'), await startProcess(w, 'p2')];
    const venue = w.venues[0] as ReturnType<typeof newVenue>;
    const move = (price: number): void => {
      for (const d of w.pools) w.chain.setPrice(d.poolId, price);
      venue.paper.setMark(SYMBOL, price);
      w.prices.next({ asset: 'ETH', source: MARKET_SOURCE, price, at: Date.now() });
    };
    let survivor: ScaleOutProcess | undefined;
    let killed: ScaleOutProcess | undefined;
    try {
      await until('one pool each, and a hedge owner', () => procs.every((p) => p.agent.refs.positions.size === 1) && hedgeOwner(procs) !== undefined);
      const owner = hedgeOwner(procs)!;
      survivor = procs.find((p) => p !== owner)!;
      // the owner hedges a few moves: its intents 1, 2, ... (the survivor's hedge still at 1, as it started)
      for (const [i, price] of [3000, 3150, 2900].entries()) {
        move(price);
        await until(`the owner's order ${i + 1}`, () => venue.fills.length >= i + 1, 10_000);
      }
      const before = venue.fills.length;
      killProcess(owner);
      killed = owner;
      await until('the survivor holds the hedge', () => survivor!.so.ports.hedgeGuard() !== undefined, 10_000);
      move(3250);
      await until('the survivor hedges the move with an order of its own', () => venue.fills.length > before, 10_000);
      expect((await survivor.agent.exchange(venue.id)).ordersAdopted).toBe(0);
      expect(new Set(venue.attempts).size).toBe(venue.attempts.length);
    } finally {
      if (survivor !== undefined) await stopProcess(survivor);
      if (killed !== undefined) await stopProcess(killed);
    }
  }, 60_000);
});
