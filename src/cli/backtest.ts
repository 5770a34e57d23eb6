/**
 * `rangekeeper backtest`: replays a market (minute bars, pool events, our events JSON lines, or a
 * seeded synthetic path) through the live agent's actor tree on a virtual clock, and writes the
 * result as JSON and, optionally, a self-contained HTML report.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openInput, type BacktestFormat } from '../backtest/backtestInput.js';
import { backtest, BacktestConfigError, type BacktestReport } from '../backtest/backtestRun.js';
import { DEFAULT_BACKTEST_CONFIG } from '../backtest/defaultConfig.js';
import { renderReport } from '../backtest/htmlReport.js';
import { BacktestInputError } from '../backtest/inputError.js';
import { readReferencePricesCsv } from '../backtest/referencePricesCsv.js';
import { loadConfig, parseConfig } from '../config/loadConfig.js';
import { createLogger } from '../logging/logger.js';
import { SYNTHETIC_OPTIONS, syntheticProcess } from './marketPathOptions.js';
import { numberOption } from './numberOption.js';
import { CliUsageError } from './usageError.js';
import { progressBar } from './progressBar.js';

const HELP = `usage: rangekeeper backtest --data <file|dir> [options]
       rangekeeper backtest --format synthetic [--sigma 0.8 --seed 1 --steps 1440] [options]

Replays a market through the same agent as live (risk supervisor, position actor, hedge actor,
exchange actor on the paper venue) on a virtual clock, with the pool as the exact v4 pool model
holding the other LPs' liquidity from the data. Prints a summary; writes the full result.

input:
  --data PATH          a .minute.csv file or a directory of them (bars), a .tick.csv (events),
                       a .jsonl of \`rangekeeper events\` (jsonl)
  --format F           bars | events | jsonl | synthetic (default: from the name)
  --reference FILE     CSV timestamp,price[,fundingRate]: the hedge leg's price (default: the pool's)
  --block-seconds N    jsonl: seconds per block, the events carry no time (default 12)
synthetic (GBM; jumps with --jump-intensity):
  --sigma S            annualized volatility (default 0.8)       --drift M   annual drift (default 0)
  --seed N             seed (default 1)                          --steps N   price steps (default 1440)
  --step-seconds N     seconds per step (default 60)             --price P   first price (default 3000)
  --jump-intensity L   jumps per year (default none)  --jump-mean M / --jump-sd S  log jump size (default 0 / 0.05)
run:
  --config FILE        agent configuration (default: built in, as examples/backtest.yaml); its
                       first pool is backtested, hedged on the paper venue named by hedge.venue
  --gas-gwei N         gas price (default 30)
output:
  --out FILE           the result as JSON
  --report FILE        a self-contained HTML report with plots
  --quiet              no progress bar
`;

const FORMATS: readonly BacktestFormat[] = ['bars', 'events', 'jsonl', 'synthetic'];

function summary(r: BacktestReport): string {
  const lines: string[] = [];
  const usd = (x: number): string => `${x >= 0 ? '+' : '-'}$${Math.abs(x).toFixed(2)}`;
  for (const w of r.windows) {
    const m = w.metrics;
    lines.push(`${w.label}: ${w.steps} steps, ${new Date(w.start).toISOString()} → ${new Date(w.end).toISOString()}`);
    lines.push(`  equity $${w.startEquityUsd.toFixed(2)} → $${w.endEquityUsd.toFixed(2)} (${usd(w.pnl.total)}), rolls ${w.rolls.length}, in range ${(w.timeInRange * 100).toFixed(1)}%`);
    lines.push(`  PnL: holding ${usd(w.pnl.holding)}, fees ${usd(w.pnl.fees)}, IL vs hold ${usd(w.pnl.ilVsHold)}, hedge ${usd(w.pnl.hedgePnl)}, funding ${usd(w.pnl.funding)}, hedge fees ${usd(w.pnl.hedgeFees)}, swaps ${usd(w.pnl.swapCosts)}, gas ${usd(w.pnl.gas)}`);
    lines.push(`  LVR ${usd(-w.lvr.realizedUsd)} (model at σ=${(w.volatility.realized * 100).toFixed(1)}%: ${usd(-w.lvr.modelUsd)})${m === null ? '' : `; Sharpe ${m.sharpeRatio?.toFixed(2) ?? 'n/a'}, max drawdown ${(m.maxDrawdown * 100).toFixed(2)}%`}`);
  }
  return lines.join('\n');
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' }, format: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, report: { type: 'string' },
      reference: { type: 'string' }, 'block-seconds': { type: 'string' }, ...SYNTHETIC_OPTIONS, 'gas-gwei': { type: 'string' },
      quiet: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const format = values.format as BacktestFormat | undefined;
  if (format !== undefined && !FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  if (format !== 'synthetic' && values.data === undefined) throw new CliUsageError('--data is required (or --format synthetic)');
  const positive = (n: number): boolean => n > 0;
  const synthetic = format === 'synthetic' ? syntheticProcess(values, { price: 3000, steps: 1440 }) : undefined;
  const gasGwei = numberOption('gas-gwei', values['gas-gwei'], (n) => n >= 0, 'a number >= 0') ?? 30;
  const blockSeconds = numberOption('block-seconds', values['block-seconds'], positive, 'a number of seconds > 0');
  const cfg = values.config === undefined ? parseConfig(DEFAULT_BACKTEST_CONFIG, 'built-in backtest config') : await loadConfig(values.config);
  const log = createLogger({ level: cfg.log.level, destination: process.stderr });
  try {
    const windows = await openInput({ data: values.data, format, ...(synthetic === undefined ? {} : { synthetic }), ...(blockSeconds === undefined ? {} : { blockSeconds }) });
    const reference = values.reference === undefined ? undefined : await readReferencePricesCsv(values.reference);
    const bar = values.quiet || !process.stderr.isTTY ? null : progressBar(process.stderr);
    const report = await backtest({
      cfg, windows, log, gasPriceWei: BigInt(Math.round(gasGwei * 1e9)),
      ...(reference === undefined ? {} : { reference }),
      ...(bar === null ? {} : { onProgress: (w: number, done: number, total: number) => bar.update(`window ${w + 1}/${windows.length}`, done, total) }),
    });
    bar?.done();
    if (values.out !== undefined) await writeFile(values.out, JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 1) + '\n');
    if (values.report !== undefined) await writeFile(values.report, renderReport(report));
    console.log(summary(report));
    return 0;
  } catch (err) {
    if (err instanceof BacktestInputError || err instanceof BacktestConfigError) throw new CliUsageError(err.message);
    if (err instanceof RangeError && synthetic !== undefined) throw new CliUsageError(err.message);
    throw err;
  }
}
