/**
 * An agent on the simulated chain and the paper exchange (behind a recording decorator), with
 * one ETH/USDC pool, for the actor tests. `move(price)` moves the pool, the venue mark and the
 * reference price together;
 * `settle()` waits until every actor has worked through its mailbox and nothing changes.
 */
import { Subject } from 'rxjs';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import type { Store } from '../../../src/adapters/store/store.js';
import { SimulatedChain } from '../../../src/sim/simulatedChain.js';
import { startAgent, type Agent, type AgentSettings, type PriceTick } from '../../../src/actors/agent.js';
import type { Scheduler } from '../../../src/actors/core/scheduler.js';
import type { PositionConfig } from '../../../src/actors/position/positionActor.js';
import type { PoolDescriptor } from '../../../src/actors/ports.js';
import { createLogger } from '../../../src/logging/logger.js';
import { RecordingVenue } from './recordingVenue.js';

export const SYMBOL = 'ETH/USDT:USDT';
/** The paper exchange's account id in the actor tests. */
export const VENUE_ID = 'paper';
/** The named reference source the fixture's `move` quotes (a stand-in for a venue's mark price). */
export const MARKET_SOURCE = 'market';

/** The real paper exchange, recorded, with one ETH perp at `price` and `balance` USDT. */
export function newVenue(balance = 20_000, price = 3000): RecordingVenue {
  return new RecordingVenue({ id: VENUE_ID, balance, symbols: [{ symbol: SYMBOL, base: 'ETH', price }] }, { logger: createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }) });
}

/** The pool's asset (WETH) as token1 and USDC as token0, as on the devnet when USDC sorts first. */
export function invertedPoolDescriptor(i = 0): PoolDescriptor {
  return {
    poolId: `0x${(i + 1).toString(16).padStart(2, '0')}${'ef'.repeat(31)}`, asset: 'ETH', assetIsToken0: false, hedgeSymbol: SYMBOL,
    token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: 3000, tickSpacing: 60,
  };
}

export function poolDescriptor(i = 0): PoolDescriptor {
  return {
    poolId: `0x${(i + 1).toString(16).padStart(2, '0')}${'ab'.repeat(31)}`, asset: 'ETH', assetIsToken0: true, hedgeSymbol: SYMBOL,
    token0: { symbol: 'ETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 }, fee: 3000, tickSpacing: 60,
  };
}

export function positionConfig(pool: PoolDescriptor, over: Partial<PositionConfig> = {}): PositionConfig {
  const eth = 5n * 10n ** 18n;
  const usdc = 15_000n * 10n ** 6n;
  return {
    pool, amount0: pool.assetIsToken0 ? eth : usdc, amount1: pool.assetIsToken0 ? usdc : eth,
    range: { annualVolatility: 0.6, horizonSeconds: 86_400, riskLevel: 'moderate' },
    rebalanceThreshold: 0.05, apyThreshold: 0.1, minCapitalEfficiency: 0, maxPriceDeviation: 0.02, feeApy: 1,
    rollGasUnits: 800_000, feeReadMs: 0, minNetGainUsd: 0, nativePriceUsd: 3000, nativeIsAsset: true, exit: {},
    // one source (the fixture's market): these tests move it with the pool; the reference guard has its own tests
    reference: { minSources: 1, maxSpread: 0.03, twapSeconds: 120, staleMs: 3_600_000 },
    ...over,
  };
}

export function settings(pools: PositionConfig[], over: Partial<AgentSettings> = {}): AgentSettings {
  return {
    agentId: 'test',
    pools,
    limits: { maxDrawdown: 0.15, maxExposure: 0.8, maxIL: 0.2, stopLoss: 0.25, maxPositionSize: 1_000_000 },
    halt: { flattenHedges: false, withdrawLiquidity: false, maxCrashes: 3, crashWindowMs: 60_000 },
    capitalUsd: null,
    // no pacing here: these tests check the band after each move; pacing has its own tests (hedgePacing.test.ts)
    hedge: { ratio: 0.8, maxRatio: 1, band: 0.05, leverage: 3, venue: VENUE_ID, pacing: { minIntervalMs: 0, urgentBand: 0.25, minOrderUsd: 0 } },
    timeouts: { chainMs: 5_000, orderMs: 5_000 },
    gasPollMs: 0,
    venueSyncMs: 0,
    ...over,
  };
}

export interface Fixture {
  agent: Agent;
  chain: SimulatedChain;
  venue: RecordingVenue;
  prices: Subject<PriceTick>;
  store: Store;
  pools: PoolDescriptor[];
  move(price: number, poolIndex?: number): Promise<void>;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export interface FixtureOptions {
  pools?: number;
  venueBalance?: number;
  settings?: Partial<AgentSettings>;
  position?: Partial<PositionConfig>;
  store?: Store;
  chain?: SimulatedChain;
  venue?: RecordingVenue;
  startPrice?: number;
  /** The asset as token1 (USDC/WETH ordering). */
  inverted?: boolean;
  /** More venues beside the hedge venue (`venue`), e.g. a second account the agent only watches. */
  extraVenues?: RecordingVenue[];
  /** The agent's clock and timers (default: the wall clock), e.g. a VirtualClock. */
  scheduler?: Scheduler;
}

export function newChain(pools: PoolDescriptor[], price = 3000): SimulatedChain {
  return new SimulatedChain({
    pools: pools.map((p) => ({ ...p, price: p.assetIsToken0 ? price : 1 / price })),
    balances: { ETH: 1_000n * 10n ** 18n, WETH: 1_000n * 10n ** 18n, USDC: 3_000_000n * 10n ** 6n },
    gasPriceWei: 1_000_000_000n,
  });
}

export async function startFixture(o: FixtureOptions = {}): Promise<Fixture> {
  const price = o.startPrice ?? 3000;
  const pools = Array.from({ length: o.pools ?? 1 }, (_, i) => (o.inverted === true ? invertedPoolDescriptor(i) : poolDescriptor(i)));
  const chain = o.chain ?? newChain(pools, price);
  const venue = o.venue ?? newVenue(o.venueBalance ?? 20_000, price);
  const prices = new Subject<PriceTick>();
  const store = o.store ?? new MemoryStore();
  const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const agent = await startAgent(settings(pools.map((p) => positionConfig(p, o.position)), o.settings), { chain, venues: [venue, ...(o.extraVenues ?? [])], prices$: prices, store, log, ...(o.scheduler === undefined ? {} : { scheduler: o.scheduler }) });
  let events = 0;
  agent.feed.changes$.subscribe(() => (events += 1));
  const settle = async (): Promise<void> => {
    let stable = 0;
    let last = -1;
    for (let i = 0; i < 200 && stable < 2; i++) {
      await new Promise((r) => setImmediate(r));
      if (!agent.routing.snapshots.idle || !agent.routing.prices.idle) {
        stable = 0;
        continue;
      }
      await Promise.all([...pools.map((p) => agent.position(p.poolId)), agent.hedge(), agent.exchange(venue.id), agent.risk()]);
      if (events === last) stable += 1;
      else stable = 0;
      last = events;
    }
  };
  const fixture: Fixture = {
    agent, chain, venue, prices, store, pools,
    move: async (p, poolIndex) => {
      venue.paper.setMark(SYMBOL, p);
      // the pool first, then the reference: the position values itself at the reference, so a
      // reference that moved before the pool followed would report the old range at the new price
      // against a venue equity not yet marked (a transient drawdown no market makes)
      const targets = poolIndex === undefined ? pools : [pools[poolIndex]!];
      for (const pool of targets) chain.setPrice(pool.poolId, pool.assetIsToken0 ? p : 1 / p);
      prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: p, at: o.scheduler?.now() ?? Date.now() });
      await settle();
    },
    settle,
    stop: async () => {
      await agent.stop();
      prices.complete();
    },
  };
  await settle();
  return fixture;
}
