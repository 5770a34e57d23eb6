/**
 * Forward-looking fee yield of a range, from what the pool pays per unit of liquidity.
 *
 * A pool's feeGrowthGlobal{0,1}X128 is the fee paid per unit of active liquidity (Q128.128). Over
 * an interval its increase gives the fee income one unit of in-range liquidity earned:
 *
 *   feePerLiquidityPerYear = (Δfg0 / 2^128 · P + Δfg1 / 2^128) · YEAR / elapsed   (raw token1 per L per year)
 *
 * A position on [Pa, Pb] costs valuePerLiquidity(P) = V(P)/L token1 per unit of liquidity, so
 * while in range it yields
 *
 *   inRangeApr = feePerLiquidityPerYear / valuePerLiquidity(P)
 *
 * and over a horizon T it is in range for the expected fraction (driftless log-normal price,
 * log-volatility σ, X_t = ln(P_t/P), a = ln(Pa/P), b = ln(Pb/P), σ_T = σ·sqrt(T/YEAR)):
 *
 *   inRangeFraction = (1/T) ∫_0^T P(a <= X_t < b) dt = ∫_0^1 [Φ(b/(σ_T √u)) − Φ(a/(σ_T √u))] du
 *                   = I(b/σ_T) − I(a/σ_T)
 *
 * in closed form: by parts, ∫_0^1 Φ(c/√u) du = Φ(c) + c ∫_0^1 φ(c/v) dv, and for c >= 0
 * ∫_0^1 φ(c/v) dv = φ(c) − c Φ(−c), so I(c) = Φ(c) + c φ(c) − c² Φ(−c), and I(c) = 1 − I(−c)
 * for c < 0 (tested against a brute-force integral). Then
 *
 *   expectedFeeApr = inRangeApr · inRangeFraction
 *   expectedLvrApr = σ² · √P̃ / (4 · valuePerLiquidity(P̃)) · inRangeFraction   (P̃ = P clamped into [Pa, Pb])
 *   netApr         = expectedFeeApr − expectedLvrApr
 *
 * The LVR term is evaluated at the current (clamped) price: an approximation, stated as such.
 * All rates are simple annual fractions (0.1 = 10%/yr), comparable with feeApy().apr.
 */
import { AnalyticsInputError, requireNonNegative, requirePositive } from './analyticsInput.js';
import { normalCdf } from './distributions.js';
import { SECONDS_PER_YEAR } from './feeApy.js';
import { validatePriceRange, valuePerLiquidity } from './positionValue.js';

const Q128 = 2 ** 128;
const MAX_UINT256 = (1n << 256n) - 1n;

/** Fee-growth increases of a pool over an interval (caller takes them modulo 2^256, as Solidity does). */
export interface FeeIncomeRateInput {
  feeGrowthGlobal0DeltaX128: bigint;
  feeGrowthGlobal1DeltaX128: bigint;
  /** Raw price used to value token0 fees in token1. */
  price: number;
  elapsedSeconds: number;
}

/** Fee income per unit of active liquidity per year, raw token1 units (see the module comment). */
export function feeIncomePerLiquidityPerYear(input: FeeIncomeRateInput): number {
  for (const [field, v] of [
    ['feeGrowthGlobal0DeltaX128', input.feeGrowthGlobal0DeltaX128],
    ['feeGrowthGlobal1DeltaX128', input.feeGrowthGlobal1DeltaX128],
  ] as const) {
    if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256) {
      throw new AnalyticsInputError('OUT_OF_RANGE', field, v, 'must be a bigint in [0, 2^256)');
    }
  }
  requirePositive('price', input.price);
  requirePositive('elapsedSeconds', input.elapsedSeconds);
  const perL = (Number(input.feeGrowthGlobal0DeltaX128) / Q128) * input.price + Number(input.feeGrowthGlobal1DeltaX128) / Q128;
  return (perL * SECONDS_PER_YEAR) / input.elapsedSeconds;
}

/** Expected share of the next `horizonSeconds` the price spends in [Pa, Pb) (see the module comment). */
export interface InRangeFractionInput {
  priceLower: number;
  priceUpper: number;
  price: number;
  /** Annualized volatility of ln(price), >= 0. */
  annualVolatility: number;
  horizonSeconds: number;
}

/** Expected fraction of the horizon spent in range, in [0, 1]. */
export function expectedInRangeFraction(input: InRangeFractionInput): number {
  validatePriceRange(input.priceLower, input.priceUpper);
  requirePositive('price', input.price);
  const sigma = requireNonNegative('annualVolatility', input.annualVolatility);
  const horizon = requirePositive('horizonSeconds', input.horizonSeconds);
  const a = Math.log(input.priceLower / input.price);
  const b = Math.log(input.priceUpper / input.price);
  const sigmaT = sigma * Math.sqrt(horizon / SECONDS_PER_YEAR);
  if (sigmaT === 0) return a <= 0 && 0 < b ? 1 : 0;
  return Math.min(1, Math.max(0, meanInRangeBelow(b / sigmaT) - meanInRangeBelow(a / sigmaT)));
}

/** I(c) = ∫_0^1 Φ(c/√u) du: the share of the horizon a driftless walk started c·σ_T below a bound spends below it (see the module comment). */
function meanInRangeBelow(c: number): number {
  if (c === Infinity) return 1;
  if (c === -Infinity) return 0;
  const x = Math.abs(c);
  const upper = normalCdf(x) + x * NORMAL_PDF_AT_0 * Math.exp(-0.5 * x * x) - x * x * normalCdf(-x);
  return c >= 0 ? upper : 1 - upper;
}

const NORMAL_PDF_AT_0 = 1 / Math.sqrt(2 * Math.PI);

/** Inputs of the expected fee APR of a range. */
export interface ExpectedFeeAprInput extends InRangeFractionInput {
  /** From feeIncomePerLiquidityPerYear(), raw token1 per unit liquidity per year, >= 0. */
  feeIncomePerLiquidityPerYear: number;
}

/** Expected yields of a range over the horizon (simple annual fractions). */
export interface ExpectedFeeApr {
  inRangeFraction: number;
  /** Fee APR while in range. */
  inRangeApr: number;
  expectedFeeApr: number;
  expectedLvrApr: number;
  /** expectedFeeApr − expectedLvrApr. */
  netApr: number;
}

/** Expected fee APR, LVR APR and net APR of holding [Pa, Pb] from P over the horizon. */
export function expectedFeeApr(input: ExpectedFeeAprInput): ExpectedFeeApr {
  const income = requireNonNegative('feeIncomePerLiquidityPerYear', input.feeIncomePerLiquidityPerYear);
  const inRangeFraction = expectedInRangeFraction(input);
  const vpl = valuePerLiquidity(input.priceLower, input.priceUpper, input.price);
  const inRangeApr = income / vpl;
  const clamped = Math.min(Math.max(input.price, input.priceLower), input.priceUpper);
  const sigma = input.annualVolatility;
  const lvrInRange = (sigma * sigma * Math.sqrt(clamped)) / (4 * valuePerLiquidity(input.priceLower, input.priceUpper, clamped));
  const expectedFee = inRangeApr * inRangeFraction;
  const expectedLvrApr = lvrInRange * inRangeFraction;
  return { inRangeFraction, inRangeApr, expectedFeeApr: expectedFee, expectedLvrApr, netApr: expectedFee - expectedLvrApr };
}
