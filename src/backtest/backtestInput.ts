/**
 * What `rangekeeper backtest --data` names, read into market windows. A window is one run of the
 * agent over contiguous data; a directory of minute-bar days that are not all consecutive (the
 * shared Polygon set has days from 2023, 2024 and 2025) gives one window per consecutive run, each
 * backtested from a fresh start, never one run across a gap of months.
 *
 * Formats (`--format`, else from the name): `bars` — demeter `.minute.csv` files (a file or a
 * directory of them); `events` — a demeter-fetch `.tick.csv` (a `.positions.csv` of the same
 * prefix beside it is read for the owners of direct mints); `jsonl` — the JSON lines of
 * `rangekeeper events`; `synthetic` — a seeded GBM / jump-diffusion path, no file.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PoolDescriptor } from '../actors/ports.js';
import { barsMarket, eventsMarket, syntheticPoolMarket, type BacktestMarket } from './backtestMarket.js';
import { readEventsJsonl } from './eventsJsonl.js';
import { BacktestInputError } from './inputError.js';
import { readMinuteBarsCsv, type MinuteBar } from './minuteBarsCsv.js';
import { readPoolEventsCsv } from './poolEventsCsv.js';
import type { HistoryEvent } from './poolHistory.js';
import { syntheticMarket, type SyntheticMarketOptions } from './syntheticMarket.js';

export type BacktestFormat = 'bars' | 'events' | 'jsonl' | 'synthetic';

/** One window of data, opened into a market when its run starts (so only one is in memory). */
export interface MarketWindow {
  label: string;
  open(chainOptions: { desc: PoolDescriptor; balances: Record<string, bigint>; gasPriceWei: bigint; now: () => number }): BacktestMarket;
  /** When the window starts (the clock's start), ms. */
  startTime: number;
  /** Reads the window's data (once, before `open`). */
  load(): Promise<void>;
}

export interface InputOptions {
  data: string | undefined;
  format: BacktestFormat | undefined;
  synthetic?: SyntheticMarketOptions & { steps: number };
  blockSeconds?: number;
  maxGapMinutes?: number;
}

const MINUTE = 60_000;

/** The format of a path by its name, or undefined. */
export function formatOf(path: string): BacktestFormat | undefined {
  if (path.endsWith('.minute.csv')) return 'bars';
  if (path.endsWith('.tick.csv')) return 'events';
  if (path.endsWith('.jsonl') || path.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    throw new BacktestInputError(path, 0, '', `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Groups minute-bar files into runs of consecutive days (a gap within maxGap minutes is filled). */
async function barWindows(files: string[], maxGapMinutes: number): Promise<MarketWindow[]> {
  const spans: { file: string; first: number; last: number }[] = [];
  for (const file of files) {
    const bars = await readMinuteBarsCsv([file], { maxGapMinutes });
    spans.push({ file, first: bars[0]!.time, last: bars[bars.length - 1]!.time });
  }
  spans.sort((a, b) => a.first - b.first);
  const groups: string[][] = [];
  let lastEnd = -Infinity;
  for (const s of spans) {
    const gap = (s.first - lastEnd) / MINUTE - 1;
    if (groups.length > 0 && gap >= 0 && gap <= maxGapMinutes) groups[groups.length - 1]!.push(s.file);
    else groups.push([s.file]);
    lastEnd = s.last;
  }
  return groups.map((g) => {
    const first = spans.find((s) => s.file === g[0])!;
    let bars: MinuteBar[] | null = null;
    return {
      label: g.length === 1 ? basename(g[0]!) : `${basename(g[0]!)} … ${basename(g[g.length - 1]!)} (${g.length} files)`,
      startTime: first.first,
      open: (c) => {
        if (bars === null) throw new Error('window not loaded');
        return barsMarket(bars, c);
      },
      load: async () => { bars = await readMinuteBarsCsv(g, { maxGapMinutes }); },
    };
  });
}

/** Resolves `--data`/`--format` into windows; each window's data is read by `load` before `open`. */
export async function openInput(o: InputOptions): Promise<MarketWindow[]> {
  if (o.format === 'synthetic' || (o.data === undefined && o.synthetic !== undefined)) {
    const s = o.synthetic;
    if (s === undefined) throw new BacktestInputError('<synthetic>', 0, '', 'no synthetic market options');
    const path = syntheticMarket(s, s.steps + 1);
    return [{ label: `synthetic ${s.jumps === undefined ? 'GBM' : 'jump diffusion'} σ=${s.sigma} seed=${s.seed}`, startTime: path[0]!.time, open: (c) => syntheticPoolMarket(path, c), load: async () => undefined }];
  }
  if (o.data === undefined) throw new BacktestInputError('<data>', 0, '', 'no --data given');
  const maxGap = o.maxGapMinutes ?? 60;
  if (await isDirectory(o.data)) {
    const names = (await readdir(o.data)).sort();
    const format = o.format ?? 'bars';
    if (format !== 'bars') throw new BacktestInputError(o.data, 0, '', `a directory is read as minute bars (*.minute.csv); give a ${format} file itself`);
    const files = names.filter((n) => n.endsWith('.minute.csv')).map((n) => join(o.data!, n));
    if (files.length === 0) throw new BacktestInputError(o.data, 0, '', 'no *.minute.csv file in the directory');
    return barWindows(files, maxGap);
  }
  const format = o.format ?? formatOf(o.data);
  if (format === undefined) throw new BacktestInputError(o.data, 0, '', 'cannot tell the format from the name: pass --format bars|events|jsonl');
  if (format === 'bars') return barWindows([o.data], maxGap);
  const file = o.data;
  let events: HistoryEvent[] | null = null;
  const load = async (): Promise<void> => {
    if (format === 'jsonl') {
      events = await readEventsJsonl(file);
      return;
    }
    // demeter-fetch names it <prefix>-<to date>.positions.csv beside <prefix>.tick.csv
    const prefix = basename(file).replace(/\.tick\.csv$/, '');
    const beside = (await readdir(dirname(file))).filter((n) => n.startsWith(prefix) && n.endsWith('.positions.csv'));
    const positionsFile = beside.length === 1 ? join(dirname(file), beside[0]!) : undefined;
    events = await readPoolEventsCsv(file, positionsFile === undefined ? {} : { positionsFile });
  };
  await load();
  const firstTime = (events as HistoryEvent[] | null)?.find((e) => e.kind === 'swap')?.time ?? 0;
  return [{
    label: basename(file), startTime: firstTime,
    open: (c) => eventsMarket(events ?? [], { ...c, file, ...(o.blockSeconds === undefined ? {} : { blockSeconds: o.blockSeconds }) }),
    load: async () => undefined,
  }];
}
