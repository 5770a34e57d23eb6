/**
 * End to end on the devnet: anvil with the real Uniswap v4 contracts, the market simulator's
 * arbitrageur moving the pools to a reference price we control, the agent on the on-chain port
 * (PositionManager), the paper exchange for the hedge. Price pushed out of range -> the
 * PositionActor rolls on chain (the PositionManager position's range changes) -> the hedge is
 * back within 5% of target after each roll.
 */
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent, type PriceTick } from '../../src/actors/agent.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';
import { startDevnet, type Devnet } from '../../src/adapters/chain/devnet/devnet.js';
import { startMarketSimulator, type MarketSimulator } from '../../src/adapters/chain/devnet/simulator/marketSimulator.js';
import type { PricePoint } from '../../src/adapters/chain/devnet/simulator/referencePrice.js';
import { connectDevnetChain, type DevnetChain } from '../../src/adapters/chain/onchain/devnetChain.js';
import { createLogger } from '../../src/logging/logger.js';
import { PaperExchange } from '../../src/adapters/exchange/paperExchange.js';
import { positionConfig, settings, SYMBOL } from '../actors/support/fixture.js';

const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let devnet: Devnet;
let chain: DevnetChain;
let market: MarketSimulator;
let agent: Agent;
let venue: PaperExchange;
const reference = new Subject<PricePoint>();
const prices = new Subject<PriceTick>();

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, seed: 3, logger: log });
  chain = await connectDevnetChain(devnet.manifest, log, SYMBOL);
  market = startMarketSimulator({ manifest: devnet.manifest, provider: devnet.provider, logger: log, price$: reference, noiseTradesPerStep: 0 });
  venue = new PaperExchange({ balance: 20_000, symbols: [{ symbol: SYMBOL, base: 'ETH', price: 3000 }] }, { logger: log });
  market.price$.subscribe((p) => {
    venue.setMark(SYMBOL, p.price);
    prices.next({ asset: 'ETH', source: 'market', price: p.price, at: p.time });
  });
  const pool = chain.pools.find((p) => p.fee === 500)!;
  const eth = 2n * 10n ** 18n;
  const usdc = 6_000n * 10n ** 6n;
  const cfg = positionConfig(pool, {
    amount0: pool.assetIsToken0 ? eth : usdc, amount1: pool.assetIsToken0 ? usdc : eth,
    range: { annualVolatility: 0.2, horizonSeconds: 86_400, riskLevel: 'moderate' },
  });
  agent = await startAgent(settings([cfg], { timeouts: { chainMs: 30_000, orderMs: 10_000 } }), { chain: chain.port, venues: [venue], prices$: prices, store: new MemoryStore(), log });
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await venue?.close();
  await market?.stop();
  await chain?.close();
  await devnet?.stop();
});

describe('devnet end to end', () => {
  it('price out of range -> roll on chain -> hedge back within 5% of target, after each roll', async () => {
    const pool = chain.pools.find((p) => p.fee === 500)!;
    const owned0 = await chain.port.ownedPositions(pool.poolId);
    expect(owned0).toHaveLength(1);
    const first = owned0[0]!;
    reference.next({ time: Date.now(), price: 3000 });
    await waitFor('the hedge at 3000', async () => {
      const h = (await agent.hedge()).assets['ETH'];
      return h !== undefined && h.target < 0 && h.withinBand ? h : null;
    });

    let last = first;
    for (const [i, price] of [3250, 2950].entries()) {
      reference.next({ time: Date.now(), price });
      const pos = await waitFor(`roll ${i + 1} at ${price}`, async () => {
        const s = await agent.position(pool.poolId);
        return s.rolls >= i + 1 ? s : null;
      });
      const owned = await chain.port.ownedPositions(pool.poolId);
      expect(owned).toHaveLength(1); // the old token was burned: never two positions
      const now = owned[0]!;
      expect(now.tokenId).not.toBe(last.tokenId);
      expect([now.tickLower, now.tickUpper]).not.toEqual([last.tickLower, last.tickUpper]);
      expect(pos.position?.tokenId).toBe(now.tokenId);
      const snap = await chain.port.poolSnapshot(pool.poolId);
      expect(snap.tick).toBeGreaterThanOrEqual(now.tickLower);
      expect(snap.tick).toBeLessThan(now.tickUpper);
      const hedge = await waitFor(`hedge after roll ${i + 1}`, async () => {
        const h = (await agent.hedge()).assets['ETH']!;
        const p = await agent.position(pool.poolId);
        const target = -0.8 * p.delta;
        return Math.abs(h.current - target) <= 0.05 * Math.abs(target) + 0.001 ? h : null;
      });
      expect(hedge.current).toBeLessThan(0);
      last = now;
    }
    expect((await agent.risk()).status).toBe('running');
  });
});
