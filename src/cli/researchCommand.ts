/**
 * What compare and sweep share as commands: the run and output options, reading them, storing a
 * finished result (the results directory the operator API reads, and --out), and turning the
 * user's errors — a bad configuration, grid or data file, also when a worker met it — into usage
 * errors (exit 2).
 */
import { writeFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { BacktestConfigError } from '../backtest/backtestRun.js';
import { BacktestInputError } from '../backtest/inputError.js';
import { GridError } from '../backtest/parameterGrid.js';
import { PathTaskError } from '../backtest/pathPool.js';
import type { ResearchResult } from '../backtest/researchResultSchema.js';
import { writeResearchResult } from '../backtest/researchResultStore.js';
import { numberOption } from './numberOption.js';
import { CliUsageError } from './usageError.js';

export const RUN_OPTIONS = {
  workers: { type: 'string' }, 'gas-gwei': { type: 'string' }, out: { type: 'string' }, 'results-dir': { type: 'string' },
  quiet: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export const RUN_HELP = `run:
  --workers N          worker threads (default: one per core)
  --gas-gwei N         gas price (default 30)
output:
  --out FILE           the result as JSON (also stored in the results directory)
  --results-dir DIR    where results are stored for the operator API (default .rangekeeper/results)
  --quiet              no progress bar`;

export function runSettings(values: { workers?: string | undefined; 'gas-gwei'?: string | undefined }): { workers: number | undefined; gasGwei: number } {
  return {
    workers: numberOption('workers', values.workers, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    gasGwei: numberOption('gas-gwei', values['gas-gwei'], (n) => n >= 0, 'a number >= 0') ?? 30,
  };
}

/** Writes `r`; returns the stored file's path. */
export async function saveResult(r: ResearchResult, resultsDir: string, out: string | undefined): Promise<string> {
  const stored = await writeResearchResult(resultsDir, r);
  if (out !== undefined) await writeFile(out, JSON.stringify(r, null, 1) + '\n');
  return stored;
}

const USER_ERRORS = ['ConfigError', 'BacktestConfigError', 'BacktestInputError', 'RangeError'];

/** The user's errors as CliUsageError; anything else unchanged. */
export function asUsageError(err: unknown): unknown {
  if (err instanceof BacktestInputError || err instanceof BacktestConfigError || err instanceof GridError) return new CliUsageError(err.message);
  if (err instanceof PathTaskError && USER_ERRORS.includes(err.causeName)) return new CliUsageError(err.message);
  return err;
}
