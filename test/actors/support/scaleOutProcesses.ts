/**
 * Processes of one agent in pools mode (cli/scaleOut.ts), in one test process: each its own Redis
 * connection, actor system and scale-out, all on one simulated chain and one venue account, as
 * processes of one wallet on one host set. `kill` cuts a process's connection the way kill -9
 * would (no heartbeat, no renewal; its actors keep running, fenced).
 */
import type { Subject } from 'rxjs';
import { startAgent, type Agent, type AgentSettings, type PriceTick } from '../../../src/actors/agent.js';
import type { PoolDescriptor } from '../../../src/actors/ports.js';
import type { ExchangeVenue } from '../../../src/adapters/exchange/venue.js';
import { RedisStore } from '../../../src/adapters/store/redisStore.js';
import { scaleOutOn, type ScaleOut } from '../../../src/cli/scaleOut.js';
import type { Logger } from '../../../src/logging/logger.js';
import type { SimulatedChain } from '../../../src/sim/simulatedChain.js';
import { TEST_REDIS_URL } from '../../support/redis.js';

export interface ScaleOutProcess {
  name: string;
  base: RedisStore;
  so: ScaleOut;
  agent: Agent;
}

export interface ScaleOutWorld {
  ns: string;
  agentId: string;
  ttlMs: number;
  pools: PoolDescriptor[];
  chain: SimulatedChain;
  venues: ExchangeVenue[];
  prices: Subject<PriceTick>;
  settings: AgentSettings;
  log: Logger;
}

/** Starts the process `name` of the world's agent and attaches it (it takes its share of the pools). */
export async function startProcess(w: ScaleOutWorld, name: string): Promise<ScaleOutProcess> {
  const base = await RedisStore.connect({ url: TEST_REDIS_URL, namespace: w.ns });
  const so = scaleOutOn(base, { agentId: w.agentId, leaseTtlMs: w.ttlMs, pools: new Map(w.pools.map((d) => [d.poolId, d.asset])), holder: name, log: w.log });
  const agent = await startAgent(w.settings, { chain: w.chain, venues: w.venues, prices$: w.prices, store: so.store, log: w.log, scaleOut: so.ports });
  await so.attach(agent);
  return { name, base, so, agent };
}

/**
 * kill -9 of a process as the others see it: its Redis connection goes (no heartbeat, no renewal);
 * its actors keep running, every send of theirs fenced, until {@link stopProcess}.
 */
export function killProcess(p: ScaleOutProcess): void {
  (p.so as unknown as { close(): Promise<void> }).close = async () => undefined;
  p.base['redis'].disconnect();
}

/** Stops a process cleanly (its pools and the hedge given back at once). */
export async function stopProcess(p: ScaleOutProcess): Promise<void> {
  await p.agent.stop();
  await p.so.close();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `ok`, polling every 100 ms; throws naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for: ${what}`);
    await sleep(100);
  }
}
