/**
 * Reads a reference (CEX) price series for the hedge leg: a CSV with the header
 * `timestamp,price` or `timestamp,price,fundingRate`.
 *
 * | column | meaning |
 * |---|---|
 * | timestamp | `YYYY-MM-DD HH:MM:SS` / ISO-8601 (UTC when no zone), or Unix seconds / ms; strictly increasing |
 * | price | the reference price in quote per base (e.g. USDC per ETH), > 0 |
 * | fundingRate | optional: the perp funding rate in force from this row on, as a fraction per 8 hours (0.0001 = 0.01%); longs pay shorts when positive. An empty cell carries the previous rate |
 *
 * Without the series the backtest uses the pool price. Bad rows throw BacktestInputError.
 */
import { BacktestInputError } from './inputError.js';
import { readCsvTable, type CsvTable } from './csvTable.js';

export interface ReferencePrice {
  /** ms since the Unix epoch. */
  time: number;
  price: number;
  /** Funding per 8 h as a fraction; undefined when the file has no funding column. */
  fundingRate: number | undefined;
}

/** The series of a parsed table (see the module comment). */
export function referencePricesOf(table: CsvTable): ReferencePrice[] {
  const withFunding = table.columns.includes('fundingRate');
  const out: ReferencePrice[] = [];
  for (const row of table.rows) {
    const time = row.time('timestamp');
    const price = row.number('price');
    if (price <= 0) throw row.error('price', `${price} is not a positive price`);
    const prev = out[out.length - 1];
    if (prev !== undefined && time <= prev.time) {
      throw row.error('timestamp', `${new Date(time).toISOString()} is not after the previous row's ${new Date(prev.time).toISOString()}`);
    }
    let fundingRate: number | undefined;
    if (withFunding) {
      if (row.text('fundingRate') === '') {
        if (prev === undefined) throw row.error('fundingRate', 'empty on the first row (nothing to carry forward)');
        fundingRate = prev.fundingRate;
      } else {
        fundingRate = row.number('fundingRate');
        if (Math.abs(fundingRate) >= 1) throw row.error('fundingRate', `${fundingRate} is not a fraction per 8 hours (|rate| < 1)`);
      }
    }
    out.push({ time, price, fundingRate });
  }
  if (out.length === 0) throw new BacktestInputError(table.file, 0, '', 'no price rows');
  return out;
}

/** Reads a reference price CSV file. */
export async function readReferencePricesCsv(file: string): Promise<ReferencePrice[]> {
  return referencePricesOf(await readCsvTable(file, ['timestamp', 'price']));
}
