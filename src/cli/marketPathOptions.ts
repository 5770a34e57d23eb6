/**
 * The market-path options `compare` and `sweep` share (and `backtest`'s synthetic ones): seeded
 * synthetic paths (--paths N with the GBM / jump options) or windows of a minute-bar history
 * (--data FILE|DIR --window-minutes M [--stride-minutes S]). Bad values are CliUsageErrors.
 */
import type { ParseArgsConfig } from 'node:util';
import { historyPaths, syntheticPaths, type PathSet } from '../backtest/marketPaths.js';
import type { SyntheticMarketOptions } from '../backtest/syntheticMarket.js';
import { numberOption } from './numberOption.js';
import { CliUsageError } from './usageError.js';

export const SYNTHETIC_OPTIONS = {
  sigma: { type: 'string' }, drift: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' }, 'step-seconds': { type: 'string' },
  price: { type: 'string' }, 'jump-intensity': { type: 'string' }, 'jump-mean': { type: 'string' }, 'jump-sd': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const PATH_OPTIONS = {
  ...SYNTHETIC_OPTIONS,
  paths: { type: 'string' }, data: { type: 'string' }, 'window-minutes': { type: 'string' }, 'stride-minutes': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const PATH_HELP = `market paths (the same for every strategy):
  --paths N            N seeded synthetic paths, seeds seed..seed+N-1 (default 20)
  --sigma S            annualized volatility (default 0.8)       --drift M   annual drift (default 0)
  --seed N             first seed (default 1)                    --steps N   steps per path (default 240)
  --step-seconds N     seconds per step (default 60)             --price P   first price (default 1800)
  --jump-intensity L   jumps per year (default none)  --jump-mean M / --jump-sd S  log jump size (default 0 / 0.05)
  --data PATH          instead: windows of a minute-bar history (a .minute.csv file or a directory)
  --window-minutes M   window length (default 240)    --stride-minutes S  minutes between starts (default M)`;

type Values = Partial<Record<keyof typeof PATH_OPTIONS, string>>;

/** The synthetic process options (without seed count and steps), from --sigma ... --jump-sd. */
export function syntheticProcess(values: Partial<Record<keyof typeof SYNTHETIC_OPTIONS, string>>, defaults: { price: number; steps: number }): SyntheticMarketOptions & { steps: number } {
  const positive = (n: number): boolean => n > 0;
  const jumpIntensity = numberOption('jump-intensity', values['jump-intensity'], (n) => n >= 0, 'a number >= 0');
  return {
    initialPrice: numberOption('price', values.price, positive, 'a price > 0') ?? defaults.price,
    sigma: numberOption('sigma', values.sigma, (n) => n >= 0, 'a volatility >= 0') ?? 0.8,
    drift: numberOption('drift', values.drift, () => true, 'a number') ?? 0,
    seed: numberOption('seed', values.seed, Number.isInteger, 'an integer') ?? 1,
    steps: numberOption('steps', values.steps, (n) => Number.isInteger(n) && n >= 2, 'an integer >= 2') ?? defaults.steps,
    stepSeconds: numberOption('step-seconds', values['step-seconds'], positive, 'a number of seconds > 0') ?? 60,
    startTime: Date.UTC(2024, 0, 1),
    ...(jumpIntensity === undefined ? {} : { jumps: {
      intensity: jumpIntensity, meanLogJump: numberOption('jump-mean', values['jump-mean'], () => true, 'a number') ?? 0,
      sdLogJump: numberOption('jump-sd', values['jump-sd'], (n) => n >= 0, 'a number >= 0') ?? 0.05,
    } }),
  };
}

/** The path set the options name. */
export async function pathSetFrom(values: Values): Promise<PathSet> {
  const whole = (name: string, min: number) => (n: number): boolean => Number.isInteger(n) && n >= min;
  if (values.data !== undefined) {
    for (const k of ['paths', 'sigma', 'drift', 'seed', 'steps', 'step-seconds', 'price', 'jump-intensity'] as const) {
      if (values[k] !== undefined) throw new CliUsageError(`--${k} is for synthetic paths; it cannot be combined with --data`);
    }
    const windowMinutes = numberOption('window-minutes', values['window-minutes'], whole('window-minutes', 2), 'an integer >= 2') ?? 240;
    const strideMinutes = numberOption('stride-minutes', values['stride-minutes'], whole('stride-minutes', 1), 'an integer >= 1');
    return historyPaths({ data: values.data, windowMinutes, ...(strideMinutes === undefined ? {} : { strideMinutes }) });
  }
  if (values['window-minutes'] !== undefined || values['stride-minutes'] !== undefined) throw new CliUsageError('--window-minutes and --stride-minutes need --data');
  const count = numberOption('paths', values.paths, whole('paths', 2), 'an integer >= 2') ?? 20;
  const { seed, ...process } = syntheticProcess(values, { price: 1800, steps: 240 });
  try {
    return syntheticPaths({ ...process, seed, count });
  } catch (err) {
    if (err instanceof RangeError || (err instanceof Error && err.name === 'InvalidPriceError')) throw new CliUsageError(err.message);
    throw err;
  }
}
