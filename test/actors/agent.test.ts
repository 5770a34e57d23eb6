import { afterEach, describe, expect, it } from 'vitest';
import type { HedgeState } from '../../src/actors/hedge/hedgeActor.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';
import { startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('agent on the simulated chain', () => {
  it.each([
    { name: 'asset is token0 (ETH/USDC)', inverted: false },
    { name: 'asset is token1 (USDC/WETH)', inverted: true },
  ])('mints at start, hedges the delta within 5% of target, rolls when the price leaves the range: $name', async ({ inverted }) => {
    f = await startFixture({ inverted });
    const pool = f.pools[0]!;
    let pos = await f.agent.position(pool.poolId);
    expect(pos.status).toBe('running');
    expect(pos.position).not.toBeNull();
    expect(f.chain.transactions.map((t) => t.op)).toEqual(['mint']);
    const before = pos.range!;
    expect(before.tickLower).toBeLessThan(pos.tick);
    expect(before.tickUpper).toBeGreaterThan(pos.tick);
    expect(pos.assetPrice).toBeCloseTo(3000, 6);
    expect(pos.valueUsd).toBeGreaterThan(29_000);
    expect(pos.valueUsd).toBeLessThan(30_001);
    expect(pos.delta).toBeGreaterThan(4);
    expect(pos.delta).toBeLessThanOrEqual(5);
    // the reference price arrives: the hedge is sized
    await f.move(3000);
    let hedge = await f.agent.hedge();
    const eth = hedge.assets['ETH']!;
    expect(eth.target).toBeLessThan(0);
    expect(Math.abs(eth.current - eth.target)).toBeLessThanOrEqual(0.05 * Math.abs(eth.target) + 1e-9);
    expect(eth.target).toBeCloseTo(-0.8 * pos.delta, 2);

    await f.move(3600); // far above the range
    pos = await f.agent.position(pool.poolId);
    expect(pos.rolls).toBe(1);
    expect(f.chain.transactions.map((t) => t.op)).toEqual(['mint', 'roll']);
    // the new range sits where the price went (above for ETH/USDC; below in tick space for USDC/WETH)
    if (inverted) expect(pos.range!.tickUpper).toBeLessThan(before.tickLower + 1000);
    else expect(pos.range!.tickLower).toBeGreaterThan(before.tickUpper - 1000);
    expect(pos.tick).toBeGreaterThanOrEqual(pos.range!.tickLower);
    expect(pos.tick).toBeLessThan(pos.range!.tickUpper);
    expect(pos.lastDecision?.triggers).toContain('outOfRange');
    hedge = await f.agent.hedge();
    const after = hedge.assets['ETH']!;
    expect(Math.abs(after.current - after.target)).toBeLessThanOrEqual(0.05 * Math.abs(after.target) + 1e-9);
    expect(after.target).toBeCloseTo(-0.8 * pos.delta, 2);
  });

  it('publishes every actor on the state feed with the fields the feed promises', async () => {
    f = await startFixture();
    await f.move(3000);
    const snap = f.agent.feed.snapshot();
    const kinds = new Set(snap.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['position', 'hedge', 'venues', 'exchange', 'risk']));
    const pos = snap.find((e) => e.kind === 'position')!.state;
    expect(pos).toMatchObject({ poolId: f.pools[0]!.poolId, rolls: 0 });
    expect(pos['range']).toEqual({ tickLower: expect.any(Number), tickUpper: expect.any(Number) });
    expect(pos).toHaveProperty('il.ilPercent');
    expect(pos).toHaveProperty('feesEarned');
    expect(pos).toHaveProperty('delta');
    const hedge = snap.find((e) => e.kind === 'hedge')!.state as { assets: Record<string, { target: number; current: number }> };
    expect(hedge.assets['ETH']).toMatchObject({ target: expect.any(Number), current: expect.any(Number) });
    const risk = snap.find((e) => e.kind === 'risk')!.state;
    expect(risk).toMatchObject({ status: 'running', reason: null });
    expect(() => JSON.stringify(snap)).not.toThrow();
  });

  it('refuses to roll while the pool price deviates from the reference price', async () => {
    f = await startFixture();
    const pool = f.pools[0]!;
    await f.move(3000);
    f.chain.setPrice(pool.poolId, 3600); // pool pushed, reference stays at 3000: manipulation
    await f.settle();
    const pos = await f.agent.position(pool.poolId);
    expect(pos.rolls).toBe(0);
    expect(pos.refusals.deviation).toBeGreaterThan(0);
    expect(f.chain.transactions.map((t) => t.op)).toEqual(['mint']);
  });

  it('restarts from chain and venue without opening a second position or doubling the hedge', async () => {
    f = await startFixture();
    await f.move(3000);
    const { chain, venue, store } = f;
    const ordersBefore = venue.fills.length;
    await f.agent.stop();
    f = await startFixture({ chain, venue, store });
    await f.move(3000);
    const owned = await chain.ownedPositions(f.pools[0]!.poolId);
    expect(owned).toHaveLength(1);
    expect(chain.transactions.filter((t) => t.op === 'mint')).toHaveLength(1);
    expect(venue.fills.length).toBe(ordersBefore);
    const pos = await f.agent.position(f.pools[0]!.poolId);
    expect(pos.position?.tokenId).toBe(owned[0]!.tokenId);
  });

  it('restarts with its checkpoints lost and a new agent id: adopts the venue hedge it finds instead of placing it again', async () => {
    f = await startFixture();
    await f.move(3000);
    const { chain, venue } = f;
    const ordersBefore = venue.fills.length;
    const venueSize = (await venue.fetchPositions())[0]!.size;
    expect(venueSize).toBeLessThan(0);
    await f.agent.stop();
    // a new agent id: no client order id of the earlier orders matches, only the venue's positions tell
    f = await startFixture({ chain, venue, store: new MemoryStore(), settings: { agentId: 'test-restarted' } });
    await f.move(3000);
    expect(venue.fills.length).toBe(ordersBefore);
    expect((await f.agent.hedge()).assets['ETH']!.current).toBe(venueSize);
  });

  it('a hedge checkpoint written before the pacing fields existed is restored with them (null)', async () => {
    f = await startFixture();
    await f.move(3000);
    const { chain, venue, store } = f;
    await f.agent.stop();
    const key = 'agent/test/actors/hedge';
    const saved = (await store.get<HedgeState>(key))!.value;
    const { lastOrderAt: _l, deferredUntil: _d, deferReason: _r, ...old } = saved.assets['ETH']!;
    await store.put(key, { ...saved, assets: { ETH: old } });
    f = await startFixture({ chain, venue, store });
    const eth = (await f.agent.hedge()).assets['ETH']!;
    expect(eth.lastOrderAt).toBeNull();
    expect(eth.deferredUntil).toBeNull();
    expect(eth.deferReason).toBeNull();
    expect(venue.fills.length).toBeGreaterThan(0);
  });

  it('exit rule: a per-position stop loss withdraws that position and stops rolling it', async () => {
    f = await startFixture({ position: { exit: { priceBelow: 2500 } } });
    await f.move(2400);
    const pos = await f.agent.position(f.pools[0]!.poolId);
    expect(pos.status).toBe('exited');
    expect(pos.position).toBeNull();
    expect(pos.exitReason).toMatch(/below 2500/);
    expect(f.chain.transactions.map((t) => t.op)).toEqual(['mint', 'withdraw']);
  });
});
