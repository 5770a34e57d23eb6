/**
 * What compare and sweep do with a finished result: write it to the results directory (read by
 * the operator API), and to --out when given.
 */
import { writeFile } from 'node:fs/promises';
import type { ResearchResult } from '../backtest/researchResultSchema.js';
import { writeResearchResult } from '../backtest/researchResultStore.js';

export const OUTPUT_HELP = `output:
  --out FILE           the result as JSON (also stored in the results directory)
  --results-dir DIR    where results are stored for the operator API (default .rangekeeper/results)
  --quiet              no progress bar`;

/** Writes `r`; returns the stored file's path. */
export async function saveResult(r: ResearchResult, resultsDir: string, out: string | undefined): Promise<string> {
  const stored = await writeResearchResult(resultsDir, r);
  if (out !== undefined) await writeFile(out, JSON.stringify(r, null, 1) + '\n');
  return stored;
}
