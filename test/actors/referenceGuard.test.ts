/**
 * The PositionActor acts on the reference price (median of fresh named sources and its pool's
 * TWAP) and on its value at that price, never on the pool's own price: a pool moved alone fires
 * neither the exit rule nor the drawdown limit; too few fresh sources, stale ones, or sources
 * that disagree, and it refuses to act and says why in its state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tell } from '../../src/actors/core/typedActors.js';
import { VirtualClock } from '../../src/actors/core/virtualClock.js';
import { MARKET_SOURCE, startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('reference guard', () => {
  it('a pool moved alone fires neither the exit rule nor a drawdown halt; the reference moving there does', async () => {
    f = await startFixture({ position: { exit: { priceBelow: 2900 } } });
    const poolId = f.pools[0]!.poolId;
    await f.move(3000);
    const before = await f.agent.position(poolId);
    expect(before.atReference?.price).toBe(3000);
    // the pool alone, to 2000: the exit's bound and the 15% drawdown limit on the pool's price
    f.chain.setPrice(poolId, 2000);
    await f.settle();
    const pushed = await f.agent.position(poolId);
    expect(pushed.assetPrice).toBeCloseTo(2000, 6);
    expect(pushed.status).toBe('running');
    expect(pushed.exitReason).toBeNull();
    expect(pushed.rolls).toBe(0);
    // the value at the reference moves only by the fees the push paid the position
    expect(Math.abs(pushed.atReference!.valueUsd / before.atReference!.valueUsd - 1)).toBeLessThan(0.005);
    expect(pushed.refusals.deviation).toBeGreaterThan(before.refusals.deviation); // the roll it wanted was refused
    expect((await f.agent.risk()).status).toBe('running');
    // the reference below the bound (and the pool with it): the exit fires on it
    await f.move(2850);
    const exited = await f.agent.position(poolId);
    expect(exited.status).toBe('exited');
    expect(exited.exitReason).toBe('reference price 2850 below 2900');
  });

  it('fewer fresh sources than required: no roll, and the state says why', async () => {
    f = await startFixture({ position: { reference: { minSources: 2, maxSpread: 0.03, twapSeconds: 120, staleMs: 600_000 } } });
    const poolId = f.pools[0]!.poolId;
    await f.move(3000);
    await f.move(3600); // out of range: a roll, were the reference accepted
    const s = await f.agent.position(poolId);
    expect(s.rolls).toBe(0);
    expect(s.referencePrice).toBeNull();
    expect(s.reference?.refused).toMatch(/^1 fresh reference source \(market\), 2 required; the pool TWAP covers \d+ s of its 120 s window$/);
    expect(s.refusals.noReference).toBeGreaterThan(0);
  });

  it('sources that disagree beyond maxSpread: no roll; once they agree, it rolls', async () => {
    f = await startFixture({ position: { reference: { minSources: 2, maxSpread: 0.03, twapSeconds: 120, staleMs: 600_000 } } });
    const poolId = f.pools[0]!.poolId;
    f.prices.next({ asset: 'ETH', source: 'other', price: 3300, at: Date.now() });
    await f.move(3600);
    const apart = await f.agent.position(poolId);
    expect(apart.rolls).toBe(0);
    expect(apart.reference?.refused).toBe('reference sources disagree by 9.09% > 3.00% (other 3300, market 3600)');
    f.prices.next({ asset: 'ETH', source: 'other', price: 3590, at: Date.now() });
    await f.settle();
    const agreed = await f.agent.position(poolId);
    expect(agreed.reference?.refused).toBeNull();
    expect(agreed.referencePrice).toBeCloseTo(Math.sqrt(3590 * 3600), 6);
    expect(agreed.rolls).toBe(1);
  });

  it('a source older than its staleness bound is dropped on the clock alone', async () => {
    const clock = new VirtualClock(1_000_000);
    f = await startFixture({ scheduler: clock, position: { reference: { minSources: 1, maxSpread: 0.03, twapSeconds: 120, staleMs: 10_000 } } });
    const poolId = f.pools[0]!.poolId;
    await f.move(3000);
    expect((await f.agent.position(poolId)).referencePrice).toBe(3000);
    await clock.advance(16_000, () => f!.settle());
    const s = await f.agent.position(poolId);
    expect(s.referencePrice).toBeNull();
    expect(s.reference?.stale).toEqual([MARKET_SOURCE]);
    expect(s.reference?.refused).toMatch(/^no fresh reference source \(1 required; stale: market\)/);
  });

  it('a re-read at the instant of the last reading changes nothing and publishes nothing; a moment later it reads again', async () => {
    const clock = new VirtualClock(1_000_000);
    f = await startFixture({ scheduler: clock, position: { reference: { minSources: 1, maxSpread: 0.03, twapSeconds: 120, staleMs: 10_000 } } });
    const poolId = f.pools[0]!.poolId;
    const ref = f.agent.refs.positions.get(poolId)!;
    await f.move(3000);
    const published: number[] = [];
    const sub = f.agent.feed.changes$.subscribe((e) => { if (e.kind === 'position') published.push(e.at); });
    const before = await f.agent.position(poolId);
    tell(ref, { type: 'rereadReference' });
    tell(ref, { type: 'gasPrice', wei: BigInt(before.gasPriceWei) });
    await f.settle();
    expect(published).toEqual([]);
    expect(await f.agent.position(poolId)).toBe(before);
    // a moment later the same message reads (and reports) again; a new gas price is taken
    await clock.advance(1);
    tell(ref, { type: 'rereadReference' });
    tell(ref, { type: 'gasPrice', wei: BigInt(before.gasPriceWei) + 1n });
    await f.settle();
    sub.unsubscribe();
    expect(published).toEqual([1_000_001, 1_000_001]);
    const after = await f.agent.position(poolId);
    expect(after.reference?.at).toBe(1_000_001);
    expect(after.gasPriceWei).toBe((BigInt(before.gasPriceWei) + 1n).toString());
  });
});

