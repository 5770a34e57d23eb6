/**
 * The capital baseline (the equity PnL and the stop loss are measured against) is fixed at the
 * first complete equity measurement: every pool and every configured venue reported. With two
 * venues it must wait for the second (issue 9: `expectedVenues: 1` was hard-coded, so the
 * baseline was fixed before the second venue reported and its equity later showed as profit).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { RecordingVenue } from './support/recordingVenue.js';
import { SYMBOL, startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('capital baseline with two venues', () => {
  it('waits until the second venue has reported, then counts both', async () => {
    const second = new RecordingVenue({ id: 'paper-2', balance: 7_000, symbols: [{ symbol: SYMBOL, base: 'ETH', price: 3000 }] }, { logger: createLogger({ level: 'silent' }) });
    // the second venue's first balance read fails: it has not reported when the pools first do
    second.paper.failNext('unavailable', 1, 'fetchBalance');
    f = await startFixture({ extraVenues: [second] });
    await f.move(3000);
    let risk = await f.agent.risk();
    expect(Object.keys(risk.venues)).toEqual(['paper']);
    expect(risk.capitalUsd).toBeNull();
    expect(risk.status).toBe('running');

    await f.agent.syncHedges(); // the second venue answers now
    await f.settle();
    risk = await f.agent.risk();
    expect(Object.keys(risk.venues).sort()).toEqual(['paper', 'paper-2']);
    const lp = Object.values(risk.positions).reduce((a, p) => a + p.valueUsd, 0);
    const venues = Object.values(risk.venues).reduce((a, v) => a + v.equityUsd, 0);
    expect(risk.capitalUsd).not.toBeNull();
    // the baseline holds both venues' equity (7,000 from the second), so no phantom profit appears
    expect(risk.capitalUsd!).toBeGreaterThan(lp + 20_000 + 7_000 - 200);
    expect(risk.capitalUsd!).toBeCloseTo(lp + venues, -2);
    expect(Math.abs(risk.pnlPercent)).toBeLessThan(0.005);
  });
});
