/**
 * The readable tables `compare` and `sweep` print: the two strategies' metrics side by side with
 * the test, interval, effect size and recommendation; a sweep's rows ranked by per-path Sharpe
 * ratio with the multiple-testing warning.
 */
import type { CompareResult, StrategyMetrics, SweepResult } from './researchResultSchema.js';

const pct = (x: number | null, digits = 3): string => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`);
const share = (x: number | null, digits = 2): string => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
const num = (x: number | null, digits = 2): string => (x === null ? 'n/a' : Math.abs(x) >= 1e6 ? x.toExponential(2) : x.toFixed(digits));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

const METRIC_ROWS: [string, (m: StrategyMetrics) => string][] = [
  ['total return (mean/path)', (m) => pct(m.totalReturn)],
  ['Sharpe (annualized)', (m) => num(m.sharpeRatio)],
  ['Sortino', (m) => num(m.sortinoRatio)],
  ['Calmar', (m) => num(m.calmarRatio)],
  ['max drawdown', (m) => share(m.maxDrawdown)],
  ['volatility (annualized)', (m) => share(m.volatility)],
  ['win rate', (m) => share(m.winRate, 1)],
];

export function compareTable(r: CompareResult): string {
  const a = r.strategyA, b = r.strategyB;
  const mean = (xs: { feesUsd: number; lvrUsd: number; rolls: number }[], f: (x: { feesUsd: number; lvrUsd: number; rolls: number }) => number): number => xs.reduce((s, x) => s + f(x), 0) / xs.length;
  const rows: string[][] = [
    ['', `A: ${a.config.name}`, `B: ${b.config.name}`],
    ...METRIC_ROWS.map(([label, f]) => [label, f(a.metrics), f(b.metrics)]),
    ['fees (mean/path)', `$${mean(a.perPath, (x) => x.feesUsd).toFixed(2)}`, `$${mean(b.perPath, (x) => x.feesUsd).toFixed(2)}`],
    ['LVR (mean/path)', `$${mean(a.perPath, (x) => x.lvrUsd).toFixed(2)}`, `$${mean(b.perPath, (x) => x.lvrUsd).toFixed(2)}`],
    ['rolls (mean/path)', mean(a.perPath, (x) => x.rolls).toFixed(1), mean(b.perPath, (x) => x.rolls).toFixed(1)],
  ];
  const s = r.statisticalSignificance, ci = r.confidenceInterval, e = r.effectSize;
  return [
    `paths: ${r.paths.count} (${r.paths.description})`,
    '',
    table(rows),
    '',
    `paired t-test on per-path total return A - B${s.batchLength > 1 ? ` (means of batches of ${s.batchLength} consecutive windows)` : ''}: mean ${pct(e.meanDifference, 4)}, t = ${num(s.t, 3)}, df = ${s.degreesOfFreedom}, p = ${s.pValue === null ? 'n/a' : s.pValue.toPrecision(3)} (alpha ${s.alpha})`,
    `${(ci.confidence * 100).toFixed(0)}% stationary block bootstrap CI of mean(A - B): [${pct(ci.lower, 4)}, ${pct(ci.upper, 4)}] (mean block length ${ci.blockLength}, ${ci.resamples} resamples, seed ${ci.seed})`,
    `effect size: Cohen's d_z = ${num(e.cohensDz, 3)} (sd of the differences ${share(e.sdDifference, 4)})`,
    `recommendation: ${r.recommendation.text}`,
  ].join('\n');
}

export function sweepTable(r: SweepResult): string {
  const names = r.parameters.map((p) => p.name);
  const order = r.rows.map((_, i) => i).sort((x, y) => (r.rows[y]!.sharpe ?? -Infinity) - (r.rows[x]!.sharpe ?? -Infinity));
  const rows: string[][] = [
    ['#', ...names, 'return/path', 'sd', 'Sharpe/path', 'max DD', 'rolls'],
    ...order.map((i, rank) => {
      const row = r.rows[i]!;
      const rolls = row.perPath.reduce((s, p) => s + p.rolls, 0) / row.perPath.length;
      return [String(rank + 1), ...names.map((n) => String(row.params[n])), pct(row.meanReturn), share(row.sdReturn, 3), num(row.sharpe, 3), share(row.metrics.maxDrawdown), rolls.toFixed(1)];
    }),
  ];
  const out = [`paths: ${r.paths.count} (${r.paths.description}); ${r.rows.length} configurations on ${r.workers} worker(s) in ${(r.elapsedMs / 1000).toFixed(1)} s`, '', table(rows), ''];
  if (r.best !== null) out.push(r.best.warning);
  return out.join('\n');
}
