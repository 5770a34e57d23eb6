/**
 * The files `rangekeeper compare` and `rangekeeper sweep` write: one JSON document per run, in
 * the results directory (default `.rangekeeper/results/` under the working directory, or
 * `--results-dir`), named `compare-<id>.json` / `sweep-<id>.json`. The operator API reads them
 * back through these schemas (researchResultStore.ts); the schemas are the contract between the
 * two, so a change here is a change of `schemaVersion`.
 *
 * compare is the spec's ABTestResult (testId, strategyA/B with config and metrics,
 * statisticalSignificance, confidenceInterval, recommendation, timestamp), extended with what the
 * statistics need to be read honestly: the market paths both strategies ran on, the per-path
 * outcomes they are paired on, the test used, the bootstrap's block length and the effect size.
 */
import { z } from 'zod';

/** Default directory of the result files, relative to the working directory. */
export const DEFAULT_RESULTS_DIR = '.rangekeeper/results';

export const RESEARCH_SCHEMA_VERSION = 1;

/**
 * The spec's PerformanceMetrics, aggregated over the paths: each field is the mean over the paths
 * where it is defined (null where it is defined on none: e.g. a ratio over zero volatility).
 */
export const strategyMetricsSchema = z.object({
  totalReturn: z.number(),
  sharpeRatio: z.number().nullable(),
  sortinoRatio: z.number().nullable(),
  calmarRatio: z.number().nullable(),
  maxDrawdown: z.number(),
  volatility: z.number(),
  winRate: z.number().nullable(),
  /** Milliseconds. */
  avgTradeDuration: z.number().nullable(),
  avgPnLPerTrade: z.number().nullable(),
});
export type StrategyMetrics = z.infer<typeof strategyMetricsSchema>;

/** One strategy's result on one market path. */
export const pathOutcomeSchema = z.object({
  /** End equity / start equity - 1 over the path (the compared quantity). */
  totalReturn: z.number(),
  pnlUsd: z.number(),
  feesUsd: z.number(),
  lvrUsd: z.number(),
  rolls: z.number().int(),
  sharpeRatio: z.number().nullable(),
  maxDrawdown: z.number().nullable(),
});
export type PathOutcome = z.infer<typeof pathOutcomeSchema>;

/** The market paths of a run: seeded synthetic paths, or windows of one history. */
export const pathSetSchema = z.object({
  kind: z.enum(['synthetic', 'history']),
  /** Human-readable: the process and its parameters, or the data file and the window length. */
  description: z.string(),
  count: z.number().int().positive(),
  stepsPerPath: z.number().int().positive(),
  labels: z.array(z.string()),
});
export type PathSetInfo = z.infer<typeof pathSetSchema>;

/** The strategy-defining part of a config, as run (the first pool's strategy, hedge and risk settings). */
export const strategyConfigSchema = z.object({
  name: z.string(),
  /** The config file it was read from; null for the built-in default. */
  file: z.string().nullable(),
  strategy: z.record(z.string(), z.unknown()),
  hedge: z.record(z.string(), z.unknown()),
  risk: z.record(z.string(), z.unknown()),
});
export type StrategyConfigInfo = z.infer<typeof strategyConfigSchema>;

export const strategyArmSchema = z.object({
  config: strategyConfigSchema,
  /** Mean over the paths (strategyMetricsSchema). */
  metrics: strategyMetricsSchema,
  /** The arm's outcome on each path, in the order of paths.labels. */
  perPath: z.array(pathOutcomeSchema),
});

export const significanceSchema = z.object({
  /** Paired t-test of mean(A - B) = 0 on the per-path total-return differences; on means of batches of batchLength consecutive paths when > 1 (windows of one history). */
  test: z.literal('paired-t'),
  batchLength: z.number().int().positive(),
  /** null when every difference is equal (zero variance: the statistic is undefined). */
  t: z.number().nullable(),
  degreesOfFreedom: z.number().int().positive(),
  pValue: z.number().min(0).max(1).nullable(),
  alpha: z.number().gt(0).lt(1),
  significant: z.boolean(),
});

export const confidenceIntervalSchema = z.object({
  /** Stationary block bootstrap (Politis & Romano 1994) of the mean per-path difference A - B. */
  method: z.literal('stationary-block-bootstrap'),
  /** Mean block length (1 = the ordinary bootstrap, for independent paths). */
  blockLength: z.number().int().positive(),
  confidence: z.number().gt(0).lt(1),
  estimate: z.number(),
  lower: z.number(),
  upper: z.number(),
  resamples: z.number().int().positive(),
  seed: z.number().int(),
});

export const effectSizeSchema = z.object({
  meanDifference: z.number(),
  sdDifference: z.number(),
  /** Cohen's d_z = mean / sd of the paired differences; null when sd = 0. */
  cohensDz: z.number().nullable(),
});

export const recommendationSchema = z.object({
  verdict: z.enum(['A_BETTER', 'B_BETTER', 'NO_SIGNIFICANT_DIFFERENCE']),
  text: z.string(),
});

/** The spec's ABTestResult as `rangekeeper compare` writes it. */
export const compareResultSchema = z.object({
  kind: z.literal('compare'),
  schemaVersion: z.literal(RESEARCH_SCHEMA_VERSION),
  testId: z.string(),
  /** ms since epoch, when the run finished. */
  timestamp: z.number().int(),
  /** The per-path quantity the arms are compared on. */
  metric: z.literal('totalReturn'),
  paths: pathSetSchema,
  strategyA: strategyArmSchema,
  strategyB: strategyArmSchema,
  statisticalSignificance: significanceSchema,
  confidenceInterval: confidenceIntervalSchema,
  effectSize: effectSizeSchema,
  recommendation: recommendationSchema,
});
export type CompareResult = z.infer<typeof compareResultSchema>;

/**
 * Deflated Sharpe ratio (Bailey & López de Prado 2014) of the best configuration of a sweep: the
 * confidence that its Sharpe ratio is above zero once picking the best of `trials` is accounted
 * for (its Sharpe tested against the best one `trials` configurations without an edge would show
 * by luck, expectedMaxSharpe).
 */
export const deflatedSharpeSchema = z.object({
  /** Sharpe ratio of the per-path returns (mean / sd over paths, not annualized). */
  sharpe: z.number(),
  /** The luck threshold: expected max Sharpe of `trials` unskilled configs. */
  expectedMaxSharpe: z.number(),
  trials: z.number().int().positive(),
  /** Number of paths (observations) behind the Sharpe ratio. */
  observations: z.number().int().positive(),
  skewness: z.number(),
  kurtosis: z.number(),
  /** P(true Sharpe > expectedMaxSharpe); >= 0.95 is the usual bar. */
  probability: z.number().min(0).max(1),
});

export const sweepRowSchema = z.object({
  /** The grid point: parameter name (a dotted config path) to value. */
  params: z.record(z.string(), z.number()),
  metrics: strategyMetricsSchema,
  /** Mean and sample sd of the per-path total returns, and their ratio (null when sd = 0). */
  meanReturn: z.number(),
  sdReturn: z.number(),
  sharpe: z.number().nullable(),
  perPath: z.array(pathOutcomeSchema),
});
export type SweepRow = z.infer<typeof sweepRowSchema>;

export const sweepResultSchema = z.object({
  kind: z.literal('sweep'),
  schemaVersion: z.literal(RESEARCH_SCHEMA_VERSION),
  sweepId: z.string(),
  timestamp: z.number().int(),
  metric: z.literal('totalReturn'),
  baseConfig: strategyConfigSchema,
  paths: pathSetSchema,
  parameters: z.array(z.object({ name: z.string(), values: z.array(z.number()) })),
  rows: z.array(sweepRowSchema),
  /** The row with the highest per-path Sharpe ratio, and how much of it survives the number of rows tried. */
  best: z.object({ index: z.number().int().nonnegative(), deflatedSharpe: deflatedSharpeSchema.nullable(), warning: z.string() }).nullable(),
  workers: z.number().int().positive(),
  elapsedMs: z.number().nonnegative(),
});
export type SweepResult = z.infer<typeof sweepResultSchema>;

/** Any result file. */
export const researchResultSchema = z.discriminatedUnion('kind', [compareResultSchema, sweepResultSchema]);
export type ResearchResult = z.infer<typeof researchResultSchema>;
