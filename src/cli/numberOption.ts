import { CliUsageError } from './usageError.js';

/**
 * A numeric command-line option: undefined when absent, else the number, or a CliUsageError
 * (exit 2) saying `--<name> must be <what>, got "<raw>"` when it is empty, not finite or fails `check`.
 */
export function numberOption(name: string, raw: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) throw new CliUsageError(`--${name} must be ${what}, got "${raw}"`);
  return n;
}
