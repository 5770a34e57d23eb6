/**
 * What --data names, read into windows: consecutive minute-bar days are one window, days apart
 * are separate windows (never one run across a gap of months); a name that says no format, a
 * directory given another format, an empty directory are clear input errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatOf, openInput } from '../../src/backtest/backtestInput.js';
import { BacktestInputError } from '../../src/backtest/inputError.js';
import { EXAMPLE_MINUTE_BARS } from '../support/sharedData.js';

const dir = mkdtempSync(join(tmpdir(), 'rk-backtest-input-'));
const lines = readFileSync(EXAMPLE_MINUTE_BARS, 'utf8').trimEnd().split('\n');
const header = lines[0]!;
/** The example day's first `n` bars, moved to `date`. */
const day = (date: string, n: number): string => [header, ...lines.slice(1, n + 1).map((l) => l.replace('2023-08-17', date))].join('\n') + '\n';

describe('backtest input', () => {
  it('tells the format from the name', () => {
    expect(formatOf('a.minute.csv')).toBe('bars');
    expect(formatOf('x-2024-01-05.tick.csv')).toBe('events');
    expect(formatOf('pool.jsonl')).toBe('jsonl');
    expect(formatOf('prices.csv')).toBeUndefined();
  });

  it('makes consecutive days one window and days apart separate windows', async () => {
    const d = join(dir, 'days');
    mkdirSync(d);
    // 2023-08-16 ends at 23:59 only if full: use whole days for the consecutive pair
    writeFileSync(join(d, 'p-2023-08-16.minute.csv'), [header, ...lines.slice(1).map((l) => l.replace('2023-08-17', '2023-08-16'))].join('\n') + '\n');
    writeFileSync(join(d, 'p-2023-08-17.minute.csv'), day('2023-08-17', 10));
    writeFileSync(join(d, 'p-2024-02-15.minute.csv'), day('2024-02-15', 10));
    writeFileSync(join(d, 'notes.txt'), 'not data');
    const windows = await openInput({ data: d, format: undefined });
    expect(windows.map((w) => w.label)).toEqual(['p-2023-08-16.minute.csv … p-2023-08-17.minute.csv (2 files)', 'p-2024-02-15.minute.csv']);
    expect(windows[0]!.startTime).toBe(Date.UTC(2023, 7, 16));
    expect(windows[1]!.startTime).toBe(Date.UTC(2024, 1, 15));
  });

  it('refuses what it cannot read, naming the path', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const txt = join(dir, 'bars.txt');
    writeFileSync(txt, day('2023-08-17', 3));
    for (const [o, message] of [
      [{ data: txt, format: undefined }, /bars\.txt: cannot tell the format/],
      [{ data: empty, format: undefined }, /empty: no \*\.minute\.csv file/],
      [{ data: empty, format: 'jsonl' as const }, /a directory is read as minute bars/],
      [{ data: join(dir, 'missing.minute.csv'), format: undefined }, /missing\.minute\.csv: cannot read/],
    ] as const) {
      const err = await openInput(o).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(BacktestInputError);
      expect((err as Error).message).toMatch(message);
    }
  });
});
