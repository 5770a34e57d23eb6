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
 *
 * (evaluated by Simpson's rule in v = √u, 400 panels; tested to < 1e-5 absolute). Then
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
const SIMPSON_PANELS = 400;

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
  // a pure function of five numbers that the agent asks again for each candidate range on every
  // message while the price and σ stand still: the last answers are kept
  const key = `${input.priceLower} ${input.priceUpper} ${input.price} ${sigma} ${horizon}`;
  const known = inRangeFractions.get(key);
  if (known !== undefined) return known;
  const fraction = integrateInRangeFraction(input.priceLower, input.priceUpper, input.price, sigma, horizon);
  if (inRangeFractions.size >= IN_RANGE_FRACTIONS_KEPT) inRangeFractions.delete(inRangeFractions.keys().next().value!);
  inRangeFractions.set(key, fraction);
  return fraction;
}

const IN_RANGE_FRACTIONS_KEPT = 512;
const inRangeFractions = new Map<string, number>();

function integrateInRangeFraction(priceLower: number, priceUpper: number, price: number, sigma: number, horizon: number): number {
  const a = Math.log(priceLower / price);
  const b = Math.log(priceUpper / price);
  const sigmaT = sigma * Math.sqrt(horizon / SECONDS_PER_YEAR);
  if (sigmaT === 0) return a <= 0 && 0 < b ? 1 : 0;
  const phi = (z: number): number => (z === Infinity ? 1 : z === -Infinity ? 0 : normalCdf(z));
  // u = v²: ∫_0^1 2v [Φ(b/(σ_T v)) − Φ(a/(σ_T v))] dv, integrand -> 0 at v = 0
  const f = (v: number): number => (v === 0 ? 0 : 2 * v * (phi(b / (sigmaT * v)) - phi(a / (sigmaT * v))));
  const h = 1 / SIMPSON_PANELS;
  let sum = f(0) + f(1);
  for (let k = 1; k < SIMPSON_PANELS; k++) sum += (k % 2 === 1 ? 4 : 2) * f(k * h);
  return Math.min(1, Math.max(0, (sum * h) / 3));
}

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
