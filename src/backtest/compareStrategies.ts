/**
 * `rangekeeper compare`: two strategy configurations on the same market paths, paired path by
 * path. Each path's quantity is its total return (end equity / start equity - 1); the decision
 * is on the differences A - B (math/pairedComparison.ts: paired t-test, stationary block
 * bootstrap interval, Cohen's d_z). The result is the spec's ABTestResult
 * (researchResultSchema.ts).
 */
import { randomUUID } from 'node:crypto';
import type { AgentConfig } from '../config/schema.js';
import { comparePaired } from '../math/pairedComparison.js';
import type { PathSet } from './marketPaths.js';
import type { PathTask } from './pathRun.js';
import { runPathTasks } from './pathPool.js';
import { RESEARCH_SCHEMA_VERSION, type CompareResult } from './researchResultSchema.js';
import { aggregateMetrics, strategyConfigInfo } from './strategyMetrics.js';

export interface CompareArm {
  name: string;
  file: string | null;
  /** As read from the file (workers validate it again). */
  raw: unknown;
  /** Validated. */
  cfg: AgentConfig;
}

export interface CompareOptions {
  a: CompareArm;
  b: CompareArm;
  paths: PathSet;
  alpha: number;
  /** Block length of the bootstrap and the t-test's batches (1 for independent paths). */
  blockLength: number;
  resamples: number;
  seed: number;
  gasGwei: number;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The block length a path set is compared with by default: 1 for independent seeded paths, round(sqrt(n)) for windows of one history. */
export function defaultBlockLength(paths: PathSet): number {
  return paths.info.kind === 'synthetic' ? 1 : Math.max(1, Math.min(Math.floor(paths.info.count / 2), Math.round(Math.sqrt(paths.info.count))));
}

export async function compareStrategies(o: CompareOptions): Promise<CompareResult> {
  // A and B of one path side by side, so both workers finish paths at the same pace
  const tasks: PathTask[] = o.paths.paths.flatMap((path) => [o.a, o.b].map((arm) => ({ config: arm.raw, source: arm.file ?? arm.name, path, gasGwei: o.gasGwei })));
  const results = await runPathTasks(tasks, { ...(o.workers === undefined ? {} : { workers: o.workers }), ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }) });
  const ra = results.filter((_, i) => i % 2 === 0);
  const rb = results.filter((_, i) => i % 2 === 1);
  const d = ra.map((r, i) => r.outcome.totalReturn - rb[i]!.outcome.totalReturn);
  const c = comparePaired(d, { alpha: o.alpha, blockLength: o.blockLength, resamples: o.resamples, seed: o.seed });
  const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
  const ci = `${(1 - o.alpha) * 100}% CI of mean(A - B) [${pct(c.interval.lower)}, ${pct(c.interval.upper)}]`;
  const text = c.verdict === 'A_BETTER'
    ? `prefer A (${o.a.name}): its total return is higher by ${pct(c.test.meanDifference)} per path on average (p = ${c.test.pValue!.toPrecision(3)}, ${ci})`
    : c.verdict === 'B_BETTER'
      ? `prefer B (${o.b.name}): its total return is higher by ${pct(-c.test.meanDifference)} per path on average (p = ${c.test.pValue!.toPrecision(3)}, ${ci})`
      : `no significant difference at alpha ${o.alpha} over ${d.length} paths (${c.test.pValue === null ? 'the differences have no spread' : `p = ${c.test.pValue.toPrecision(3)}`}, ${ci}): keep the current strategy or test on more paths`;
  return {
    kind: 'compare',
    schemaVersion: RESEARCH_SCHEMA_VERSION,
    testId: randomUUID(),
    timestamp: Date.now(),
    metric: 'totalReturn',
    paths: o.paths.info,
    strategyA: { config: strategyConfigInfo(o.a.name, o.a.file, o.a.cfg), metrics: aggregateMetrics(ra), perPath: ra.map((r) => r.outcome) },
    strategyB: { config: strategyConfigInfo(o.b.name, o.b.file, o.b.cfg), metrics: aggregateMetrics(rb), perPath: rb.map((r) => r.outcome) },
    statisticalSignificance: {
      test: 'paired-t', batchLength: c.test.batchLength, t: c.test.t, degreesOfFreedom: c.test.degreesOfFreedom,
      pValue: c.test.pValue, alpha: c.test.alpha, significant: c.test.significant,
    },
    confidenceInterval: {
      method: 'stationary-block-bootstrap', blockLength: c.interval.blockLength, confidence: c.interval.confidence,
      estimate: c.interval.estimate, lower: c.interval.lower, upper: c.interval.upper, resamples: c.interval.resamples, seed: c.interval.seed,
    },
    effectSize: { meanDifference: c.test.meanDifference, sdDifference: c.test.sdDifference, cohensDz: c.test.cohensDz },
    recommendation: { verdict: c.verdict, text },
  };
}
