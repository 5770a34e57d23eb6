/**
 * A pool whose quote token is not a USD stablecoin (WBTC/WETH, issue 9): valued through both
 * tokens' reference prices (each token's venue mark; the pool gives their ratio), and both of its
 * assets hedged — the BTC it holds in the BTC perp, the ETH it holds in the ETH perp — on the
 * simulated chain with the paper exchange and the real actors.
 */
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';
import { startAgent, type Agent, type PriceTick } from '../../src/actors/agent.js';
import type { PoolDescriptor } from '../../src/actors/ports.js';
import { SimulatedChain } from '../../src/sim/simulatedChain.js';
import { createLogger } from '../../src/logging/logger.js';
import { RecordingVenue } from './support/recordingVenue.js';
import { positionConfig, settings, VENUE_ID, MARKET_SOURCE } from './support/fixture.js';

const BTC_PERP = 'BTC/USDT:USDT';
const ETH_PERP = 'ETH/USDT:USDT';
const pool: PoolDescriptor = {
  poolId: `0x01${'bc'.repeat(31)}`, asset: 'BTC', assetIsToken0: true, hedgeSymbol: BTC_PERP, quote: { asset: 'ETH', hedgeSymbol: ETH_PERP },
  token0: { symbol: 'WBTC', decimals: 8 }, token1: { symbol: 'WETH', decimals: 18 }, fee: 3000, tickSpacing: 60,
};

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

describe('a pool quoted in a non-USD token (WBTC/WETH)', () => {
  it('is valued at both tokens\' USD prices and hedged in both assets', async () => {
    const [btc, eth] = [90_000, 3_000];
    const chain = new SimulatedChain({ pools: [{ ...pool, price: btc / eth }], balances: { WBTC: 10n * 10n ** 8n, WETH: 1_000n * 10n ** 18n }, gasPriceWei: 1_000_000_000n });
    const venue = new RecordingVenue({ id: VENUE_ID, balance: 200_000, symbols: [{ symbol: BTC_PERP, base: 'BTC', price: btc }, { symbol: ETH_PERP, base: 'ETH', price: eth }] }, { logger: createLogger({ level: 'silent' }) });
    const prices = new Subject<PriceTick>();
    const cfg = positionConfig(pool, { amount0: 1n * 10n ** 8n, amount1: 30n * 10n ** 18n, nativeIsAsset: false, nativeIsQuote: true });
    agent = await startAgent(settings([cfg]), { chain, venues: [venue], prices$: prices, store: new MemoryStore(), log: createLogger({ level: 'silent' }) });
    const a = agent;
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setImmediate(r));
        await Promise.all([a.position(pool.poolId), a.hedge(), a.exchange(VENUE_ID), a.risk()]);
      }
    };
    // before the quote token has a USD price nothing is minted, valued or hedged
    await settle();
    expect((await a.position(pool.poolId)).position).toBeNull();
    expect((await a.hedge()).assets['ETH']).toBeUndefined();

    const quote = async (b: number, e: number): Promise<void> => {
      venue.paper.setMark(BTC_PERP, b);
      venue.paper.setMark(ETH_PERP, e);
      chain.setPrice(pool.poolId, b / e);
      prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: e, at: Date.now() });
      prices.next({ asset: 'BTC', source: MARKET_SOURCE, price: b, at: Date.now() });
      await settle();
    };
    await quote(btc, eth);
    let s = await a.position(pool.poolId);
    expect(s.position).not.toBeNull();
    expect(s.quotePriceUsd).toBeCloseTo(eth, 6);
    // the reference is BTC in ETH: the venue marks' ratio (with the pool's TWAP)
    expect(s.referencePrice).toBeCloseTo(btc / eth, 6);
    // value at the reference = amounts × each token's USD price (the wallet's held tokens included)
    const held0 = Number(BigInt(s.held.amount0) - BigInt(s.fromFloat?.amount0 ?? '0')) / 1e8;
    const held1 = Number(BigInt(s.held.amount1) - BigInt(s.fromFloat?.amount1 ?? '0')) / 1e18;
    const byHand = (s.amounts.amount0 + held0) * btc + (s.amounts.amount1 + held1) * eth;
    expect(s.atReference!.valueUsd).toBeCloseTo(byHand, 2);
    expect(s.depositedUsd).toBeCloseTo(1 * btc + 30 * eth, -1);
    // the two exposures: BTC held (delta) and ETH held (quoteDelta)
    expect(s.delta).toBeCloseTo(s.amounts.amount0 + held0, 9);
    expect(s.quoteDelta!).toBeCloseTo(s.amounts.amount1 + held1, 9);
    expect(s.quoteDelta!).toBeGreaterThan(1);
    let h = await a.hedge();
    expect(h.assets['BTC']!.target).toBeCloseTo(-0.8 * s.delta, 4);
    expect(h.assets['ETH']!.target).toBeCloseTo(-0.8 * s.quoteDelta!, 4);
    // the venue holds both shorts, and the risk supervisor nets both symbols
    const ex = await a.exchange(VENUE_ID);
    expect(ex.positions[BTC_PERP]!.size).toBeCloseTo(-0.8 * s.delta, 2);
    expect(ex.positions[ETH_PERP]!.size).toBeCloseTo(-0.8 * s.quoteDelta!, 1);
    const risk = await a.risk();
    expect(Object.keys(risk.exposureUsd ?? {}).sort()).toEqual([BTC_PERP, ETH_PERP]);
    expect(Math.abs(risk.exposureUsd![ETH_PERP]!)).toBeLessThan(0.25 * s.quoteDelta! * eth);

    // ETH rallies 10% against USD with BTC/ETH unchanged in the pool's terms: the USD value follows the quote's price
    const before = s.atReference!.valueUsd;
    await quote(btc * 1.1, eth * 1.1);
    s = await a.position(pool.poolId);
    expect(s.quotePriceUsd).toBeCloseTo(eth * 1.1, 6);
    expect(s.atReference!.valueUsd).toBeCloseTo(before * 1.1, -1);
    h = await a.hedge();
    expect(h.assets['ETH']!.price).toBeCloseTo(eth * 1.1, 6);
    expect(h.assets['BTC']!.price).toBeCloseTo(btc * 1.1, 2);
  });
});
