/**
 * Pools spread over processes (cli/scaleOut.ts), three agents in one test process standing in for
 * three processes: each its own Redis connection and actor system, all on one simulated chain (the
 * same owner, as one wallet on a real chain) and one paper venue account, 30 pools. Checked: the
 * pools split 10/10/10 with one position each on the chain; one process "killed" (its connection
 * cut: no heartbeat, no renewal; its actors still running, fenced) → its pools adopted by the
 * others within ttl + a round, still one position per pool; the hedge nets every pool's delta
 * (within the band of the sum of the pools' deltas on the board); any process's feed shows every
 * pool and who owns it.
 */
import { Redis } from 'ioredis';
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PriceTick } from '../../src/actors/agent.js';
import { createLogger } from '../../src/logging/logger.js';
import { MARKET_SOURCE, newChain, newVenue, poolDescriptor, positionConfig, settings, SYMBOL } from './support/fixture.js';
import { killProcess, startProcess, stopProcess, until, type ScaleOutWorld } from './support/scaleOutProcesses.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';

const ns = uniqueNamespace('scaleout');
let admin: Redis;
beforeAll(async () => {
  await requireRedis();
  admin = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  const keys = await admin.keys(`${ns}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

const TTL = 1_500;
const POOLS = 30;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('pools spread over three processes (real Redis, simulated chain)', () => {
  it('30 pools: 10 each, one killed → adopted by the others within ttl + a round, one position per pool, the hedge nets every pool', async () => {
    const descs = Array.from({ length: POOLS }, (_, i) => poolDescriptor(i));
    const chain = newChain(descs);
    const venue = newVenue(2_000_000);
    const prices = new Subject<PriceTick>();
    const small = { amount0: 10n ** 17n, amount1: 300n * 10n ** 6n };
    const w: ScaleOutWorld = {
      ns, agentId: 'scale', ttlMs: TTL, pools: descs, chain, venues: [venue], prices,
      settings: settings(descs.map((d) => positionConfig(d, small)), { agentId: 'scale' }),
      log: createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    };
    const procs = [await startProcess(w, 'p1'), await startProcess(w, 'p2'), await startProcess(w, 'p3')];
    const held = (p: (typeof procs)[number]): number => p.agent.refs.positions.size;
    await until('10/10/10', () => procs.every((p) => held(p) === 10));
    prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: 3000, at: Date.now() });
    const onePerPool = async (): Promise<boolean> => (await Promise.all(descs.map((d) => chain.ownedPositions(d.poolId)))).every((ps) => ps.length === 1);
    await until('every pool minted once', onePerPool);

    // the whole agent from any process's feed: 30 positions, and who owns each
    await until('p3 sees 30 positions', () => procs[2]!.agent.feed.snapshot().filter((e) => e.kind === 'position').length === POOLS);
    type Role = { owners: Record<string, string | null>; members: string[] };
    const roleOf = (): Role | undefined => procs[2]!.agent.feed.latest('ha/p3')?.state as Role | undefined;
    await until('p3\'s role entry names an owner for each pool', () => Object.values(roleOf()?.owners ?? {}).filter((o) => o !== null).length === POOLS);
    const role = roleOf()!;
    expect(role.members).toEqual(['p1', 'p2', 'p3']);
    expect(new Set(Object.values(role.owners).map((o) => o?.split('#')[0]))).toEqual(new Set(['p1', 'p2', 'p3']));

    // kill -9 of p2: its connection goes; its actors keep running but every send of theirs is fenced
    const victim = procs[1]!;
    const orphaned = [...victim.agent.refs.positions.keys()];
    killProcess(victim);
    const killedAt = Date.now();
    const survivors = [procs[0]!, procs[2]!];
    const adoptedBy = (poolId: string): boolean => survivors.some((p) => p.agent.refs.positions.has(poolId));
    await until('p2\'s pools adopted', () => orphaned.every(adoptedBy));
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(TTL + TTL / 3 + 3_000);
    expect(survivors.map(held).sort()).toEqual([15, 15]);
    // the market moves: positions roll, the hedge follows; still exactly one position per pool
    for (const p of [3050, 2950, 3000]) {
      for (const d of descs) chain.setPrice(d.poolId, p);
      venue.paper.setMark(SYMBOL, p);
      prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: p, at: Date.now() });
      await sleep(300);
    }
    await until('one position per pool after the moves', onePerPool);

    // the hedge nets every pool: its deltas are the board's, its size within the band of the target
    const owner = survivors.find((p) => p.so.ports.hedgeGuard() !== undefined) ?? procs.find((p) => p.so.ports.hedgeGuard() !== undefined)!;
    const board = await owner.base.deltaBoard('agent/scale/deltas/ETH', 'ETH', (id) => `agent/scale/pool/${id.toLowerCase()}`).read();
    expect(board.size).toBe(POOLS);
    await until('hedge nets 30 pools', async () => {
      const h = await owner.agent.hedge();
      const a = h.assets['ETH'];
      return a !== undefined && Object.keys(a.deltas).length === POOLS;
    });
    await owner.agent.syncHedges();
    const h = (await owner.agent.hedge()).assets['ETH']!;
    const sumBoard = [...(await owner.base.deltaBoard('agent/scale/deltas/ETH', 'ETH', (id) => `agent/scale/pool/${id.toLowerCase()}`).read()).values()].reduce((x, d) => x + d.delta, 0);
    expect(Math.abs(h.netDelta - sumBoard)).toBeLessThan(1e-9 + Math.abs(sumBoard) * 0.05);
    const venueSize = (await venue.fetchPositions([SYMBOL]))[0]?.size ?? 0;
    expect(Math.abs(Math.abs(venueSize) - Math.abs(h.target))).toBeLessThanOrEqual(Math.abs(h.target) * 0.05 + 1e-6);
    // no client order id twice at the venue
    const ids = venue.attempts;
    expect(new Set(ids).size).toBe(ids.length);

    for (const p of [...survivors, victim]) await stopProcess(p);
    prices.complete();
    console.log(`scale-out: 30 pools over 3, p2 (${orphaned.length} pools) killed → adopted in ${takeoverMs} ms (ttl ${TTL} ms); hedge net ${h.netDelta.toFixed(4)} vs board ${sumBoard.toFixed(4)}, target ${h.target.toFixed(4)}, venue ${venueSize.toFixed(4)}`);
  }, 60_000);
});
