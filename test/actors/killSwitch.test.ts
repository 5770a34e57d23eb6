import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { RiskState } from '../../src/actors/risk/riskSupervisor.js';
import { startFixture, VENUE_ID, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('kill switch', () => {
  it('a drawdown breach halts every child; no roll and no order follow until an explicit resume', async () => {
    f = await startFixture();
    await f.move(3000);
    const txs = f.chain.transactions.length;
    const orders = f.venue.fills.length;
    await f.move(2100); // -30%: LP loses far more than 15% of equity
    const risk = await f.agent.risk();
    expect(risk.status).toBe('halted');
    expect(risk.reason).toMatch(/drawdown|IL|stop loss/);
    expect(risk.alerts.some((a) => a.severity === 'critical')).toBe(true);
    const pos = await f.agent.position(f.pools[0]!.poolId);
    expect(pos.status).toBe('halted');
    expect((await f.agent.hedge()).status).toBe('halted');
    expect((await f.agent.exchange(VENUE_ID)).status).toBe('halted');
    expect(f.venue.cancelCalls).toBeGreaterThan(0);
    const afterHalt = { txs: f.chain.transactions.length, orders: f.venue.fills.length };
    for (const p of [1900, 2500, 3300, 2000]) await f.move(p);
    expect(f.chain.transactions.length).toBe(afterHalt.txs);
    expect(f.venue.fills.length).toBe(afterHalt.orders);
    expect(afterHalt.txs).toBeGreaterThanOrEqual(txs);
    expect(orders).toBeGreaterThan(0);

    const resumed = await f.agent.resume('operator');
    expect(resumed.status).toBe('running');
    await f.move(2000);
    const after = await f.agent.position(f.pools[0]!.poolId);
    expect(after.status).toBe('running');
    expect(f.venue.fills.length + f.chain.transactions.length).toBeGreaterThan(afterHalt.orders + afterHalt.txs);
  });

  it('a halt the supervisor recorded before a restart reaches every child after it, even children checkpointed as running', async () => {
    f = await startFixture();
    await f.move(3000);
    const { chain, venue, store } = f;
    await f.agent.stop();
    // the supervisor's halt reached its checkpoint, the children's did not (stopped in between)
    const key = 'agent/test/actors/risk';
    const saved = (await store.get<RiskState>(key))!.value;
    expect(saved.status).toBe('running');
    await store.put(key, { ...saved, status: 'halted', reason: 'operator halt before restart', haltedBy: 'operator' });
    f = await startFixture({ chain, venue, store });
    const pos = await f.agent.position(f.pools[0]!.poolId);
    expect(pos.status).toBe('halted');
    expect(pos.haltReason).toBe('operator halt before restart');
    const hedge = await f.agent.hedge();
    expect(hedge.status).toBe('halted');
    expect(hedge.haltReason).toBe('operator halt before restart');
    const exchange = await f.agent.exchange(VENUE_ID);
    expect(exchange.status).toBe('halted');
    expect(exchange.haltReason).toBe('operator halt before restart');
    const before = { txs: chain.transactions.length, orders: venue.fills.length };
    for (const p of [3600, 2400]) await f.move(p);
    expect({ txs: chain.transactions.length, orders: venue.fills.length }).toEqual(before);
  });

  it('manual halt and resume; halt with unwind withdraws liquidity and flattens hedges', async () => {
    f = await startFixture({ settings: { halt: { flattenHedges: true, withdrawLiquidity: true, maxCrashes: 3, crashWindowMs: 60_000 } } });
    await f.move(3000);
    expect((await f.venue.fetchPositions())[0]!.size).toBeLessThan(0);
    const halted = await f.agent.halt('operator pressed stop', 'operator');
    expect(halted).toMatchObject({ status: 'halted', reason: 'operator pressed stop', haltedBy: 'operator' });
    await f.settle();
    const pos = await f.agent.position(f.pools[0]!.poolId);
    expect(pos.status).toBe('halted');
    expect(pos.position).toBeNull();
    expect(f.chain.transactions.at(-1)!.op).toBe('withdraw');
    expect(await f.venue.fetchPositions()).toEqual([]);
    await f.move(3700);
    expect((await f.agent.position(f.pools[0]!.poolId)).rolls).toBe(0);

    await f.agent.resume('operator');
    await f.move(3700);
    const back = await f.agent.position(f.pools[0]!.poolId);
    expect(back.status).toBe('running');
    expect(back.position).not.toBeNull(); // redeployed from the withdrawn tokens
    expect((await f.venue.fetchPositions())[0]!.size).toBeLessThan(0);
  });

  it('property: after a halt (manual or breach) no order and no transaction leaves until resume', async () => {
    type Ev = { kind: 'move'; price: number } | { kind: 'halt' } | { kind: 'resume' } | { kind: 'pool-only'; price: number };
    const ev: fc.Arbitrary<Ev> = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1800, max: 4200 }).map((price) => ({ kind: 'move' as const, price })) },
      { weight: 2, arbitrary: fc.integer({ min: 1800, max: 4200 }).map((price) => ({ kind: 'pool-only' as const, price })) },
      { weight: 2, arbitrary: fc.constant({ kind: 'halt' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'resume' as const }) },
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(ev, { minLength: 3, maxLength: 14 }), async (events) => {
        runs += 1;
        const fx = await startFixture();
        try {
          let halted = false;
          let frozen = { txs: 0, orders: 0 };
          const check = async (): Promise<void> => {
            const risk = await fx.agent.risk();
            if (risk.status === 'halted' && !halted) {
              halted = true;
              frozen = { txs: fx.chain.transactions.length, orders: fx.venue.fills.length };
            }
            if (halted) {
              expect(fx.chain.transactions.length).toBe(frozen.txs);
              expect(fx.venue.fills.length).toBe(frozen.orders);
            }
          };
          for (const e of events) {
            if (e.kind === 'halt') {
              const before = { txs: fx.chain.transactions.length, orders: fx.venue.fills.length };
              await fx.agent.halt('test halt', 'property');
              if (!halted) {
                halted = true;
                frozen = before;
              }
            } else if (e.kind === 'resume') {
              await fx.agent.resume('property');
              await fx.settle();
              halted = false;
            } else if (e.kind === 'move') {
              await fx.move(e.price);
            } else {
              fx.chain.setPrice(fx.pools[0]!.poolId, e.price);
              await fx.settle();
            }
            await check();
          }
        } finally {
          await fx.stop();
        }
      }),
      { numRuns: 40, seed: 20261124 },
    );
    expect(runs).toBe(40);
  });
});
