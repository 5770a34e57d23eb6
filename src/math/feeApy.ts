/**
 * Fee yield of a position from the fees it earned over an interval.
 *
 *   periodReturn = fees / value
 *   APR = periodReturn * (YEAR / elapsed)                 (simple annualization)
 *   APY = (1 + periodReturn)^(YEAR / elapsed) - 1         (compounded annualization)
 *
 * with YEAR = 365 days (crypto markets trade every day). Fees and value must be in the same unit
 * (e.g. USD, or raw token1).
 */
import { requireNonNegative, requirePositive } from './analyticsInput.js';

/** Seconds in the 365-day year used for every annualization in src/math. */
export const SECONDS_PER_YEAR = 365 * 24 * 60 * 60;

/** Fees earned over `elapsedSeconds` by a position worth `positionValue` (same unit as fees). */
export interface FeeApyInput {
  /** Fees earned over the interval, >= 0. */
  fees: number;
  /** Position value the fees were earned on (e.g. its average or starting value), > 0. */
  positionValue: number;
  /** Interval length in seconds, > 0. */
  elapsedSeconds: number;
}

/** Fee yield over the interval and its annualizations (all fractions: 0.1 = 10%). */
export interface FeeApy {
  periodReturn: number;
  /** Simple annualization. */
  apr: number;
  /** Compounded annualization; may be Infinity for a large return over a very short interval. */
  apy: number;
}

/** Fee APR and APY from fees over time (see the module comment for the formulas). */
export function feeApy(input: FeeApyInput): FeeApy {
  requireNonNegative('fees', input.fees);
  requirePositive('positionValue', input.positionValue);
  requirePositive('elapsedSeconds', input.elapsedSeconds);
  const periodReturn = input.fees / input.positionValue;
  const periodsPerYear = SECONDS_PER_YEAR / input.elapsedSeconds;
  return {
    periodReturn,
    apr: periodReturn * periodsPerYear,
    apy: Math.expm1(Math.log1p(periodReturn) * periodsPerYear),
  };
}
