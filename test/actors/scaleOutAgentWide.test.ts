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
import { createLogger } from '../../src/logging/logger.js';
import { MARKET_SOURCE, newChain, newVenue, poolDescriptor, positionConfig, settings, SYMBOL } from './support/fixture.js';
import { startProcess, stopProcess, until, type ScaleOutProcess, type ScaleOutWorld } from './support/scaleOutProcesses.js';
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
});
