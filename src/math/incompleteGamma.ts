/**
 * Regularized incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 - P(a, x), by
 * the series for x < a + 1 and the continued fraction (modified Lentz) otherwise, so each is
 * computed where it does not cancel. Relative accuracy ~1e-14. Basis of the chi-square and
 * normal distributions.
 */
import { AnalyticsInputError, requireNonNegative, requirePositive } from './analyticsInput.js';
import { logGamma } from './logGamma.js';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/** Lower regularized incomplete gamma P(a, x), a > 0, x >= 0. */
export function regularizedGammaP(a: number, x: number): number {
  requirePositive('a', a);
  requireNonNegative('x', x);
  if (x === 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Upper regularized incomplete gamma Q(a, x) = 1 - P(a, x), a > 0, x >= 0. */
export function regularizedGammaQ(a: number, x: number): number {
  requirePositive('a', a);
  requireNonNegative('x', x);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) {
      return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }
  }
  throw new AnalyticsInputError('OUT_OF_RANGE', 'a', a, `incomplete gamma series did not converge (x=${x})`);
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }
  throw new AnalyticsInputError('OUT_OF_RANGE', 'a', a, `incomplete gamma fraction did not converge (x=${x})`);
}
