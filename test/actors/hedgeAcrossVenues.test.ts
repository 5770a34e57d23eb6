/**
 * Venue choice (issue 9, the spec's selectOptimalExchange): the agent hedges on two real ccxt
 * venues (Binance USDⓈ-M and Bybit linear, each on its loopback stand-in). Each hedge change goes
 * where it is cheapest to hold (taker fee + expected funding) among the healthy venues with free
 * margin; a venue that refuses for margin or stops answering fails over to the other, and the
 * net hedge across the venues stays within the band.
 */
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, type Agent, type PriceTick } from '../../src/actors/agent.js';
import { createCcxtVenue, type CcxtVenue } from '../../src/adapters/exchange/ccxt/index.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';
import { createLogger } from '../../src/logging/logger.js';
import type { RouterState } from '../../src/actors/hedge/venueRouter.js';
import { LogCapture } from '../support/venues/logCapture.js';
import type { LoopbackVenueServer } from '../support/venues/loopbackServer.js';
import { SimAccount } from '../support/venues/simAccount.js';
import { startStandIn, venueOptions } from '../support/venues/venueHarness.js';
import { MARKET_SOURCE, newChain, poolDescriptor, positionConfig, settings } from './support/fixture.js';

const BINANCE = 'binanceusdm:test';
const BYBIT = 'bybit:test';

interface Setup {
  agent: Agent;
  binance: SimAccount;
  bybit: SimAccount;
  servers: LoopbackVenueServer[];
  venues: CcxtVenue[];
  move(price: number): Promise<void>;
}

let running: Setup | null = null;

afterEach(async () => {
  if (running === null) return;
  await running.agent.stop();
  for (const v of running.venues) await v.close();
  for (const s of running.servers) await s.stop();
  running = null;
});

async function start(o: { binanceWallet?: number; bybitWallet?: number; binanceRate: number; bybitRate: number }): Promise<Setup> {
  const capture = new LogCapture();
  const binance = new SimAccount(o.binanceWallet ?? 10_000);
  const bybit = new SimAccount(o.bybitWallet ?? 10_000);
  binance.market('ETHUSDT').fundingRate = o.binanceRate;
  bybit.market('ETHUSDT').fundingRate = o.bybitRate;
  const servers = [await startStandIn('binanceusdm', binance), await startStandIn('bybit', bybit)];
  const venues = [
    createCcxtVenue(venueOptions('binanceusdm', servers[0]!.baseUrl, capture, { symbols: ['ETH/USDT:USDT'], watch: false })),
    createCcxtVenue(venueOptions('bybit', servers[1]!.baseUrl, capture, { symbols: ['ETH/USDT:USDT'], watch: false })),
  ];
  const pool = poolDescriptor();
  const prices = new Subject<PriceTick>();
  const chain = newChain([pool]);
  const agent = await startAgent(settings([positionConfig(pool)], {
    hedge: {
      ratio: 0.8, maxRatio: 1, band: 0.05, leverage: 3, venue: BINANCE, venues: [BINANCE, BYBIT], failoverMs: 60_000, horizonMs: 86_400_000,
      pacing: { minIntervalMs: 0, urgentBand: 0.25, minOrderUsd: 0 },
    },
    limits: { maxDrawdown: 0.5, maxExposure: 1, maxIL: 0.5, stopLoss: 0.5, maxPositionSize: 1_000_000 },
    timeouts: { chainMs: 10_000, orderMs: 8_000 },
  }), { chain, venues, prices$: prices, store: new MemoryStore(), log: createLogger({ level: 'silent' }) });
  const setup: Setup = {
    agent, binance, bybit, servers, venues,
    move: async (price) => {
      binance.setMarkPrice('ETHUSDT', price);
      bybit.setMarkPrice('ETHUSDT', price);
      chain.setPrice(pool.poolId, price);
      prices.next({ asset: 'ETH', source: MARKET_SOURCE, price, at: Date.now() });
      await new Promise((r) => setTimeout(r, 200));
      await agent.syncHedges();
    },
  };
  running = setup;
  return setup;
}

/** Net of both stand-ins' ETH positions, from the venues themselves. */
const net = (s: Setup): number => s.binance.position('ETHUSDT').size + s.bybit.position('ETHUSDT').size;

describe('hedging across Binance and Bybit stand-ins', () => {
  it('puts the hedge where it is cheapest to hold: the venue whose funding pays the short more', async () => {
    // a positive rate pays shorts: 0.05% per 8 h on Bybit against 0.01% on Binance outweighs the fee difference
    const s = await start({ binanceRate: 0.0001, bybitRate: 0.0005 });
    await s.agent.syncHedges(); // the venues' quotes reach the hedge with their reports
    const hedge = (await s.agent.hedge()).assets['ETH']!;
    expect(hedge.target).toBeLessThan(0);
    expect(hedge.withinBand).toBe(true);
    expect(s.binance.position('ETHUSDT').size).toBe(0);
    expect(s.bybit.position('ETHUSDT').size).toBeCloseTo(hedge.current, 9);
    expect(hedge.recommendation).toMatchObject({ action: 'SHORT', venue: BYBIT });
    // the short earns 0.05% per interval, 3 intervals a day: the expected funding is a gain (negative cost)
    expect(hedge.recommendation!.cost.expectedFunding).toBeCloseTo(hedge.target * hedge.price * 0.0005 * 3, 6);
    expect(hedge.recommendation!.expectedILReduction).toBeGreaterThan(0);
    expect(hedge.recommendation!.confidence).toBe(1);
  });

  it('a venue that refuses for margin fails over: the rest of the hedge goes to the other, the net stays in the band', async () => {
    // Bybit is cheapest but its 600 USDT carry only about 0.59 ETH at 3x
    const s = await start({ binanceRate: 0.0001, bybitRate: 0.0005, bybitWallet: 600 });
    const hedge = (await s.agent.hedge()).assets['ETH']!;
    expect(s.bybit.position('ETHUSDT').size).toBeLessThan(0);
    expect(s.bybit.position('ETHUSDT').size).toBeGreaterThan(-0.6);
    expect(s.binance.position('ETHUSDT').size).toBeLessThan(0);
    expect(Math.abs(net(s) - hedge.target)).toBeLessThanOrEqual(0.05 * Math.abs(hedge.target));
    expect(hedge.withinBand).toBe(true);
    const router = s.agent.feed.latest('hedge-venues')?.state as unknown as RouterState;
    expect(router.venues[BYBIT]!.downUntil).not.toBeNull();
  });

  it('a venue that stops answering fails over, and the net hedge across venues follows the market within the band', async () => {
    const s = await start({ binanceRate: 0.0001, bybitRate: 0.0005 });
    const first = (await s.agent.hedge()).assets['ETH']!;
    expect(s.bybit.position('ETHUSDT').size).toBeCloseTo(first.current, 9);
    // Bybit stops answering: every request is held past the client's timeout
    for (const route of ['GET /v5/order/realtime', 'POST /v5/order/create', 'GET /v5/account/wallet-balance', 'GET /v5/position/list', 'GET /v5/order/history']) {
      s.servers[1]!.inject(route, ...Array.from({ length: 40 }, () => ({ kind: 'delay' as const, ms: 2_000 })));
    }
    await s.move(3150); // the LP holds less ETH higher up: the short must shrink
    const after = (await s.agent.hedge()).assets['ETH']!;
    expect(Math.abs(after.target)).toBeLessThan(Math.abs(first.target));
    // Bybit cannot reduce its short: the change is made on Binance (a long there offsets part of it)
    expect(s.bybit.position('ETHUSDT').size).toBeCloseTo(first.current, 9);
    expect(s.binance.position('ETHUSDT').size).toBeGreaterThan(0);
    expect(Math.abs(net(s) - after.target)).toBeLessThanOrEqual(0.05 * Math.abs(after.target));
  });
});
