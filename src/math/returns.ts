/**
 * Per-period returns of a price or equity series (values > 0, evenly spaced in time):
 *
 *   simple:  r_i = v_i / v_{i-1} - 1
 *   log:     r_i = ln(v_i / v_{i-1})
 */
import { requirePositive, requireSeries } from './analyticsInput.js';

function requirePositiveSeries(values: readonly number[]): void {
  requireSeries('values', values, 2);
  for (let i = 0; i < values.length; i++) requirePositive(`values[${i}]`, values[i] as number);
}

/** Simple returns v_i/v_{i-1} - 1 (length n-1); values must be > 0, n >= 2. */
export function simpleReturns(values: readonly number[]): number[] {
  requirePositiveSeries(values);
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) out.push((values[i] as number) / (values[i - 1] as number) - 1);
  return out;
}

/** Log returns ln(v_i/v_{i-1}) (length n-1); values must be > 0, n >= 2. */
export function logReturns(values: readonly number[]): number[] {
  requirePositiveSeries(values);
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) out.push(Math.log((values[i] as number) / (values[i - 1] as number)));
  return out;
}
