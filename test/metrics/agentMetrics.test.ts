/**
 * The metrics a running agent exposes: gauges set from its feed (simulated chain, paper venue),
 * and the instrumented venue counting and timing calls with their outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentMetrics } from '../../src/api/metrics/agentMetrics.js';
import { MetricsFromFeed } from '../../src/api/metrics/metricsFromFeed.js';
import { instrumentVenue } from '../../src/adapters/exchange/instrumentedVenue.js';
import { startFixture, newVenue, SYMBOL, type Fixture } from '../actors/support/fixture.js';

describe('agent metrics', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('sets position, hedge and risk gauges from the feed, and counts a halt once', async () => {
    const m = new AgentMetrics({ defaultMetrics: false });
    const feed = new MetricsFromFeed(m);
    const sub = feed.attach(f.agent.feed.changes$);
    for (const e of f.agent.feed.snapshot()) feed.onEvent(e);
    await f.move(3050);
    await f.agent.halt('drill', 'test');
    await f.settle();
    sub.unsubscribe();
    const text = (await m.exposition()).body;
    const state = await f.agent.position(f.pools[0]!.poolId);
    expect(text).toContain(`rangekeeper_position_value_usd{pool="${state.poolId}"} ${state.valueUsd}`);
    expect(text).toMatch(/rangekeeper_hedge_target\{asset="ETH",symbol="ETH\/USDT:USDT"\} -?\d/);
    expect(text).toContain('rangekeeper_halted 1');
    expect(text).toContain('rangekeeper_halts_total 1');
  });

  it('counts and times venue calls by method and outcome', async () => {
    const m = new AgentMetrics({ defaultMetrics: false });
    const venue = newVenue();
    const v = instrumentVenue(venue, { call: (id, method, ok, s) => m.venueRequests.observe({ venue: id, method, outcome: ok ? 'ok' : 'error' }, s) });
    await v.loadMarkets();
    await v.fetchBalance();
    await expect(v.createOrder({ clientOrderId: 'x', symbol: 'NOPE/USDT:USDT', side: 'buy', amount: 1, type: 'market' })).rejects.toThrow();
    const text = (await m.exposition()).body;
    expect(text).toContain('rangekeeper_venue_request_seconds_count{venue="paper",method="loadMarkets",outcome="ok"} 1');
    expect(text).toContain('rangekeeper_venue_request_seconds_count{venue="paper",method="createOrder",outcome="error"} 1');
    expect(SYMBOL).toBe('ETH/USDT:USDT');
    await v.close();
  });
});
