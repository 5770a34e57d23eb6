/**
 * One strategy on one market path: the configuration (raw, as read from its file, validated
 * here) backtested through the public runner (backtestRun.ts: the live agent's actor tree on a
 * virtual clock) over the path, reduced to what compare and sweep pair and aggregate. Runs in a
 * worker thread (pathWorker.ts) or in the calling thread alike.
 */
import { parseConfig } from '../config/loadConfig.js';
import { createLogger } from '../logging/logger.js';
import type { PerformanceMetrics } from '../math/performance.js';
import { backtest } from './backtestRun.js';
import { openPath, type PathSpec } from './marketPaths.js';
import type { PathOutcome } from './researchResultSchema.js';

export interface PathTask {
  /** The configuration object as read from its file (readConfigFile), overrides applied. */
  config: unknown;
  /** Where it came from, for error messages. */
  source: string;
  path: PathSpec;
  gasGwei: number;
}

export interface PathRunResult {
  outcome: PathOutcome;
  metrics: PerformanceMetrics | null;
}

export async function runPath(task: PathTask): Promise<PathRunResult> {
  const cfg = parseConfig(task.config, task.source);
  const log = createLogger({ level: cfg.log.level, destination: process.stderr });
  const window = await openPath(task.path);
  const report = await backtest({ cfg, windows: [window], log, gasPriceWei: BigInt(Math.round(task.gasGwei * 1e9)) });
  const w = report.windows[0]!;
  return {
    outcome: {
      totalReturn: w.pnl.total / w.startEquityUsd,
      pnlUsd: w.pnl.total,
      feesUsd: w.pnl.fees,
      lvrUsd: w.lvr.realizedUsd,
      rolls: w.rolls.length,
      sharpeRatio: w.metrics?.sharpeRatio ?? null,
      maxDrawdown: w.metrics?.maxDrawdown ?? null,
    },
    metrics: w.metrics,
  };
}
