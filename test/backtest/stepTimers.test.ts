/**
 * A backtest runs the agent's clock-only timers (reference re-read, gas poll, venue sync) at most
 * once per market step by default (src/backtest/stepTimers.ts); a live agent keeps its periods.
 * On the example day's minute bars the agent ends with the same books to the cent either way: the
 * re-looks between two bars see an unchanged market.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/actors/core/virtualClock.js';
import { referenceRereadMs } from '../../src/actors/position/referenceGuard.js';
import { barsMarket } from '../../src/backtest/backtestMarket.js';
import { backtestVenue } from '../../src/backtest/backtestRun.js';
import { DEFAULT_BACKTEST_CONFIG } from '../../src/backtest/defaultConfig.js';
import { readMinuteBarsCsv } from '../../src/backtest/minuteBarsCsv.js';
import { runBacktest } from '../../src/backtest/runBacktest.js';
import { medianStepMs, timersPerStep } from '../../src/backtest/stepTimers.js';
import { agentSettings, parseUnits } from '../../src/config/agentSettings.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createLogger } from '../../src/logging/logger.js';
import { EXAMPLE_MINUTE_BARS } from '../support/sharedData.js';

const POOL = `0x${'ba'.repeat(32)}`;

/** A VirtualClock that counts the timers it fired. */
class CountingClock extends VirtualClock {
  fired = 0;
  override setTimer(delayMs: number, fire: () => void): () => void {
    return super.setTimer(delayMs, () => {
      this.fired++;
      fire();
    });
  }
}

describe('the agent\'s clock-only timers in a backtest', () => {
  it('live defaults are unchanged; a backtest raises each to the market step, keeps longer ones and leaves an off timer off', () => {
    const cfg = parseConfig(DEFAULT_BACKTEST_CONFIG, 'test');
    expect(cfg.backtest.timers).toBe('step');
    const live = agentSettings(parseConfig({ ...DEFAULT_BACKTEST_CONFIG, reference: {} }, 'test'), [POOL]);
    expect({ reread: referenceRereadMs(live.pools[0]!.reference), gas: live.gasPollMs, sync: live.venueSyncMs }).toEqual({ reread: 5_000, gas: 15_000, sync: 10_000 });
    const perMinute = timersPerStep(live, 60_000);
    expect({ reread: referenceRereadMs(perMinute.pools[0]!.reference), gas: perMinute.gasPollMs, sync: perMinute.venueSyncMs }).toEqual({ reread: 60_000, gas: 60_000, sync: 60_000 });
    const slow = agentSettings(parseConfig({ ...DEFAULT_BACKTEST_CONFIG, reference: { rereadMs: 300_000 }, gasPollMs: 0, venueSyncMs: 120_000 }, 'test'), [POOL]);
    const kept = timersPerStep(slow, 60_000);
    expect({ reread: referenceRereadMs(kept.pools[0]!.reference), gas: kept.gasPollMs, sync: kept.venueSyncMs }).toEqual({ reread: 300_000, gas: 0, sync: 120_000 });
  });

  it('on two hours of minute bars: about one firing of each a step instead of 22, and the same books to the cent', async () => {
    const bars = (await readMinuteBarsCsv([EXAMPLE_MINUTE_BARS])).slice(0, 120);
    const cfg = parseConfig(DEFAULT_BACKTEST_CONFIG, 'test');
    const settings = agentSettings(cfg, [POOL]);
    const p = cfg.pools[0]!;
    const run = async (timers: 'step' | 'configured'): Promise<{ fired: number; pnl: Record<string, number>; rolls: number }> => {
      const clock = new CountingClock(bars[0]!.time);
      const balances = { [p.token0.symbol]: parseUnits(p.deposit.amount0, p.token0.decimals), [p.token1.symbol]: parseUnits(p.deposit.amount1, p.token1.decimals) };
      const market = barsMarket(bars, { desc: settings.pools[0]!.pool, balances, gasPriceWei: 30_000_000_000n, now: () => clock.now() });
      expect(medianStepMs(market)).toBe(60_000);
      const r = await runBacktest({ settings, market, clock, venue: backtestVenue(cfg), log: createLogger({ level: 'silent' }), timers });
      return { fired: clock.fired, pnl: r.pnl as unknown as Record<string, number>, rolls: r.rolls.length };
    };
    const step = await run('step');
    const configured = await run('configured');
    // reference re-read, gas poll and venue sync once a bar, after it (those due at the last bar's end do not fire), plus a hedge's paced re-check now and then
    expect(step.fired).toBeGreaterThanOrEqual(3 * (bars.length - 1));
    expect(step.fired / bars.length).toBeLessThan(3.5);
    // live periods: 12 re-reads, 4 gas polls and 6 venue syncs a minute
    expect(configured.fired / bars.length).toBeGreaterThan(21);
    expect(step.rolls).toBe(configured.rolls);
    for (const k of Object.keys(configured.pnl)) expect(step.pnl[k], k).toBeCloseTo(configured.pnl[k]!, 2);
  }, 120_000);
});
