/**
 * One strategy's results over many paths reduced to the spec's PerformanceMetrics (each field the
 * mean over the paths where it is defined; null where it is defined on none), and the
 * strategy-defining part of its configuration as the result files record it (with the paper
 * venue's fees and slippage, which the hedge's costs depend on).
 */
import type { AgentConfig } from '../config/schema.js';
import type { PerformanceMetrics } from '../math/performance.js';
import { backtestVenue } from './backtestRun.js';
import type { PathRunResult } from './pathRun.js';
import type { StrategyConfigInfo, StrategyMetrics } from './researchResultSchema.js';

function meanOf(values: readonly (number | null | undefined)[]): number | null {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? null : s / n;
}

export function aggregateMetrics(results: readonly PathRunResult[]): StrategyMetrics {
  const m = (f: (x: PerformanceMetrics) => number | null): number | null => meanOf(results.map((r) => (r.metrics === null ? null : f(r.metrics))));
  return {
    totalReturn: meanOf(results.map((r) => r.outcome.totalReturn)) ?? 0,
    sharpeRatio: m((x) => x.sharpeRatio),
    sortinoRatio: m((x) => x.sortinoRatio),
    calmarRatio: m((x) => x.calmarRatio),
    maxDrawdown: m((x) => x.maxDrawdown) ?? 0,
    volatility: m((x) => x.volatility) ?? 0,
    winRate: m((x) => x.winRate),
    avgTradeDuration: m((x) => x.avgTradeDuration),
    avgPnLPerTrade: m((x) => x.avgPnLPerTrade),
  };
}

export function strategyConfigInfo(name: string, file: string | null, cfg: AgentConfig): StrategyConfigInfo {
  return {
    name, file,
    strategy: { ...cfg.strategy },
    hedge: { ...Object.fromEntries(Object.entries(cfg.hedge).filter(([k]) => k !== 'venues')), paper: backtestVenue(cfg) },
    risk: { ...cfg.risk },
  };
}
