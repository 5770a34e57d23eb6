/**
 * The A/B decision on per-path differences d_i = A_i - B_i of a quantity where more is better
 * (e.g. each path's total return): a paired t-test (pairedTTest.ts) and a stationary block
 * bootstrap interval of mean(d) (blockBootstrap.ts), with one block length L for both (the
 * t-test runs on means of batches of L consecutive paths; L = 1 is the plain paired test with the
 * ordinary bootstrap). A is called better only when the test is significant at alpha AND the interval at
 * 1 - alpha lies above 0 (B: below 0); otherwise there is no significant difference. Requiring
 * both can only lower the false-positive rate below the test's own.
 */
import { stationaryBootstrapMean, type BlockBootstrapInterval } from './blockBootstrap.js';
import { pairedTTest, type PairedTTestResult } from './pairedTTest.js';

export type PairedVerdict = 'A_BETTER' | 'B_BETTER' | 'NO_SIGNIFICANT_DIFFERENCE';

export interface PairedComparisonOptions {
  alpha?: number;
  /** Block length L >= 1 (integer): the bootstrap's mean block and the t-test's batch. */
  blockLength?: number;
  resamples?: number;
  seed?: number;
}

export interface PairedComparison {
  test: PairedTTestResult;
  interval: BlockBootstrapInterval;
  verdict: PairedVerdict;
}

export function comparePaired(d: readonly number[], o: PairedComparisonOptions = {}): PairedComparison {
  const alpha = o.alpha ?? 0.05;
  const blockLength = o.blockLength ?? 1;
  const test = pairedTTest(d, { alpha, batchLength: blockLength });
  const interval = stationaryBootstrapMean(d, {
    blockLength, confidence: 1 - alpha, ...(o.resamples === undefined ? {} : { resamples: o.resamples }), ...(o.seed === undefined ? {} : { seed: o.seed }),
  });
  let verdict: PairedVerdict = 'NO_SIGNIFICANT_DIFFERENCE';
  if (test.significant && interval.lower > 0) verdict = 'A_BETTER';
  else if (test.significant && interval.upper < 0) verdict = 'B_BETTER';
  return { test, interval, verdict };
}
