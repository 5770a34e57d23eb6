/**
 * One step of the price processes the simulators and the backtester share: geometric Brownian
 * motion and Merton's jump diffusion, both exact in distribution for any step length. Pure
 * functions of the random draws, so every caller (the devnet's reference price, the simulated
 * chain's market, the backtester's synthetic markets) moves prices the same way for a seed.
 */
import { requireFinite, requireNonNegative, requirePositive } from './analyticsInput.js';
import type { SeededRandom } from './seededRandom.js';

/** Seconds in the year the annualized σ and μ refer to (365 days). */
export const SECONDS_PER_YEAR = 365 * 24 * 3600;

/** The normal distribution of ln(S(t+dt)/S(t)) for one step: mean and standard deviation. */
export interface LogStep {
  mean: number;
  sd: number;
}

/**
 * The log-return distribution of a GBM step of `dtYears`: mean (μ − σ²/2)·dt, sd σ·√dt, so that
 * E[S(t+dt)] = S(t)·e^{μ·dt}. Throws AnalyticsInputError for a negative σ or dt, or a non-finite μ.
 */
export function gbmLogStep(sigma: number, drift: number, dtYears: number): LogStep {
  requireNonNegative('sigma', sigma);
  requireFinite('drift', drift);
  requireNonNegative('dtYears', dtYears);
  return { mean: (drift - (sigma * sigma) / 2) * dtYears, sd: sigma * Math.sqrt(dtYears) };
}

/** One GBM step: S·exp(mean + sd·z) for a standard normal draw z. */
export function gbmStep(price: number, step: LogStep, z: number): number {
  return price * Math.exp(step.mean + step.sd * z);
}

/** Merton jumps: Poisson arrivals of log-normal multiplicative jumps. */
export interface JumpParams {
  /** Expected jumps per year (λ). */
  intensity: number;
  /** Mean of the log jump size (e.g. −0.05 for jumps of about −5%). */
  meanLogJump: number;
  /** Standard deviation of the log jump size. */
  sdLogJump: number;
}

/**
 * The drift correction that keeps E[S] growing at μ despite the jumps: −λ·(e^{m+s²/2} − 1)·dt,
 * added to the GBM step's mean.
 */
export function jumpCompensator(jumps: JumpParams, dtYears: number): number {
  requireNonNegative('intensity', jumps.intensity);
  requireFinite('meanLogJump', jumps.meanLogJump);
  requireNonNegative('sdLogJump', jumps.sdLogJump);
  return -jumps.intensity * (Math.exp(jumps.meanLogJump + (jumps.sdLogJump * jumps.sdLogJump) / 2) - 1) * dtYears;
}

/** A Poisson(mean) count by inversion (Knuth), from uniforms of `rng`; fine for the small means of one step. */
export function poissonCount(mean: number, rng: SeededRandom): number {
  requireNonNegative('mean', mean);
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/**
 * One Merton jump-diffusion step: a GBM step (its mean already compensated, see jumpCompensator)
 * times the product of the jumps that arrive in the step. Draws the diffusion's normal first,
 * then the jump count, then one normal per jump.
 */
export function jumpDiffusionStep(price: number, step: LogStep, jumps: JumpParams, dtYears: number, rng: SeededRandom): number {
  requirePositive('price', price);
  const diffused = gbmStep(price, step, rng.nextNormal());
  const count = poissonCount(jumps.intensity * dtYears, rng);
  let logJump = 0;
  for (let i = 0; i < count; i++) logJump += jumps.meanLogJump + jumps.sdLogJump * rng.nextNormal();
  return count === 0 ? diffused : diffused * Math.exp(logJump);
}
