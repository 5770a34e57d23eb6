/**
 * Performance of an equity curve (points oldest first): the return over the period, its
 * annualized Sharpe ratio (mean over standard deviation of the per-point returns, scaled by the
 * square root of the points per year at the curve's median spacing; risk-free rate 0), and the
 * largest peak-to-trough drawdown. A measure that needs more points than there are is null.
 */

export interface EquityPoint {
  at: number;
  equityUsd: number;
}

export interface EquityStats {
  points: number;
  fromMs: number | null;
  toMs: number | null;
  /** last / first − 1. */
  periodReturn: number | null;
  /** Annualized Sharpe ratio of the per-point returns (at least 3 points). */
  sharpe: number | null;
  /** Largest (peak − trough) / peak, fraction. */
  maxDrawdown: number | null;
}

const YEAR_MS = 365 * 86_400_000;

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function equityStats(curve: readonly EquityPoint[]): EquityStats {
  const pts = curve.filter((p) => Number.isFinite(p.equityUsd) && p.equityUsd > 0 && Number.isFinite(p.at));
  if (pts.length === 0) return { points: 0, fromMs: null, toMs: null, periodReturn: null, sharpe: null, maxDrawdown: null };
  const first = pts[0]!;
  const last = pts.at(-1)!;
  let peak = first.equityUsd;
  let maxDrawdown = 0;
  for (const p of pts) {
    peak = Math.max(peak, p.equityUsd);
    maxDrawdown = Math.max(maxDrawdown, (peak - p.equityUsd) / peak);
  }
  let sharpe: number | null = null;
  if (pts.length >= 3) {
    const returns = pts.slice(1).map((p, i) => p.equityUsd / pts[i]!.equityUsd - 1);
    const mean = returns.reduce((a, r) => a + r, 0) / returns.length;
    const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1));
    const gaps = pts.slice(1).map((p, i) => p.at - pts[i]!.at).sort((a, b) => a - b);
    const spacing = gaps[Math.floor(gaps.length / 2)]!;
    sharpe = sd > 0 && spacing > 0 ? finite((mean / sd) * Math.sqrt(YEAR_MS / spacing)) : null;
  }
  return { points: pts.length, fromMs: first.at, toMs: last.at, periodReturn: finite(last.equityUsd / first.equityUsd - 1), sharpe, maxDrawdown };
}
