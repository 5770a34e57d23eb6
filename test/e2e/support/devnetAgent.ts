/**
 * The end-to-end rig on the devnet: the real v4 contracts with the market simulator (no noise
 * trades), the agent on the devnet's chain port, and a paper venue marked at the simulated
 * market's price, which is also the agent's market price source. `useDevnetAgent` starts it
 * before a file's tests (with the one position `position` configures on the 0.05% pool) and stops
 * it after them.
 */
import { Subject } from 'rxjs';
import { afterAll, beforeAll } from 'vitest';
import { startAgent, type Agent, type PriceTick } from '../../../src/actors/agent.js';
import type { PositionConfig } from '../../../src/actors/position/positionActor.js';
import type { PoolDescriptor } from '../../../src/actors/ports.js';
import { startDevnet, type Devnet } from '../../../src/adapters/chain/devnet/devnet.js';
import { startMarketSimulator, type MarketSimulator } from '../../../src/adapters/chain/devnet/simulator/marketSimulator.js';
import type { PricePoint } from '../../../src/adapters/chain/devnet/simulator/referencePrice.js';
import { connectDevnetChain, type DevnetChain } from '../../../src/adapters/chain/onchain/devnetChain.js';
import { PaperExchange } from '../../../src/adapters/exchange/paperExchange.js';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import { createLogger } from '../../../src/logging/logger.js';
import { MARKET_SOURCE, settings, SYMBOL, VENUE_ID } from '../../actors/support/fixture.js';

export interface DevnetAgent {
  devnet: Devnet;
  chain: DevnetChain;
  market: MarketSimulator;
  agent: Agent;
  venue: PaperExchange;
  /** Drives the simulated market's reference price. */
  reference: Subject<PricePoint>;
}

const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

export function useDevnetAgent(seed: number, position: (pool: PoolDescriptor) => PositionConfig): () => DevnetAgent {
  let rig: DevnetAgent | undefined;
  const parts: Partial<DevnetAgent> = {};
  beforeAll(async () => {
    const devnet = (parts.devnet = await startDevnet({ port: 0, seed, logger: log }));
    const chain = (parts.chain = await connectDevnetChain(devnet.manifest, log, SYMBOL));
    const reference = new Subject<PricePoint>();
    const prices = new Subject<PriceTick>();
    const market = (parts.market = startMarketSimulator({ manifest: devnet.manifest, provider: devnet.provider, logger: log, price$: reference, noiseTradesPerStep: 0 }));
    const venue = (parts.venue = new PaperExchange({ id: VENUE_ID, balance: 20_000, symbols: [{ symbol: SYMBOL, base: 'ETH', price: 3000 }] }, { logger: log }));
    market.price$.subscribe((p) => {
      venue.setMark(SYMBOL, p.price);
      prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: p.price, at: Date.now() });
    });
    const cfg = position(chain.pools.find((p) => p.fee === 500)!);
    const agent = (parts.agent = await startAgent(settings([cfg], { timeouts: { chainMs: 30_000, orderMs: 10_000 } }), { chain: chain.port, venues: [venue], prices$: prices, store: new MemoryStore(), log }));
    rig = { devnet, chain, market, agent, venue, reference };
  }, 120_000);
  afterAll(async () => {
    await parts.agent?.stop();
    await parts.venue?.close();
    await parts.market?.stop();
    await parts.chain?.close();
    await parts.devnet?.stop();
  });
  return () => {
    if (rig === undefined) throw new Error('the devnet agent is not started (useDevnetAgent runs in beforeAll)');
    return rig;
  };
}

/** Polls `probe` every 100 ms until it answers non-null; fails naming `what` after `timeoutMs`. */
export async function pollFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
