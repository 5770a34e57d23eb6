import { readFile } from 'node:fs/promises';

/**
 * The one error every backtest input reader throws on bad data: which file, which line (1-based,
 * the header is line 1), which field, and why. Its message is the one line a user sees, e.g.
 * `bars.csv:17: closeTick: "abc" is not an integer`.
 */
export class BacktestInputError extends Error {
  override readonly name = 'BacktestInputError';
  constructor(
    /** The file (or a label such as `<stdin>`) the bad data came from. */
    readonly file: string,
    /** 1-based line number; 0 when the problem is the file as a whole (missing, empty). */
    readonly line: number,
    /** The column or JSON field at fault, or '' when the whole line is. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${field === '' ? '' : `${field}: `}${reason}`);
  }
}

/** Reads a whole input file as UTF-8; a missing or unreadable file is a BacktestInputError (line 0). */
export async function readInputText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new BacktestInputError(file, 0, '', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
