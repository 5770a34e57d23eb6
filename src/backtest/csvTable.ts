/**
 * A small reader for the header-first, comma-separated files the backtester takes (no quoted
 * fields: none of our formats has commas inside a value). It checks the header names every
 * required column, gives each row to the caller with its line number, and parses the field
 * types these files use, each failure a BacktestInputError naming file, line and column.
 */
import { BacktestInputError, readInputText } from './inputError.js';
import { parseTimestamp } from './timestamp.js';

/** One data row: its 1-based line number and a typed accessor for each column. */
export interface CsvRow {
  readonly line: number;
  /** The raw cell of `column` (trimmed); '' when the row is shorter than the header. */
  text(column: string): string;
  /** A required integer cell as bigint ("12.0" is accepted, as some datasets write ints as floats). */
  bigint(column: string): bigint;
  /** An optional integer cell: undefined when empty. */
  optionalBigint(column: string): bigint | undefined;
  /** A required integer cell that fits a JS number (ticks, block numbers, indexes). */
  int(column: string): number;
  /** An optional small integer cell: undefined when empty. */
  optionalInt(column: string): number | undefined;
  /** A required finite number. */
  number(column: string): number;
  /** A required timestamp (see parseTimestamp), as ms since the Unix epoch. */
  time(column: string): number;
  /** A BacktestInputError for this row and column. */
  error(column: string, reason: string): BacktestInputError;
}

/** A parsed file: its header, and its data rows in file order (blank and `#` lines skipped). */
export interface CsvTable {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: CsvRow[];
}

const INTEGER = /^[+-]?\d+(\.0*)?$/;

/** Parses CSV text whose first non-blank line is the header; throws when a required column is missing. */
export function parseCsvTable(file: string, text: string, required: readonly string[]): CsvTable {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (headerIndex < 0) throw new BacktestInputError(file, 0, '', 'the file is empty (expected a header line and rows)');
  const columns = lines[headerIndex]!.split(',').map((c) => c.trim());
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.set(c, i));
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new BacktestInputError(file, headerIndex + 1, missing[0]!, `missing column (the header needs ${missing.join(', ')}; it has ${columns.join(', ')})`);
  }
  const rows: CsvRow[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    rows.push(makeRow(file, i + 1, raw.split(','), index));
  }
  return { file, columns, rows };
}

/** Reads and parses a CSV file; a missing or unreadable file is a BacktestInputError too. */
export async function readCsvTable(file: string, required: readonly string[]): Promise<CsvTable> {
  return parseCsvTable(file, await readInputText(file), required);
}

function makeRow(file: string, line: number, cells: string[], index: ReadonlyMap<string, number>): CsvRow {
  const text = (column: string): string => {
    const i = index.get(column);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const error = (column: string, reason: string): BacktestInputError => new BacktestInputError(file, line, column, reason);
  const required = (column: string): string => {
    const t = text(column);
    if (t === '') throw error(column, 'empty (a value is required)');
    return t;
  };
  const bigint = (column: string): bigint => {
    const t = required(column);
    if (!INTEGER.test(t)) throw error(column, `"${t.slice(0, 80)}" is not an integer`);
    return BigInt(t.replace(/\.0*$/, '').replace(/^\+/, ''));
  };
  const int = (column: string): number => {
    const v = bigint(column);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw error(column, `${v} is too large`);
    return Number(v);
  };
  return {
    line,
    text,
    error,
    bigint,
    int,
    optionalBigint: (column) => (text(column) === '' ? undefined : bigint(column)),
    optionalInt: (column) => (text(column) === '' ? undefined : int(column)),
    number(column) {
      const t = required(column);
      const n = Number(t);
      if (!Number.isFinite(n)) throw error(column, `"${t.slice(0, 80)}" is not a finite number`);
      return n;
    },
    time(column) {
      const t = required(column);
      const ms = parseTimestamp(t);
      if (ms === undefined) throw error(column, `"${t.slice(0, 80)}" is not a timestamp (YYYY-MM-DD HH:MM:SS UTC, ISO-8601, or Unix seconds/ms)`);
      return ms;
    },
  };
}
