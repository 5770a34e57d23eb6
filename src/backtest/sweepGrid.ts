/**
 * `rangekeeper sweep`: every point of a parameter grid (parameterGrid.ts) backtested through the
 * public runner on the same market paths, on worker threads. Each row is one configuration: the
 * mean and sd of its per-path total returns and their ratio (the per-path Sharpe ratio), which
 * ranks the rows. Picking the best of many overstates it, so the best row carries its deflated
 * Sharpe ratio (Bailey & López de Prado 2014; math/deflatedSharpe.ts) over the number of rows
 * tried, and a warning saying what it means.
 */
import { randomUUID } from 'node:crypto';
import { deflatedSharpe } from '../math/deflatedSharpe.js';
import type { CompareArm } from './compareStrategies.js';
import type { PathSet } from './marketPaths.js';
import { gridPoints, withValue, type GridParameter } from './parameterGrid.js';
import type { PathTask } from './pathRun.js';
import { runPathTasks } from './pathPool.js';
import { armFrom } from './researchArm.js';
import { RESEARCH_SCHEMA_VERSION, type SweepResult, type SweepRow } from './researchResultSchema.js';
import { aggregateMetrics, strategyConfigInfo } from './strategyMetrics.js';

export interface SweepOptions {
  base: CompareArm;
  parameters: readonly GridParameter[];
  paths: PathSet;
  gasGwei: number;
  workers: number;
  onProgress?: (done: number, total: number) => void;
}

/** The grid's configurations, each validated (a bad value is the configuration schema's error). */
export function sweepArms(base: CompareArm, parameters: readonly GridParameter[]): { params: Record<string, number>; arm: CompareArm }[] {
  return gridPoints(parameters).map((params) => {
    const raw = Object.entries(params).reduce<unknown>((r, [name, v]) => withValue(r, name, v), base.raw);
    const label = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
    return { params, arm: armFrom(label, `${base.file ?? base.name} with ${label}`, raw) };
  });
}

export async function sweep(o: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const arms = sweepArms(o.base, o.parameters);
  const tasks: PathTask[] = arms.flatMap(({ arm }) => o.paths.paths.map((path) => ({ config: arm.raw, source: arm.file ?? arm.name, path, gasGwei: o.gasGwei })));
  const results = await runPathTasks(tasks, { workers: o.workers, ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }) });
  const n = o.paths.paths.length;
  const rows: SweepRow[] = arms.map(({ params }, k) => {
    const rs = results.slice(k * n, (k + 1) * n);
    const returns = rs.map((r) => r.outcome.totalReturn);
    const meanReturn = returns.reduce((s, x) => s + x, 0) / n;
    const sdReturn = Math.sqrt(returns.reduce((s, x) => s + (x - meanReturn) ** 2, 0) / (n - 1));
    return { params, metrics: aggregateMetrics(rs), meanReturn, sdReturn, sharpe: sdReturn > 0 ? meanReturn / sdReturn : null, perPath: rs.map((r) => r.outcome) };
  });
  return {
    kind: 'sweep',
    schemaVersion: RESEARCH_SCHEMA_VERSION,
    sweepId: randomUUID(),
    timestamp: Date.now(),
    metric: 'totalReturn',
    baseConfig: strategyConfigInfo(o.base.name, o.base.file, o.base.cfg),
    paths: o.paths.info,
    parameters: o.parameters.map((p) => ({ name: p.name, values: [...p.values] })),
    rows,
    best: bestOf(rows),
    workers: o.workers,
    elapsedMs: performance.now() - started,
  };
}

/** The row with the highest per-path Sharpe ratio, deflated by the number of rows tried. */
export function bestOf(rows: readonly SweepRow[]): SweepResult['best'] {
  const ranked = rows.map((r, i) => ({ i, s: r.sharpe })).filter((x): x is { i: number; s: number } => x.s !== null);
  if (ranked.length === 0) return null;
  const best = ranked.reduce((a, b) => (b.s > a.s ? b : a));
  const row = rows[best.i]!;
  const label = Object.entries(row.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const dsr = deflatedSharpe(row.perPath.map((p) => p.totalReturn), ranked.map((x) => x.s));
  const verdict = dsr.probability >= 0.95
    ? 'it stays significant after the number of configurations tried'
    : 'it may be luck: confirm it with `rangekeeper compare` against your current configuration on fresh paths (other seeds or other windows) before trusting it';
  const warning = `best of ${rows.length} configurations: ${label}, per-path Sharpe ${best.s.toFixed(3)} over ${row.perPath.length} paths. `
    + `Picking the best of ${ranked.length} overstates it: ${ranked.length} configurations without any edge would show a best Sharpe of about ${dsr.expectedMaxSharpe.toFixed(3)} by luck; `
    + `deflated Sharpe ratio (Bailey & López de Prado) = ${dsr.probability.toFixed(3)}, the confidence that its Sharpe ratio is real (above zero) once that selection is accounted for: ${verdict}.`;
  return { index: best.i, deflatedSharpe: dsr, warning };
}
