import { afterEach, describe, expect, it } from 'vitest';
import { tell } from '../../src/actors/core/typedActors.js';
import type { PoolSnapshot } from '../../src/actors/ports.js';
import { newChain, newVenue, poolDescriptor, startFixture, VENUE_ID, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

function poison(poolId: string): PoolSnapshot {
  return { poolId, sqrtPriceX96: 0n, tick: 0, liquidity: 0n, price: Number.NaN, blockNumber: 1e9, at: Date.now() };
}

describe('supervision', () => {
  it('a PositionActor that throws is restarted with its state intact; the others never notice', async () => {
    f = await startFixture({ pools: 2, venueBalance: 40_000 });
    const [a, b] = f.pools as [typeof f.pools[0], typeof f.pools[0]];
    await f.move(3000);
    await f.move(3700, 0); // pool A rolls, pool B stays
    const beforeA = await f.agent.position(a.poolId);
    const beforeB = await f.agent.position(b.poolId);
    const hedgeBefore = await f.agent.hedge();
    expect(beforeA.rolls).toBe(1);

    tell(f.agent.refs.positions.get(a.poolId)!, { type: 'snapshot', snapshot: poison(a.poolId) });
    await f.settle();

    const afterA = await f.agent.position(a.poolId);
    expect(afterA).toEqual(beforeA); // restarted from its checkpoint: same range, rolls, entry, fees
    expect(await f.agent.position(b.poolId)).toEqual(beforeB);
    const hedgeAfter = await f.agent.hedge();
    expect(hedgeAfter.assets['ETH']!.target).toBe(hedgeBefore.assets['ETH']!.target);
    const risk = await f.agent.risk();
    expect(risk.reason).toBeNull();
    expect(risk.status).toBe('running');
    expect(risk.restarts).toBe(1);
    expect(risk.alerts.some((x) => x.severity === 'warning' && /crashed/.test(x.message))).toBe(true);

    // and it still works
    await f.move(4400, 0);
    expect((await f.agent.position(a.poolId)).rolls).toBe(2);
  });

  it('a crash loop halts the agent and raises a critical alert', async () => {
    f = await startFixture();
    const pool = f.pools[0]!;
    await f.move(3000);
    for (let i = 0; i < 3; i++) {
      tell(f.agent.refs.positions.get(pool.poolId)!, { type: 'snapshot', snapshot: poison(pool.poolId) });
      await f.settle();
    }
    const risk = await f.agent.risk();
    expect(risk.status).toBe('halted');
    expect(risk.reason).toMatch(/crash loop/);
    expect(risk.alerts.some((x) => x.severity === 'critical' && /crash loop/.test(x.message))).toBe(true);
    expect(f.agent.killSwitch.halted).toBe(true);
  });
});

describe('faults leave the system running and reported', () => {
  it('margin short: the part the free margin carries is hedged, the rest refused with a reason, nothing crashes', async () => {
    // exposure limit off: with almost nothing at the venue the LP is ~100% of equity
    f = await startFixture({ venueBalance: 300, settings: { limits: { maxDrawdown: 0.15, maxExposure: 1, maxIL: 0.2, stopLoss: 0.25, maxPositionSize: 1_000_000 } } });
    await f.move(3000);
    const ex = await f.agent.exchange(VENUE_ID);
    // one partial hedge (about 294 USDT of margin at 3x), then refusals: nothing is left free
    expect(f.venue.fills).toHaveLength(1);
    expect(Math.abs(f.venue.fills[0]!.amount * f.venue.fills[0]!.price)).toBeLessThan(300 * 3);
    expect(ex.rejections.some((r) => /Insufficient margin/.test(r.reason))).toBe(true);
    const hedge = await f.agent.hedge();
    expect(hedge.assets['ETH']!.withinBand).toBe(false);
    expect(hedge.assets['ETH']!.lastRejection).toMatch(/Insufficient margin/);
    expect(hedge.status).toBe('running');
    expect((await f.agent.risk()).status).toBe('running');
  });

  it('exchange error: reported, then the same intent is retried with the same client order id and placed once', async () => {
    const venue = newVenue();
    venue.paper.failNext('network', 1, 'createOrder'); // the first hedge order (sent during start-up) fails
    f = await startFixture({ venue });
    await f.move(3000);
    const ex = await f.agent.exchange(VENUE_ID);
    expect(ex.errors).toBe(1);
    expect(ex.lastError).toMatch(/injected network fault on createOrder/);
    expect(ex.status).toBe('running');
    // the failed intent was retried with the same client order id, and placed exactly once
    expect(f.venue.attempts.length).toBeGreaterThanOrEqual(2);
    expect(f.venue.attempts[1]).toBe(f.venue.attempts[0]);
    expect(f.venue.fills.filter((o) => o.clientOrderId === f!.venue.attempts[0])).toHaveLength(1);
    expect(new Set(f.venue.fills.map((o) => o.clientOrderId)).size).toBe(f.venue.fills.length);
    const hedge = await f.agent.hedge();
    expect(hedge.assets['ETH']!.withinBand).toBe(true);
    expect(hedge.assets['ETH']!.rejections).toBe(1);
  });

  it('RPC error during start-up reconciliation: nothing is minted blind; it reconciles and mints once on the next block', async () => {
    const pools = [poolDescriptor(0)];
    const chain = newChain(pools);
    chain.failNext('ownedPositions');
    f = await startFixture({ chain });
    let pos = await f.agent.position(pools[0]!.poolId);
    expect(pos.status).toBe('starting');
    expect(pos.lastError).toMatch(/reconciliation: SimulatedRpcError/);
    expect(chain.transactions).toHaveLength(0);
    await f.move(3000);
    pos = await f.agent.position(pools[0]!.poolId);
    expect(pos.status).toBe('running');
    expect(chain.transactions.map((t) => t.op)).toEqual(['mint']);
    await f.move(3001);
    expect(chain.transactions.map((t) => t.op)).toEqual(['mint']);
  });

  it('a failed first mint is retried on the next snapshot, once', async () => {
    const pools = [poolDescriptor(0)];
    const chain = newChain(pools);
    chain.failNext('mint');
    f = await startFixture({ chain });
    expect((await f.agent.position(pools[0]!.poolId)).lastError).toMatch(/first mint/);
    expect(chain.transactions).toHaveLength(0);
    await f.move(3000);
    await f.move(3002);
    expect(chain.transactions.map((t) => t.op)).toEqual(['mint']);
    expect((await chain.ownedPositions(pools[0]!.poolId))).toHaveLength(1);
  });

  it('RPC error on a roll: reported, the position keeps running and rolls on the next event', async () => {
    f = await startFixture();
    const pool = f.pools[0]!;
    await f.move(3000);
    f.chain.failNext('roll');
    await f.move(3700);
    let pos = await f.agent.position(pool.poolId);
    expect(pos.rolls).toBe(0);
    expect(pos.errors).toBe(1);
    expect(pos.lastError).toMatch(/roll: SimulatedRpcError/);
    expect(pos.status).toBe('running');
    await f.move(3710);
    pos = await f.agent.position(pool.poolId);
    expect(pos.rolls).toBe(1);
    expect((await f.agent.risk()).restarts).toBe(0);
  });
});
