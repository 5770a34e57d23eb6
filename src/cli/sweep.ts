/**
 * `rangekeeper sweep --param name=v1,v2 ...`: a parameter grid over a base configuration, each
 * point backtested through the live agent on the same market paths, on worker threads
 * (sweepGrid.ts). Prints the rows ranked by per-path Sharpe ratio with the best row's deflated
 * Sharpe ratio and a warning against picking the best of many; stores the result as JSON.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_BACKTEST_CONFIG } from '../backtest/defaultConfig.js';
import { parseParamFlag, readGridFile, type GridParameter } from '../backtest/parameterGrid.js';
import { defaultWorkers } from '../backtest/pathPool.js';
import { armFrom, loadArm } from '../backtest/researchArm.js';
import { DEFAULT_RESULTS_DIR } from '../backtest/researchResultSchema.js';
import { sweepTable } from '../backtest/researchTable.js';
import { sweep } from '../backtest/sweepGrid.js';
import { PATH_HELP, PATH_OPTIONS, pathSetFrom } from './marketPathOptions.js';
import { progressBar } from './progressBar.js';
import { asUsageError, RUN_HELP, RUN_OPTIONS, runSettings, saveResult } from './researchCommand.js';
import { CliUsageError } from './usageError.js';

const HELP = `usage: rangekeeper sweep --param NAME=V1,V2,... [--param ...] [options]
       rangekeeper sweep --grid grid.yaml [options]

Backtests every combination of the parameter values (each NAME a dotted path into the agent
configuration) on the same market paths, on worker threads, and ranks them by per-path Sharpe
ratio (mean / sd of the paths' total returns). The best of many looks better than it is: the best
row's deflated Sharpe ratio says how much of it survives the number of rows tried.

grid:
  --param NAME=V,...   e.g. strategy.rebalanceThreshold=0.02,0.05,0.1  risk.hedgeRatio=0,0.5,1
                       hedge.band=0.02,0.05  strategy.annualVolatility=0.4,0.8 (sizes the range)
  --grid FILE          YAML/JSON { NAME: [values] } (with --param: both)
  --config FILE        base configuration (default: built in, as examples/backtest.yaml)
${PATH_HELP}
${RUN_HELP}
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      param: { type: 'string', multiple: true }, grid: { type: 'string' }, config: { type: 'string' }, ...PATH_OPTIONS,
      ...RUN_OPTIONS,
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const settings = runSettings(values);
  const workers = settings.workers ?? defaultWorkers();
  const gasGwei = settings.gasGwei;
  try {
    const parameters: GridParameter[] = [...(values.grid === undefined ? [] : await readGridFile(values.grid)), ...(values.param ?? []).map(parseParamFlag)];
    if (parameters.length === 0) throw new CliUsageError('give the grid: --param NAME=V1,V2,... (repeatable) or --grid FILE');
    const base = values.config === undefined ? armFrom('built-in backtest config', null, DEFAULT_BACKTEST_CONFIG) : await loadArm(values.config, values.config);
    const paths = await pathSetFrom(values);
    const bar = values.quiet || !process.stderr.isTTY ? null : progressBar(process.stderr);
    const result = await sweep({
      base, parameters, paths, gasGwei, workers,
      ...(bar === null ? {} : { onProgress: (done: number, total: number) => bar.update(`sweep on ${workers} worker(s)`, done, total) }),
    });
    bar?.done();
    const stored = await saveResult(result, values['results-dir'] ?? DEFAULT_RESULTS_DIR, values.out);
    console.log(sweepTable(result));
    console.log(`result: ${stored}`);
    return 0;
  } catch (err) {
    throw asUsageError(err);
  }
}
