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
 * - `rangekeeper backtest` itself: the whole day through the full actor tree (risk supervisor,
 *   position, hedge and exchange actors on the paper venue, the agent's timers on a virtual clock)
 *   with the built-in configuration, next to the exact replay row above (the floor); with the
 *   shared datasets present, five consecutive days of the same pool's bars (the agent's start and
 *   its windows' filling amortized: the rate a year-long run would see); and its memory over a
 *   longer seeded GBM run (heap after a full GC at each quarter: flat once the agent's sliding
 *   windows, one day by default, have filled). Each actor row gives wall-clock steps/s (the
 *   figure), steps per CPU-second (what the machine's load changes least), the year that CPU rate
 *   projects, and the load average during the run.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMinuteBarsCsv, type MinuteBar } from '../src/backtest/minuteBarsCsv.js';
import { readPoolEventsCsv } from '../src/backtest/poolEventsCsv.js';
import { auditPositionFees } from '../src/backtest/positionFeeAudit.js';
import { PoolReplay } from '../src/backtest/poolReplay.js';
import { getSqrtPriceAtTick } from '../src/math/index.js';
import { barsMarket, syntheticPoolMarket } from '../src/backtest/backtestMarket.js';
import type { MarketWindow } from '../src/backtest/backtestInput.js';
import { syntheticMarket } from '../src/backtest/syntheticMarket.js';
import type { AgentConfig } from '../src/config/schema.js';
import type { Logger } from '../src/logging/logger.js';
import { backtest } from '../src/backtest/backtestRun.js';
import { DEFAULT_BACKTEST_CONFIG } from '../src/backtest/defaultConfig.js';
import { parseConfig } from '../src/config/loadConfig.js';
import { createLogger } from '../src/logging/logger.js';
import { result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DAY = join(REPO, 'examples/data/polygon-0x45dda9cb7c25131df268515131f647d726f50608-2023-08-17.minute.csv');
const BARS_DIR = 'demeter-polygon-usdc-weth-005';
const EVENTS = 'eth-usdc-weth-005-events-20240105/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05';
const MS = 1500;
/** Steps of the long run that checks memory (RANGEKEEPER_BENCH_STEPS; default 4 days of minutes). */
const LONG_STEPS = Math.max(400, Number(process.env['RANGEKEEPER_BENCH_STEPS'] ?? 5760));
/** The V8 heap after a full collection, MB (gc exposed at run time). */
const heapAfterGc: () => number = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    return process.memoryUsage().heapUsed / 1e6;
  };
})();

interface ActorRun {
  stepsPerSecond: number;
  cpuStepsPerSecond: number;
  /** The 1-minute load average at the end of the run (2 cores here). */
  load: number;
  rssMb: number;
  /** The heap after GC at the start and each quarter of the run. */
  heap: { done: number; heapMb: number }[];
}

/** One `backtest` of a market of `steps` steps through the full actor tree: its speed and its heap along the way. */
async function actorRun(steps: number, open: MarketWindow['open'], startTime: number, cfg: AgentConfig, log: Logger): Promise<ActorRun> {
  const heap = [{ done: 0, heapMb: heapAfterGc() }];
  const quarter = Math.max(1, Math.floor(steps / 4));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let gcMs = 0;
  await backtest({
    cfg, log, windows: [{ label: 'bench', startTime, load: async () => undefined, open }],
    onProgress: (_w, done) => {
      if (done % quarter !== 0 && done !== steps) return;
      const g = performance.now();
      heap.push({ done, heapMb: heapAfterGc() });
      gcMs += performance.now() - g;
    },
  });
  const wall = performance.now() - t0 - gcMs;
  const cpu = process.cpuUsage(c0);
  return { stepsPerSecond: (steps * 1000) / wall, cpuStepsPerSecond: (steps * 1e6) / (cpu.user + cpu.system - gcMs * 1000), load: loadavg()[0]!, rssMb: process.memoryUsage().rss / 1e6, heap };
}

/** What an actor run's note says about its speed: CPU rate, the year it projects, the machine's load. */
function speedNote(r: ActorRun): string {
  const yearMin = 525_600 / r.cpuStepsPerSecond / 60;
  return `${r.cpuStepsPerSecond.toFixed(0)} steps per CPU-second: a year (525,600 steps) would take ${yearMin.toFixed(1)} min of CPU (target < 10 s); load average ${r.load.toFixed(1)} on ${availableParallelism()} cores`;
}

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

  const cfg = parseConfig(DEFAULT_BACKTEST_CONFIG, 'bench');
  const log = createLogger({ level: 'silent' });
  const dayRun = await actorRun(bars.length, (c) => barsMarket(bars, c), bars[0]!.time, cfg, log);
  push(result('backtest: minute bars through the full actor tree (vs exact pool replay alone)', dayRun.stepsPerSecond, exact,
    'steps/s', `${bars.length} bars (the whole day, the agent's start included); ${speedNote(dayRun)}`));

  const dir = sharedData();
  if (dir !== undefined && existsSync(join(dir, BARS_DIR))) {
    // five consecutive days of the same pool: one window, the start and the windows' filling amortized
    const days = await readMinuteBarsCsv(['13', '14', '15', '16', '17'].map((d) => join(dir, `${BARS_DIR}/polygon-0x45dda9cb7c25131df268515131f647d726f50608-2023-08-${d}.minute.csv`)));
    const week = await actorRun(days.length, (c) => barsMarket(days, c), days[0]!.time, cfg, log);
    push(result('backtest: five days of minute bars through the full actor tree (vs exact pool replay alone)', week.stepsPerSecond, exact,
      'steps/s', `${days.length} bars of 2023-08-13..17 (shared data); ${speedNote(week)}`));
  } else {
    push(result('backtest: five days of minute bars through the full actor tree', 0, null, 'steps/s', 'not measured: shared data absent (set RANGEKEEPER_SHARED_DATA)'));
  }

  // memory over a longer run: a seeded GBM path of LONG_STEPS minutes through the same actors
  const path = syntheticMarket({ initialPrice: 2000, sigma: 0.6, stepSeconds: 60, seed: 7, startTime: Date.UTC(2024, 0, 1) }, LONG_STEPS + 1);
  const long = await actorRun(LONG_STEPS, (c) => syntheticPoolMarket(path, c), path[0]!.time, cfg, log);
  const q = long.heap;
  const first = q[1]!;
  const last = q[q.length - 1]!;
  const perK = ((last.heapMb - first.heapMb) / (last.done - first.done)) * 1000;
  push(result('backtest: heap after GC over a long run (MB, end vs a quarter in)', last.heapMb, first.heapMb, 'MB',
    `${LONG_STEPS} GBM minutes through the full actor tree at ${long.stepsPerSecond.toFixed(0)} steps/s (${long.cpuStepsPerSecond.toFixed(0)} per CPU-second); heap ${q.map((h) => h.heapMb.toFixed(0)).join(' → ')} MB at each quarter, ` +
    `${perK >= 0 ? '+' : ''}${perK.toFixed(3)} MB per 1,000 steps after the first quarter; RSS ${long.rssMb.toFixed(0)} MB (RANGEKEEPER_BENCH_STEPS=200000 for a longer run)`));

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
