/**
 * A drill's command line: its flags parsed with node:util, `--help` printing the usage (exit 0),
 * and a bad flag or value one line with the usage (exit 2), as every rangekeeper command does.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface DrillFlags<O extends Options> {
  values: ReturnType<typeof parseArgs<{ options: O }>>['values'];
  /** Prints `msg` and the usage, exits 2. */
  fail(msg: string): never;
  /** An integer flag within [min, max]. */
  int(name: string, s: string, min: number, max: number): number;
  /** A positive finite number flag. */
  positive(name: string, s: string): number;
}

export function drillFlags<O extends Options>(command: string, usage: string, options: O): DrillFlags<O> {
  const fail = (msg: string): never => {
    console.error(`${command}: ${msg}\n${usage}`);
    process.exit(2);
  };
  let values: DrillFlags<O>['values'];
  try {
    values = parseArgs({ options }).values;
  } catch (err) {
    return fail((err as Error).message);
  }
  if ((values as { help?: boolean }).help === true) {
    console.log(usage);
    process.exit(0);
  }
  return {
    values, fail,
    int: (name, s, min, max) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer ${min}..${max}, got ${s}`);
      return n;
    },
    positive: (name, s) => {
      const n = Number(s);
      if (!(n > 0) || !Number.isFinite(n)) fail(`--${name} must be a positive number, got ${s}`);
      return n;
    },
  };
}
