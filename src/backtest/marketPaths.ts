/**
 * The market paths `compare` and `sweep` run every strategy on: many seeded synthetic paths
 * (GBM or jump diffusion, seeds seed, seed+1, ...) or many windows of one minute-bar history
 * (consecutive windows of `windowMinutes` bars, a new one every `strideMinutes`, never across two
 * files: a file is one day, and days of a directory need not be consecutive). A path is a plain
 * serializable spec, so a worker thread can rebuild the same market from it.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { PathSetInfo } from './researchResultSchema.js';
import { barsMarket, syntheticPoolMarket } from './backtestMarket.js';
import type { MarketWindow } from './backtestInput.js';
import { BacktestInputError } from './inputError.js';
import { readMinuteBarsCsv, type MinuteBar } from './minuteBarsCsv.js';
import { syntheticMarket, type SyntheticMarketOptions } from './syntheticMarket.js';

export type PathSpec =
  | { kind: 'synthetic'; label: string; options: SyntheticMarketOptions; steps: number }
  | { kind: 'bars'; label: string; file: string; from: number; to: number };

export interface SyntheticPathsOptions extends Omit<SyntheticMarketOptions, 'seed'> {
  /** First seed; path k uses seed + k. */
  seed: number;
  steps: number;
  count: number;
}

export interface PathSet {
  info: PathSetInfo;
  paths: PathSpec[];
}

export function syntheticPaths(o: SyntheticPathsOptions): PathSet {
  const { count, steps, seed, ...rest } = o;
  syntheticMarket({ ...rest, seed }, 2); // validates the options here, not in a worker
  const paths: PathSpec[] = Array.from({ length: count }, (_, k) => ({ kind: 'synthetic', label: `seed ${seed + k}`, options: { ...rest, seed: seed + k }, steps }));
  const process = rest.jumps === undefined ? 'GBM' : `jump diffusion (λ=${rest.jumps.intensity}/yr)`;
  return {
    info: { kind: 'synthetic', description: `${process} σ=${rest.sigma} μ=${rest.drift ?? 0}, ${steps} steps of ${rest.stepSeconds} s, seeds ${seed}..${seed + count - 1}`, count, stepsPerPath: steps, labels: paths.map((p) => p.label) },
    paths,
  };
}

export interface HistoryPathsOptions {
  /** A .minute.csv file or a directory of them. */
  data: string;
  windowMinutes: number;
  /** Minutes between window starts (default windowMinutes: windows do not overlap). */
  strideMinutes?: number;
}

async function minuteFiles(data: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(data)).isDirectory();
  } catch (err) {
    throw new BacktestInputError(data, 0, '', `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!isDir) {
    if (!data.endsWith('.minute.csv')) throw new BacktestInputError(data, 0, '', 'windows of history are cut from minute bars: give a .minute.csv file or a directory of them');
    return [data];
  }
  const files = (await readdir(data)).filter((n) => n.endsWith('.minute.csv')).sort().map((n) => join(data, n));
  if (files.length === 0) throw new BacktestInputError(data, 0, '', 'no *.minute.csv file in the directory');
  return files;
}

/** Windows of minute bars; reads (and so validates) every file. */
export async function historyPaths(o: HistoryPathsOptions): Promise<PathSet> {
  const stride = o.strideMinutes ?? o.windowMinutes;
  const paths: PathSpec[] = [];
  for (const file of await minuteFiles(o.data)) {
    const bars = await readMinuteBarsCsv([file]);
    for (let from = 0; from + o.windowMinutes <= bars.length; from += stride) {
      paths.push({ kind: 'bars', label: `${basename(file)} ${new Date(bars[from]!.time).toISOString().slice(11, 16)}+${o.windowMinutes}m`, file, from, to: from + o.windowMinutes });
    }
  }
  if (paths.length < 2) throw new BacktestInputError(o.data, 0, '', `only ${paths.length} window(s) of ${o.windowMinutes} minutes fit in the data: a comparison needs at least 2 (shorten --window-minutes)`);
  return {
    info: { kind: 'history', description: `${o.data}: windows of ${o.windowMinutes} minutes every ${stride} minutes`, count: paths.length, stepsPerPath: o.windowMinutes, labels: paths.map((p) => p.label) },
    paths,
  };
}

/** Bars read by this thread, by file (a worker runs many windows of the same file). */
const barCache = new Map<string, MinuteBar[]>();

/** The market window a spec describes, ready for backtest(). */
export async function openPath(spec: PathSpec): Promise<MarketWindow> {
  if (spec.kind === 'synthetic') {
    const path = syntheticMarket(spec.options, spec.steps + 1);
    return { label: spec.label, startTime: path[0]!.time, open: (c) => syntheticPoolMarket(path, c), load: async () => undefined };
  }
  let bars = barCache.get(spec.file);
  if (bars === undefined) {
    bars = await readMinuteBarsCsv([spec.file]);
    barCache.clear();
    barCache.set(spec.file, bars);
  }
  const slice = bars.slice(spec.from, spec.to);
  return { label: spec.label, startTime: slice[0]!.time, open: (c) => barsMarket(slice, c), load: async () => undefined };
}
