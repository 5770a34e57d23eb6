/**
 * The stored results of `rangekeeper compare` and `rangekeeper sweep` (researchResultStore.ts) as
 * the strategy-comparison endpoint shows them: one row per run, newest first, paged, with what a
 * reader decides on (each arm's mean return, Sharpe and drawdown; the paired test's p-value and the
 * bootstrap interval; the verdict; a sweep's best grid point with its deflated Sharpe and warning).
 * The full documents stay in their files (named in each row). A file that does not validate is
 * listed with why, never skipped silently.
 */
import { z } from 'zod';
import { readResearchResults } from '../../backtest/researchResultStore.js';
import type { CompareResult, ResearchResult, SweepResult } from '../../backtest/researchResultSchema.js';

const armSummary = z.object({
  name: z.string(),
  totalReturn: z.number().describe('mean over the paths of end / start equity - 1'),
  sharpeRatio: z.number().nullable(),
  maxDrawdown: z.number(),
});

const common = {
  id: z.string(),
  file: z.string(),
  timestamp: z.number().describe('ms since epoch, when the run finished'),
  paths: z.string().describe('the market paths it ran on'),
  pathCount: z.number().int(),
};

export const storedCompareSchema = z.object({
  kind: z.literal('compare'),
  ...common,
  strategyA: armSummary,
  strategyB: armSummary,
  pValue: z.number().nullable().describe('paired t-test of the per-path differences A - B'),
  significant: z.boolean(),
  confidenceInterval: z.object({ lower: z.number(), upper: z.number(), confidence: z.number() }).describe('block bootstrap of the mean difference A - B'),
  verdict: z.enum(['A_BETTER', 'B_BETTER', 'NO_SIGNIFICANT_DIFFERENCE']),
  recommendation: z.string(),
});

export const storedSweepSchema = z.object({
  kind: z.literal('sweep'),
  ...common,
  configs: z.number().int().describe('grid points tried'),
  best: z.object({
    params: z.record(z.string(), z.number()),
    meanReturn: z.number(),
    sharpe: z.number().nullable(),
    deflatedSharpeProbability: z.number().nullable().describe('P(true Sharpe above what the best of this many unskilled configs shows by luck)'),
    warning: z.string(),
  }).nullable(),
});

export const storedResearchSchema = z.object({
  dir: z.string().describe('the directory read (api.resultsDir)'),
  total: z.number().int().describe('readable results in the directory'),
  offset: z.number().int(),
  results: z.array(z.discriminatedUnion('kind', [storedCompareSchema, storedSweepSchema])),
  unreadable: z.array(z.object({ file: z.string(), error: z.string() })),
});
export type StoredResearch = z.infer<typeof storedResearchSchema>;

export const storedResearchQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('stored results per page (1..100, default 20)'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('stored results to skip (newest first)'),
}).strict();

function arm(a: CompareResult['strategyA']): z.infer<typeof armSummary> {
  return { name: a.config.name, totalReturn: a.metrics.totalReturn, sharpeRatio: a.metrics.sharpeRatio, maxDrawdown: a.metrics.maxDrawdown };
}

function compareRow(r: CompareResult, file: string): z.infer<typeof storedCompareSchema> {
  return {
    kind: 'compare', id: r.testId, file, timestamp: r.timestamp, paths: r.paths.description, pathCount: r.paths.count,
    strategyA: arm(r.strategyA), strategyB: arm(r.strategyB),
    pValue: r.statisticalSignificance.pValue, significant: r.statisticalSignificance.significant,
    confidenceInterval: { lower: r.confidenceInterval.lower, upper: r.confidenceInterval.upper, confidence: r.confidenceInterval.confidence },
    verdict: r.recommendation.verdict, recommendation: r.recommendation.text,
  };
}

function sweepRow(r: SweepResult, file: string): z.infer<typeof storedSweepSchema> {
  const best = r.best === null ? undefined : r.rows[r.best.index];
  return {
    kind: 'sweep', id: r.sweepId, file, timestamp: r.timestamp, paths: r.paths.description, pathCount: r.paths.count, configs: r.rows.length,
    best: r.best === null || best === undefined ? null : {
      params: best.params, meanReturn: best.meanReturn, sharpe: best.sharpe,
      deflatedSharpeProbability: r.best.deflatedSharpe?.probability ?? null, warning: r.best.warning,
    },
  };
}

function summary(r: ResearchResult, file: string): StoredResearch['results'][number] {
  return r.kind === 'compare' ? compareRow(r, file) : sweepRow(r, file);
}

/** One page of the results stored in `dir`, newest first, and the files that could not be read. */
export async function storedResearch(dir: string, page: z.infer<typeof storedResearchQuerySchema>): Promise<StoredResearch> {
  let all: Awaited<ReturnType<typeof readResearchResults>>;
  try {
    all = await readResearchResults(dir);
  } catch (err) {
    return { dir, total: 0, offset: page.offset, results: [], unreadable: [{ file: dir, error: (err as Error).message }] };
  }
  const readable = all.flatMap((s) => ('result' in s ? [summary(s.result, s.file)] : []));
  const unreadable = all.flatMap((s) => ('error' in s ? [{ file: s.file, error: s.error }] : []));
  return { dir, total: readable.length, offset: page.offset, results: readable.slice(page.offset, page.offset + page.limit), unreadable };
}
