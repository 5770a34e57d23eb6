/**
 * Reads a recorded price path from CSV: one `timestamp,price` per line, an optional header line,
 * timestamps as ISO-8601 or `YYYY-MM-DD HH:MM:SS` (UTC when no zone is given), Unix seconds or
 * Unix milliseconds. Rows must be in time order.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseTimestamp } from '../../../../backtest/timestamp.js';
import type { PricePoint } from './referencePrice.js';

/** A CSV row that is not a valid `timestamp,price`, with its 1-based line number. */
export class PriceCsvError extends Error {
  override readonly name = 'PriceCsvError';
  constructor(readonly line: number, readonly text: string, reason: string) {
    super(`price CSV line ${line} ("${text.slice(0, 80)}"): ${reason}`);
  }
}

const priceSchema = z.coerce.number().positive().finite();

/** Parses CSV text into price points; throws PriceCsvError for the first bad row. */
export function parsePriceCsv(text: string): PricePoint[] {
  const out: PricePoint[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 2) throw new PriceCsvError(i + 1, line, 'expected two columns: timestamp,price');
    const time = parseTimestamp(cells[0]!);
    if (time === undefined) {
      if (out.length === 0 && !/^\d/.test(cells[0]!)) continue; // header
      throw new PriceCsvError(i + 1, line, `bad timestamp "${cells[0]}"`);
    }
    const price = priceSchema.safeParse(cells[1]);
    if (!price.success) throw new PriceCsvError(i + 1, line, `bad price "${cells[1]}" (must be a positive number)`);
    const prev = out[out.length - 1];
    if (prev !== undefined && time < prev.time) throw new PriceCsvError(i + 1, line, 'timestamps must not go backwards');
    out.push({ time, price: price.data });
  }
  if (out.length === 0) throw new PriceCsvError(lines.length, '', 'no price rows');
  return out;
}

/** Reads and parses a price CSV file. */
export async function readPriceCsv(file: string): Promise<PricePoint[]> {
  return parsePriceCsv(await readFile(file, 'utf8'));
}
