/**
 * Reads pool minute bars in demeter's `.minute.csv` format (as in
 * ../shared/data/demeter-polygon-usdc-weth-005/ and examples/data/, see their READMEs):
 *
 * | column | meaning |
 * |---|---|
 * | timestamp | start of the minute, `YYYY-MM-DD HH:MM:SS` UTC; strictly increasing, whole minutes |
 * | netAmount0, netAmount1 | sum of the signed swap amounts of the minute, pool side, atomic units |
 * | inAmount0, inAmount1 | sum of the positive swap amounts (gross swap input, fee included), >= 0 |
 * | openTick, closeTick, lowestTick, highestTick | pool tick after the first/last swap, min/max seen (ints; `197030.0` accepted) |
 * | currentLiquidity | in-range L after the last swap (carried forward when nothing traded) |
 *
 * Missing minutes are filled as demeter does, documented: the previous bar's close tick and
 * liquidity, zero volumes, `filled: true`. A gap longer than `maxGapMinutes` (default 60) is an
 * error, as are a bar before its predecessor, a duplicate minute, a timestamp off the minute and
 * a negative volume or liquidity. Each error names file, line and column. (The data's open and
 * close ticks are not always within its lowest/highest, e.g. 2023-08-17 01:24, so that is not checked.)
 */
import { BacktestInputError } from './inputError.js';
import { readCsvTable, type CsvRow, type CsvTable } from './csvTable.js';

export interface MinuteBar {
  /** Start of the minute, ms since the Unix epoch. */
  time: number;
  netAmount0: bigint;
  netAmount1: bigint;
  inAmount0: bigint;
  inAmount1: bigint;
  openTick: number;
  closeTick: number;
  lowestTick: number;
  highestTick: number;
  /** In-range liquidity after the minute's last swap. */
  liquidity: bigint;
  /** True for a minute missing from the file, filled from the previous bar. */
  filled: boolean;
}

export interface MinuteBarsOptions {
  /** The longest run of missing minutes that is filled; a longer gap is an error. Default 60. */
  maxGapMinutes?: number;
}

const COLUMNS = [
  'timestamp', 'netAmount0', 'netAmount1', 'closeTick', 'openTick', 'lowestTick', 'highestTick', 'inAmount0', 'inAmount1', 'currentLiquidity',
] as const;
const MINUTE = 60_000;

function barOf(row: CsvRow): MinuteBar {
  const time = row.time('timestamp');
  if (time % MINUTE !== 0) throw row.error('timestamp', `${row.text('timestamp')} is not the start of a minute`);
  const bar: MinuteBar = {
    time,
    netAmount0: row.bigint('netAmount0'),
    netAmount1: row.bigint('netAmount1'),
    inAmount0: row.bigint('inAmount0'),
    inAmount1: row.bigint('inAmount1'),
    openTick: row.int('openTick'),
    closeTick: row.int('closeTick'),
    lowestTick: row.int('lowestTick'),
    highestTick: row.int('highestTick'),
    liquidity: row.bigint('currentLiquidity'),
    filled: false,
  };
  for (const c of ['inAmount0', 'inAmount1', 'liquidity'] as const) {
    if (bar[c] < 0n) throw row.error(c === 'liquidity' ? 'currentLiquidity' : c, `${bar[c]} is negative`);
  }
  return bar;
}

/** A minute nothing traded in: the previous close carried forward. */
function fillAfter(prev: MinuteBar, time: number): MinuteBar {
  const t = prev.closeTick;
  return { time, netAmount0: 0n, netAmount1: 0n, inAmount0: 0n, inAmount1: 0n, openTick: t, closeTick: t, lowestTick: t, highestTick: t, liquidity: prev.liquidity, filled: true };
}

/**
 * Appends the bars of `table` to `bars` (which may hold an earlier file's bars: a gap between
 * files is checked and filled like one inside a file).
 */
export function appendMinuteBars(bars: MinuteBar[], table: CsvTable, options: MinuteBarsOptions = {}): MinuteBar[] {
  const maxGap = options.maxGapMinutes ?? 60;
  for (const row of table.rows) {
    const bar = barOf(row);
    const prev = bars[bars.length - 1];
    if (prev !== undefined) {
      if (bar.time <= prev.time) {
        throw row.error('timestamp', `${new Date(bar.time).toISOString()} is not after the previous bar's ${new Date(prev.time).toISOString()}: bars must be in time order, one per minute`);
      }
      const missing = (bar.time - prev.time) / MINUTE - 1;
      if (missing > maxGap) {
        throw row.error('timestamp', `${missing} minutes are missing before this bar (more than the ${maxGap} that are filled by carrying the last bar forward)`);
      }
      for (let k = 1; k <= missing; k++) bars.push(fillAfter(prev, prev.time + k * MINUTE));
    }
    bars.push(bar);
  }
  return bars;
}

/** Reads one or more consecutive `.minute.csv` files into one gap-filled series. */
export async function readMinuteBarsCsv(files: readonly string[], options: MinuteBarsOptions = {}): Promise<MinuteBar[]> {
  if (files.length === 0) throw new BacktestInputError('<minute bars>', 0, '', 'no file given');
  const bars: MinuteBar[] = [];
  for (const file of files) appendMinuteBars(bars, await readCsvTable(file, COLUMNS), options);
  if (bars.length === 0) throw new BacktestInputError(files[0]!, 0, '', 'no bar rows');
  return bars;
}

export { COLUMNS as MINUTE_BAR_COLUMNS };
