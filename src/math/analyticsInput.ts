/**
 * Input validation for the float64 analytics (IL, greeks, statistics, policies).
 *
 * Every analytics function checks its inputs and throws an AnalyticsInputError carrying the
 * offending value instead of returning NaN or a silently wrong number: these numbers decide
 * rebalances and hedges with real money behind them.
 */

/** Why an analytics input was rejected. */
export type AnalyticsInputErrorCode =
  | 'NOT_FINITE'
  | 'NOT_POSITIVE'
  | 'NEGATIVE'
  | 'NOT_INTEGER'
  | 'OUT_OF_RANGE'
  | 'INSUFFICIENT_DATA'
  | 'INVALID_RANGE';

/** Thrown when an analytics function receives an input outside its domain. */
export class AnalyticsInputError extends Error {
  override readonly name = 'AnalyticsInputError';
  /** Machine-readable reason. */
  readonly code: AnalyticsInputErrorCode;
  /** Name of the offending input (e.g. `priceLower`, `returns[3]`). */
  readonly field: string;
  /** The offending value itself. */
  readonly value: unknown;

  constructor(code: AnalyticsInputErrorCode, field: string, value: unknown, detail: string) {
    super(`${field}: ${detail} (got ${describe(value)})`);
    this.code = code;
    this.field = field;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (typeof value === 'bigint') return `${value.toString()}n`;
  return String(value);
}

/** Returns `value` if it is a finite number, else throws NOT_FINITE. */
export function requireFinite(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AnalyticsInputError('NOT_FINITE', field, value, 'must be a finite number');
  }
  return value;
}

/** Returns `value` if it is finite and > 0, else throws. */
export function requirePositive(field: string, value: number): number {
  requireFinite(field, value);
  if (!(value > 0)) throw new AnalyticsInputError('NOT_POSITIVE', field, value, 'must be > 0');
  return value;
}

/** Returns `value` if it is finite and >= 0, else throws. */
export function requireNonNegative(field: string, value: number): number {
  requireFinite(field, value);
  if (value < 0) throw new AnalyticsInputError('NEGATIVE', field, value, 'must be >= 0');
  return value;
}

/** Returns `value` if it is an integer (safe), else throws NOT_INTEGER. */
export function requireInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new AnalyticsInputError('NOT_INTEGER', field, value, 'must be a safe integer');
  }
  return value;
}

/** Returns `value` if it is finite and within [min, max] (inclusive), else throws. */
export function requireInRange(field: string, value: number, min: number, max: number): number {
  requireFinite(field, value);
  if (value < min || value > max) {
    throw new AnalyticsInputError('OUT_OF_RANGE', field, value, `must be within [${min}, ${max}]`);
  }
  return value;
}

/** Checks every element is finite and the series has at least `minLength` elements. */
export function requireSeries(field: string, values: readonly number[], minLength: number): readonly number[] {
  if (!Array.isArray(values) || values.length < minLength) {
    throw new AnalyticsInputError(
      'INSUFFICIENT_DATA', field, values, `needs at least ${minLength} observations`);
  }
  for (let i = 0; i < values.length; i++) requireFinite(`${field}[${i}]`, values[i] as number);
  return values;
}
