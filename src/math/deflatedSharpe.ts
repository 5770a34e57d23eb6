/**
 * Deflated Sharpe ratio (Bailey & López de Prado, "The Deflated Sharpe Ratio", 2014): the
 * probability that a strategy's true Sharpe ratio is above the best Sharpe ratio that `trials`
 * strategies without skill would show by luck, given T observations of the chosen one.
 *
 *   SR_0 = sqrt(V[SR]) · ((1 - γ) Φ⁻¹(1 - 1/N) + γ Φ⁻¹(1 - 1/(N e)))       (γ = Euler–Mascheroni)
 *   DSR  = Φ( (SR - SR_0) sqrt(T - 1) / sqrt(1 - γ₃ SR + (γ₄ - 1)/4 SR²) )
 *
 * SR the chosen strategy's (non-annualized) Sharpe ratio, V[SR] the variance of the N trials'
 * Sharpe ratios, γ₃ the skewness and γ₄ the (non-excess) kurtosis of its returns. With N = 1 the
 * threshold is 0 and DSR is the probabilistic Sharpe ratio.
 */
import { requireInteger, requirePositive, requireSeries } from './analyticsInput.js';
import { normalCdf, normalQuantile } from './distributions.js';

const EULER_GAMMA = 0.5772156649015329;

export interface DeflatedSharpe {
  sharpe: number;
  expectedMaxSharpe: number;
  trials: number;
  observations: number;
  skewness: number;
  kurtosis: number;
  probability: number;
}

/** Skewness and non-excess kurtosis (population moments) of a sample; 0 and 3 when it has no spread. */
export function moments(values: readonly number[]): { mean: number; sd: number; skewness: number; kurtosis: number } {
  requireSeries('values', values, 2);
  const n = values.length;
  let m = 0;
  for (const v of values) m += v;
  m /= n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const v of values) {
    const d = v - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n; m3 /= n; m4 /= n;
  const sd = Math.sqrt((m2 * n) / (n - 1));
  return m2 > 0 ? { mean: m, sd, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) } : { mean: m, sd, skewness: 0, kurtosis: 3 };
}

export interface SharpeTrialStats {
  /** The chosen strategy's Sharpe ratio (same period as the observations). */
  sharpe: number;
  /** Variance of the N trials' Sharpe ratios. */
  sharpeVariance: number;
  trials: number;
  observations: number;
  skewness: number;
  kurtosis: number;
}

/** DSR from the statistics themselves (e.g. the paper's worked example). */
export function deflatedSharpeFromStats(s: SharpeTrialStats): DeflatedSharpe {
  const trials = requireInteger('trials', s.trials);
  requirePositive('trials', trials);
  const T = requireInteger('observations', s.observations);
  requirePositive('observations - 1', T - 1);
  const expectedMaxSharpe = trials > 1
    ? Math.sqrt(Math.max(0, s.sharpeVariance)) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
    : 0;
  const { sharpe, skewness, kurtosis } = s;
  const denom = Math.sqrt(Math.max(1e-12, 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe));
  const probability = normalCdf(((sharpe - expectedMaxSharpe) * Math.sqrt(T - 1)) / denom);
  return { sharpe, expectedMaxSharpe, trials, observations: T, skewness, kurtosis, probability };
}

/**
 * `returns`: the chosen strategy's returns (T of them); `trialSharpes`: the Sharpe ratios of all
 * N trials (the chosen one included).
 */
export function deflatedSharpe(returns: readonly number[], trialSharpes: readonly number[]): DeflatedSharpe {
  requireSeries('returns', returns, 2);
  requireSeries('trialSharpes', trialSharpes, 1);
  const { mean, sd, skewness, kurtosis } = moments(returns);
  requirePositive('sd of returns', sd);
  const sharpeVariance = trialSharpes.length > 1 ? moments(trialSharpes).sd ** 2 : 0;
  return deflatedSharpeFromStats({ sharpe: mean / sd, sharpeVariance, trials: trialSharpes.length, observations: returns.length, skewness, kurtosis });
}
