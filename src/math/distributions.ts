/**
 * Cumulative distribution functions and quantiles of the normal, Student t and chi-square
 * distributions, built on the regularized incomplete beta and gamma functions:
 *
 *   Φ(z)         = 1/2 erfc(-z/√2), with erfc(u) = Q(1/2, u²) for u >= 0
 *   F_t(t; ν)    = 1 - 1/2 I_{ν/(ν+t²)}(ν/2, 1/2) for t >= 0 (symmetric for t < 0)
 *   F_χ²(x; k)   = P(k/2, x/2)
 *
 * Quantiles invert the CDFs by bisection (to 1e-15 relative, or absolute below 1).
 */
import { requireFinite, requireInRange, requireNonNegative, requirePositive } from './analyticsInput.js';
import { regularizedIncompleteBeta } from './incompleteBeta.js';
import { regularizedGammaP, regularizedGammaQ } from './incompleteGamma.js';

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  requireFinite('z', z);
  if (Math.abs(z) > 40) return z > 0 ? 1 : 0; // Φ(-40) ≈ 4e-350 underflows anyway
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2); // P(Z > |z|)
  return z >= 0 ? 1 - tail : tail;
}

/** Student t CDF with `df` > 0 degrees of freedom (df may be fractional, as in Welch's test). */
export function studentTCdf(t: number, df: number): number {
  requireFinite('t', t);
  requirePositive('df', df);
  const tail = 0.5 * twoSidedTail(t, df); // P(T > |t|)
  return t >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value P(|T| >= |t|) of the Student t distribution: I_{ν/(ν+t²)}(ν/2, 1/2). */
export function studentTTwoSidedPValue(t: number, df: number): number {
  requireFinite('t', t);
  requirePositive('df', df);
  return twoSidedTail(t, df);
}

/**
 * P(|T| >= |t|) = I_{ν/(ν+t²)}(ν/2, 1/2); for small t² it uses 1 - I_{t²/(ν+t²)}(1/2, ν/2) so
 * that ν/(ν+t²) rounding to 1 does not lose the tail.
 */
function twoSidedTail(t: number, df: number): number {
  const t2 = t * t;
  return t2 < df
    ? 1 - regularizedIncompleteBeta(t2 / (df + t2), 0.5, df / 2)
    : regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5);
}

/** Chi-square CDF with k > 0 degrees of freedom at x >= 0. */
export function chiSquareCdf(x: number, k: number): number {
  requireNonNegative('x', x);
  requirePositive('k', k);
  return regularizedGammaP(k / 2, x / 2);
}

/** Inverts an increasing CDF by bracketing then bisection (to adjacent doubles). */
function invertCdf(cdf: (x: number) => number, p: number, lower: number, start: number): number {
  let lo = lower;
  let hi = start;
  while (cdf(hi) < p) {
    lo = hi;
    hi = hi > 0 ? hi * 2 : hi === 0 ? 1 : hi / 2;
  }
  if (lower === -Infinity) {
    lo = -Math.abs(hi) - 1;
    while (cdf(lo) > p) lo *= 2;
  }
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * Math.max(1, Math.abs(lo), Math.abs(hi))) break;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

function requireProbability(p: number): void {
  requireInRange('p', p, 0, 1);
  if (p === 0 || p === 1) requireInRange('p', p, Number.MIN_VALUE, 1 - Number.EPSILON / 2);
}

/** z with Φ(z) = p, 0 < p < 1. */
export function normalQuantile(p: number): number {
  requireProbability(p);
  return invertCdf(normalCdf, p, -Infinity, 1);
}

/** t with F_t(t; df) = p, 0 < p < 1. */
export function studentTQuantile(p: number, df: number): number {
  requireProbability(p);
  requirePositive('df', df);
  return invertCdf((t) => studentTCdf(t, df), p, -Infinity, 1);
}

/** x with F_χ²(x; k) = p, 0 < p < 1. */
export function chiSquareQuantile(p: number, k: number): number {
  requireProbability(p);
  requirePositive('k', k);
  return invertCdf((x) => chiSquareCdf(x, k), p, 0, Math.max(1, k));
}
