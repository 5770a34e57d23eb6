/**
 * `rangekeeper compare --a A.yaml --b B.yaml`: the spec's A/B test. Both strategy configurations
 * run through the live agent's actor tree on the same market paths (seeded synthetic paths or
 * windows of a minute-bar history), on worker threads; the per-path total returns are paired and
 * tested (compareStrategies.ts). Prints a table, stores the ABTestResult JSON in the results
 * directory and --out.
 */
import { parseArgs } from 'node:util';
import { compareStrategies, defaultBlockLength } from '../backtest/compareStrategies.js';
import { loadArm } from '../backtest/researchArm.js';
import { DEFAULT_RESULTS_DIR } from '../backtest/researchResultSchema.js';
import { compareTable } from '../backtest/researchTable.js';
import { PATH_HELP, PATH_OPTIONS, pathSetFrom } from './marketPathOptions.js';
import { numberOption } from './numberOption.js';
import { progressBar } from './progressBar.js';
import { asUsageError, RUN_HELP, RUN_OPTIONS, runSettings, saveResult } from './researchCommand.js';
import { CliUsageError } from './usageError.js';

const HELP = `usage: rangekeeper compare --a A.yaml --b B.yaml [options]

Runs two strategy configurations (agent config files, as \`backtest --config\` takes) through the
same agent on the same market paths and tests whether one earns more: a paired t-test on the
per-path differences of total return, a stationary block bootstrap confidence interval and an
effect size. Prints a table; stores the result (the spec's ABTestResult) as JSON.

strategies:
  --a FILE, --b FILE   the two configurations (their first pool is backtested)
${PATH_HELP}
statistics:
  --alpha A            significance level (default 0.05)
  --block-length L     bootstrap block length and t-test batch length (default 1 for synthetic
                       paths, which are independent; round(sqrt(windows)) for history windows)
  --resamples N        bootstrap resamples (default 5000)   --bootstrap-seed N  (default 1)
${RUN_HELP}
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      a: { type: 'string' }, b: { type: 'string' }, ...PATH_OPTIONS,
      alpha: { type: 'string' }, 'block-length': { type: 'string' }, resamples: { type: 'string' }, 'bootstrap-seed': { type: 'string' },
      ...RUN_OPTIONS,
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.a === undefined || values.b === undefined) throw new CliUsageError('--a and --b are required: the two strategy configuration files');
  const alpha = numberOption('alpha', values.alpha, (n) => n > 0 && n < 0.5, 'a level in (0, 0.5)') ?? 0.05;
  const resamples = numberOption('resamples', values.resamples, (n) => Number.isInteger(n) && n >= 100, 'an integer >= 100') ?? 5000;
  const seed = numberOption('bootstrap-seed', values['bootstrap-seed'], Number.isInteger, 'an integer') ?? 1;
  const { workers, gasGwei } = runSettings(values);
  try {
    const a = await loadArm('A', values.a);
    const b = await loadArm('B', values.b);
    a.name = values.a;
    b.name = values.b;
    const paths = await pathSetFrom(values);
    const blockLength = numberOption('block-length', values['block-length'], (n) => Number.isInteger(n) && n >= 1 && n <= paths.info.count / 2, `an integer from 1 to ${Math.floor(paths.info.count / 2)} (half the paths)`) ?? defaultBlockLength(paths);
    const bar = values.quiet || !process.stderr.isTTY ? null : progressBar(process.stderr);
    const result = await compareStrategies({
      a, b, paths, alpha, blockLength, resamples, seed, gasGwei,
      ...(workers === undefined ? {} : { workers }),
      ...(bar === null ? {} : { onProgress: (done: number, total: number) => bar.update(`${paths.info.count} paths × 2 strategies`, done, total) }),
    });
    bar?.done();
    const stored = await saveResult(result, values['results-dir'] ?? DEFAULT_RESULTS_DIR, values.out);
    console.log(compareTable(result));
    console.log(`result: ${stored}`);
    return 0;
  } catch (err) {
    throw asUsageError(err);
  }
}
