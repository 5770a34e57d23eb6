/**
 * The market's typical step, and the agent's clock-only timers at most once per step. Those timers
 * (the reference re-read, the gas poll, the venue sync; see actors/agent.ts) exist for what moves
 * with time alone between market events; live they fire every few seconds. On minute bars they
 * fired about 22 times a bar, each turn of the position, hedge and risk actors seeing the same
 * market as the turn before. A backtest runs them at the larger of their configured period and the
 * market's typical step unless its configuration says `backtest.timers: configured`: the strategy,
 * its decisions and the actors that take them are unchanged, only how often the agent re-looks at
 * an unchanged market between two steps.
 */
import type { AgentSettings } from '../actors/agent.js';
import { referenceRereadMs } from '../actors/position/referenceGuard.js';
import type { BacktestMarket } from './backtestMarket.js';

/** The market's typical step, ms: the median gap of its first 2,000 steps (60 s with fewer than two). */
export function medianStepMs(market: BacktestMarket): number {
  const s = market.steps;
  if (s.length < 2) return 60_000;
  const gaps: number[] = [];
  for (let i = 1; i < Math.min(s.length, 2001); i++) gaps.push(s[i]!.time - s[i - 1]!.time);
  gaps.sort((a, b) => a - b);
  return Math.max(1, gaps[Math.floor(gaps.length / 2)]!);
}

/** `settings` with the reference re-read, the gas poll and the venue sync each at most once per `stepMs` (a timer that is off stays off). */
export function timersPerStep(settings: AgentSettings, stepMs: number): AgentSettings {
  const atMostOncePerStep = (ms: number): number => (ms > 0 ? Math.max(ms, stepMs) : ms);
  return {
    ...settings,
    gasPollMs: atMostOncePerStep(settings.gasPollMs),
    venueSyncMs: atMostOncePerStep(settings.venueSyncMs),
    pools: settings.pools.map((p) => ({ ...p, reference: { ...p.reference, rereadMs: atMostOncePerStep(referenceRereadMs(p.reference)) } })),
  };
}
