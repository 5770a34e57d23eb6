/**
 * Hedge effectiveness (hedged vs unhedged PnL) with funding counted in the hedge's PnL: on the
 * paper venue, a price move leaves the hedged PnL a fraction of the unhedged one, and the funding
 * the paper venue settles on the short reaches the hedge's effectiveness as the venue booked it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { settings, startFixture, VENUE_ID, type Fixture } from './support/fixture.js';

let f: Fixture | null = null;
afterEach(async () => {
  await f?.stop();
  f = null;
});

describe('hedge effectiveness', () => {
  it('the hedge offsets most of the LP delta PnL, and settled funding is part of the hedge PnL', async () => {
    f = await startFixture({ settings: { hedge: { ...settings([]).hedge, fundingPollMs: 0 } } });
    await f.move(2950);
    await f.move(2900);
    const before = (await f.agent.hedge()).assets['ETH']!;
    const e = before.effectiveness;
    expect(e.unhedgedPnl).toBeLessThan(0); // the LP is long ETH and ETH fell
    expect(e.hedgePricePnl).toBeGreaterThan(0); // the short gained
    expect(Math.abs(e.hedgedPnl)).toBeLessThan(0.5 * Math.abs(e.unhedgedPnl));
    expect(e.ratio!).toBeGreaterThan(0.5);

    // funding settles on the paper venue (positive default rate: the short receives)
    const received = -f.venue.paper.settleFunding(Date.now() + 8 * 3600 * 1000);
    expect(received).toBeGreaterThan(0);
    await f.agent.syncHedges();
    await f.settle();
    const after = (await f.agent.hedge()).assets['ETH']!.effectiveness;
    const ex = await f.agent.exchange(VENUE_ID);
    expect(ex.funding.total).toBeCloseTo(received, 9);
    expect(after.funding).toBeCloseTo(received, 9);
    expect(after.hedgePnl).toBeCloseTo(after.hedgePricePnl + received, 9);
    expect(after.hedgedPnl).toBeCloseTo(after.unhedgedPnl + after.hedgePnl, 9);
  });
});
