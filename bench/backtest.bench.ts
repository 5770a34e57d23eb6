/**
 * The backtester's replay speed, measured in one run:
 *
 * - minute bars of the shipped day (examples/data) through PoolReplay on the exact v4 pool model
 *   with our position in range (price move, the recorded liquidity, the bar's fees as fee growth),
 *   next to the float64 volume-share estimate of the same bars (fee × L/(L_bar + L), demeter's
 *   model, without a pool): the cost of exactness. demeter itself logs about 2,600 bars/s.
 * - when the shared datasets are present (RANGEKEEPER_SHARED_DATA or ../shared/data), the whole
 *   2024-01-05 event day through the fee audit (6,045 swaps, 36 positions), in swaps/s.
 *
 * - `rangekeeper backtest` itself: the first 120 bars of the same day through the full actor tree
 *   (risk supervisor, position, hedge and exchange actors on the paper venue, the agent's timers on
 *   a virtual clock) with the built-in configuration, next to the exact replay row above (the floor).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMinuteBarsCsv, type MinuteBar } from '../src/backtest/minuteBarsCsv.js';
import { readPoolEventsCsv } from '../src/backtest/poolEventsCsv.js';
import { auditPositionFees } from '../src/backtest/positionFeeAudit.js';
import { PoolReplay } from '../src/backtest/poolReplay.js';
import { getSqrtPriceAtTick } from '../src/math/index.js';
import { barsMarket } from '../src/backtest/backtestMarket.js';
import { backtest } from '../src/backtest/backtestRun.js';
import { DEFAULT_BACKTEST_CONFIG } from '../src/backtest/defaultConfig.js';
import { parseConfig } from '../src/config/loadConfig.js';
import { createLogger } from '../src/logging/logger.js';
import { result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DAY = join(REPO, 'examples/data/polygon-0x45dda9cb7c25131df268515131f647d726f50608-2023-08-17.minute.csv');
const EVENTS = 'eth-usdc-weth-005-events-20240105/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05';
const MS = 1500;

/** Repeats `pass` (one pass over `steps` steps) for about `ms` after one warm-up pass; steps per second. */
function stepsPerSecond(steps: number, pass: () => void, ms: number): number {
  pass();
  let passes = 0;
  const start = performance.now();
  let now = start;
  while (now < start + ms || passes === 0) {
    pass();
    passes++;
    now = performance.now();
  }
  return (passes * steps * 1000) / (now - start);
}

/** One pass of the exact replay with our position ±300 ticks around the open; returns our fees so nothing is optimized away. */
function exactPass(bars: readonly MinuteBar[]): bigint {
  const first = bars[0]!;
  const replay = new PoolReplay({ tickSpacing: 10, fee: 500, sqrtPriceX96: getSqrtPriceAtTick(first.openTick), liquidity: first.liquidity });
  const lower = Math.floor(first.openTick / 10) * 10 - 300;
  replay.addPosition('us', lower, lower + 600, first.liquidity / 4n, false);
  for (const bar of bars) replay.replayBar(bar);
  const fees = replay.removePosition('us', 0n).feesAccrued;
  return fees.amount0 + fees.amount1;
}

/** The volume-share estimate of the same position over the same bars, in float64. */
function floatPass(bars: readonly MinuteBar[]): number {
  const first = bars[0]!;
  const lower = Math.floor(first.openTick / 10) * 10 - 300;
  const ours = Number(first.liquidity / 4n);
  let fees = 0;
  for (const bar of bars) {
    if (bar.closeTick < lower || bar.closeTick >= lower + 600) continue;
    const share = ours / (Number(bar.liquidity) + ours);
    fees += (Number(bar.inAmount0) + Number(bar.inAmount1)) * 0.0005 * share;
  }
  return fees;
}

function sharedData(): string | undefined {
  const dirs = [process.env['RANGEKEEPER_SHARED_DATA'], resolve(REPO, '../shared/data'), resolve(REPO, '../../shared/data'), '/work/shared/data'];
  return dirs.find((d): d is string => d !== undefined && d !== '' && existsSync(join(d, `${EVENTS}.tick.csv`)));
}

async function run(emit: (r: BenchResult) => void): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  const push = (r: BenchResult): void => {
    rows.push(r);
    emit(r);
  };
  const bars = await readMinuteBarsCsv([DAY]);
  let sink = 0n;
  let floatSink = 0;
  const exact = stepsPerSecond(bars.length, () => { sink += exactPass(bars); }, MS);
  const float = stepsPerSecond(bars.length, () => { floatSink += floatPass(bars); }, MS);
  if (sink <= 0n || !(floatSink > 0)) throw new Error('backtest bench: the position earned no fees; the bench measures nothing');
  push(result('backtest: minute bars, exact pool replay (vs float volume share)', exact, float, 'steps/s', `${bars.length} bars of 2023-08-17; a year = 525,600 steps`));

  const agentBars = bars.slice(0, 120);
  const t0 = performance.now();
  await backtest({
    cfg: parseConfig(DEFAULT_BACKTEST_CONFIG, 'bench'), log: createLogger({ level: 'silent' }),
    windows: [{ label: 'bench', startTime: agentBars[0]!.time, load: async () => undefined, open: (c) => barsMarket(agentBars, c) }],
  });
  const agent = (agentBars.length * 1000) / (performance.now() - t0);
  push(result('backtest: minute bars through the full actor tree (vs exact pool replay alone)', agent, exact, 'steps/s', `${agentBars.length} bars; a year would take ${(525_600 / agent / 60).toFixed(0)} min (target < 10 s)`));

  const dir = sharedData();
  if (dir === undefined) {
    push(result('backtest: event day fee audit', 0, null, 'swaps/s', 'not measured: shared data absent (set RANGEKEEPER_SHARED_DATA)'));
    return rows;
  }
  const events = await readPoolEventsCsv(join(dir, `${EVENTS}.tick.csv`), { positionsFile: join(dir, `${EVENTS}-2024-01-05.positions.csv`) });
  const swaps = events.filter((e) => e.kind === 'swap').length - 1;
  const audit = stepsPerSecond(swaps, () => { auditPositionFees(events, { tickSpacing: 10, fee: 500 }); }, MS);
  push(result('backtest: event day fee audit (2024-01-05)', audit, null, 'swaps/s', `${swaps} swaps, 36 positions audited per pass`));
  return rows;
}

export const backtestSuite: Suite = { name: 'backtest replay', run };
