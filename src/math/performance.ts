/**
 * Strategy performance from an equity curve sampled every period and a list of closed trades,
 * as the spec's Data Engine reports it. With returns r_i = E_i/E_{i-1} - 1 (n of them), N periods
 * per year and rf the annual risk-free rate (per period: rf_p = (1+rf)^{1/N} - 1):
 *
 *   totalReturn       = E_last / E_first - 1
 *   annualizedReturn  = (E_last / E_first)^{N/n} - 1
 *   volatility        = sample std of r * sqrt(N)
 *   sharpeRatio       = mean(r - rf_p) / std(r) * sqrt(N)                  (null when std = 0)
 *   sortinoRatio      = mean(r - rf_p) / DD * sqrt(N),
 *                       DD = sqrt(Σ min(0, r_i - rf_p)² / n)                 (null when DD = 0)
 *   maxDrawdown       = max_t (peak_t - E_t) / peak_t, peak_t = max_{s<=t} E_s   (fraction, >= 0)
 *   calmarRatio       = annualizedReturn / maxDrawdown                      (null when MDD = 0)
 *   winRate           = #(trades with pnl > 0) / #trades                    (null with no trades)
 *   avgTradeDuration  = mean(closedAt - openedAt), ms                       (null with no trades)
 *   avgPnLPerTrade    = mean(pnl)                                           (null with no trades)
 *
 * A ratio whose denominator is zero (e.g. a constant equity curve: volatility 0) is null, not 0
 * or Infinity: it is undefined, and callers must say so rather than rank on it.
 */
import { AnalyticsInputError, requireFinite, requireNonNegative, requirePositive, requireSeries } from './analyticsInput.js';
import { mean, sampleStdDev } from './descriptiveStatistics.js';
import { simpleReturns } from './returns.js';

/** A closed trade: open and close times (ms since epoch) and realized PnL (quote currency). */
export interface ClosedTrade {
  openedAt: number;
  closedAt: number;
  pnl: number;
}

/** An equity curve (> 0, one value per period), its period length and optional trades. */
export interface PerformanceInput {
  /** Equity at each period end, > 0, at least 3 values (2 returns). */
  equity: readonly number[];
  /** Periods per 365-day year. */
  periodsPerYear: number;
  /** Annual risk-free rate as a fraction (default 0). */
  riskFreeRate?: number;
  /** Closed trades of the period (default none). */
  trades?: readonly ClosedTrade[];
}

/** The spec's PerformanceMetrics plus the numbers behind them. */
export interface PerformanceMetrics {
  periods: number;
  totalReturn: number;
  annualizedReturn: number;
  /** Annualized volatility of period returns. */
  volatility: number;
  sharpeRatio: number | null;
  sortinoRatio: number | null;
  calmarRatio: number | null;
  /** Fraction in [0, 1). */
  maxDrawdown: number;
  /** Index of the equity peak before the deepest drawdown, and of its trough. */
  maxDrawdownPeakIndex: number;
  maxDrawdownTroughIndex: number;
  tradeCount: number;
  winRate: number | null;
  /** Milliseconds. */
  avgTradeDuration: number | null;
  avgPnLPerTrade: number | null;
}

/** Maximum drawdown of an equity curve and where it happens. */
export interface MaxDrawdown {
  maxDrawdown: number;
  peakIndex: number;
  troughIndex: number;
}

/** Deepest peak-to-trough fall (peak - trough) / peak of a positive series. */
export function maxDrawdown(equity: readonly number[]): MaxDrawdown {
  requireSeries('equity', equity, 1);
  let peak = requirePositive('equity[0]', equity[0] as number);
  let peakIndex = 0;
  let best: MaxDrawdown = { maxDrawdown: 0, peakIndex: 0, troughIndex: 0 };
  for (let i = 1; i < equity.length; i++) {
    const v = requirePositive(`equity[${i}]`, equity[i] as number);
    if (v > peak) {
      peak = v;
      peakIndex = i;
    } else {
      const dd = (peak - v) / peak;
      if (dd > best.maxDrawdown) best = { maxDrawdown: dd, peakIndex, troughIndex: i };
    }
  }
  return best;
}

/** Total/annualized return, volatility, Sharpe, Sortino, Calmar, drawdown and trade statistics. */
export function performanceMetrics(input: PerformanceInput): PerformanceMetrics {
  const equity = requireSeries('equity', input.equity, 3);
  const periodsPerYear = requirePositive('periodsPerYear', input.periodsPerYear);
  const rf = requireFinite('riskFreeRate', input.riskFreeRate ?? 0);
  if (rf <= -1) throw new AnalyticsInputError('OUT_OF_RANGE', 'riskFreeRate', rf, 'must be > -1');
  const dd = maxDrawdown(equity);
  const r = simpleReturns(equity);
  const n = r.length;
  const growth = (equity[equity.length - 1] as number) / (equity[0] as number);
  const annualizedReturn = Math.pow(growth, periodsPerYear / n) - 1;
  const rfPerPeriod = Math.pow(1 + rf, 1 / periodsPerYear) - 1;
  const excess = r.map((x) => x - rfPerPeriod);
  const meanExcess = mean(excess);
  const std = sampleStdDev(r);
  let downsideSq = 0;
  for (const x of excess) if (x < 0) downsideSq += x * x;
  const downsideDeviation = Math.sqrt(downsideSq / n);
  const annualize = Math.sqrt(periodsPerYear);

  const trades = input.trades ?? [];
  trades.forEach((t, i) => {
    requireNonNegative(`trades[${i}].openedAt`, t.openedAt);
    requireFinite(`trades[${i}].pnl`, t.pnl);
    if (!(requireFinite(`trades[${i}].closedAt`, t.closedAt) >= t.openedAt)) {
      throw new AnalyticsInputError('OUT_OF_RANGE', `trades[${i}].closedAt`, t.closedAt, 'must be >= openedAt');
    }
  });
  const tradeCount = trades.length;
  return {
    periods: n,
    totalReturn: growth - 1,
    annualizedReturn,
    volatility: std * annualize,
    sharpeRatio: std > 0 ? (meanExcess / std) * annualize : null,
    sortinoRatio: downsideDeviation > 0 ? (meanExcess / downsideDeviation) * annualize : null,
    calmarRatio: dd.maxDrawdown > 0 ? annualizedReturn / dd.maxDrawdown : null,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownPeakIndex: dd.peakIndex,
    maxDrawdownTroughIndex: dd.troughIndex,
    tradeCount,
    winRate: tradeCount > 0 ? trades.filter((t) => t.pnl > 0).length / tradeCount : null,
    avgTradeDuration: tradeCount > 0 ? mean(trades.map((t) => t.closedAt - t.openedAt)) : null,
    avgPnLPerTrade: tradeCount > 0 ? mean(trades.map((t) => t.pnl)) : null,
  };
}
