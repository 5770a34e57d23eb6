import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/math/analyticsInput.js';
import { maxDrawdown, performanceMetrics } from '../../../src/math/performance.js';

function equityFrom(returns: number[], start = 100): number[] {
  const out = [start];
  for (const r of returns) out.push((out[out.length - 1] as number) * (1 + r));
  return out;
}

describe('performance metrics', () => {
  it('a constant equity curve: zero return and volatility, ratios undefined (null)', () => {
    const m = performanceMetrics({ equity: [100, 100, 100, 100], periodsPerYear: 365 });
    expect(m.totalReturn).toBe(0);
    expect(m.annualizedReturn).toBe(0);
    expect(m.volatility).toBe(0);
    expect(m.sharpeRatio).toBeNull();
    expect(m.sortinoRatio).toBeNull();
    expect(m.calmarRatio).toBeNull();
    expect(m.maxDrawdown).toBe(0);
    expect(m.winRate).toBeNull();
    expect(m.avgTradeDuration).toBeNull();
    expect(m.avgPnLPerTrade).toBeNull();
  });

  it('a known drawdown path: 100 120 90 110 60 130 117 has a 50% drawdown from index 1 to 4', () => {
    const dd = maxDrawdown([100, 120, 90, 110, 60, 130, 117]);
    expect(dd).toEqual({ maxDrawdown: 0.5, peakIndex: 1, troughIndex: 4 });
    const m = performanceMetrics({ equity: [100, 120, 90, 110, 60, 130, 117], periodsPerYear: 6 });
    // 6 periods per year, 6 returns: one year, annualized return = total return = 17%
    expect(m.totalReturn).toBeCloseTo(0.17, 14);
    expect(m.annualizedReturn).toBeCloseTo(0.17, 14);
    expect(m.calmarRatio).toBeCloseTo(0.17 / 0.5, 13);
    expect(maxDrawdown([1, 2, 3])).toEqual({ maxDrawdown: 0, peakIndex: 0, troughIndex: 0 });
  });

  it('Sharpe and Sortino against hand computation', () => {
    // returns 1%, 3%, 1%, 3%: mean 2%, sample std sqrt(4e-4/3); no downside -> Sortino null
    const m = performanceMetrics({ equity: equityFrom([0.01, 0.03, 0.01, 0.03]), periodsPerYear: 365 });
    expect(m.sharpeRatio).toBeCloseTo((0.02 / Math.sqrt(0.0004 / 3)) * Math.sqrt(365), 9);
    expect(m.sortinoRatio).toBeNull();
    expect(m.volatility).toBeCloseTo(Math.sqrt(0.0004 / 3) * Math.sqrt(365), 12);
    // returns 2%, -1%, 2%, -1%: mean 0.5%, downside deviation sqrt((1e-4 + 1e-4) / 4)
    const m2 = performanceMetrics({ equity: equityFrom([0.02, -0.01, 0.02, -0.01]), periodsPerYear: 252 });
    expect(m2.sortinoRatio).toBeCloseTo((0.005 / Math.sqrt(0.0002 / 4)) * Math.sqrt(252), 9);
    expect(m2.sharpeRatio).toBeCloseTo((0.005 / Math.sqrt(0.0009 / 3)) * Math.sqrt(252), 9);
  });

  it('subtracts the per-period risk-free rate', () => {
    const rf = 0.05;
    const rfp = Math.pow(1.05, 1 / 12) - 1;
    const m = performanceMetrics({ equity: equityFrom([0.01, 0.03, 0.01, 0.03]), periodsPerYear: 12, riskFreeRate: rf });
    expect(m.sharpeRatio).toBeCloseTo(((0.02 - rfp) / Math.sqrt(0.0004 / 3)) * Math.sqrt(12), 9);
  });

  it('trade statistics: win rate, average duration and PnL', () => {
    const h = 3_600_000;
    const m = performanceMetrics({
      equity: [100, 101, 102],
      periodsPerYear: 365,
      trades: [
        { openedAt: 0, closedAt: 2 * h, pnl: 10 },
        { openedAt: h, closedAt: 5 * h, pnl: -4 },
        { openedAt: 2 * h, closedAt: 2 * h, pnl: 0 },
        { openedAt: 3 * h, closedAt: 9 * h, pnl: 6 },
      ],
    });
    expect(m.tradeCount).toBe(4);
    expect(m.winRate).toBe(0.5); // pnl = 0 is not a win
    expect(m.avgTradeDuration).toBe(3 * h);
    expect(m.avgPnLPerTrade).toBe(3);
  });

  it('rejects non-positive equity, short curves and trades closing before they open', () => {
    expect(() => performanceMetrics({ equity: [100, 0, 100], periodsPerYear: 365 })).toThrow(AnalyticsInputError);
    expect(() => performanceMetrics({ equity: [100, 101], periodsPerYear: 365 })).toThrow(/at least 3/);
    expect(() => performanceMetrics({
      equity: [1, 2, 3], periodsPerYear: 1, trades: [{ openedAt: 10, closedAt: 5, pnl: 1 }],
    })).toThrow(/closedAt/);
  });
});
