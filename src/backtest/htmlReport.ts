/**
 * The backtest's HTML report: one self-contained file (inline CSS and SVG, no script, nothing
 * fetched) with, per window, the performance metrics, the PnL decomposition, the rolls with
 * their triggers, and five plots: price with the range over time and the rolls marked; value vs
 * holding vs hedged; cumulative fees vs LVR; hedge target vs current; drawdown.
 */
import type { BacktestReport, WindowResult } from './backtestRun.js';
import { escapeHtml as esc, lineChart } from './svgChart.js';

const usd = (x: number): string => `${x < 0 ? '−' : ''}$${Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, d = 2): string => (x === null ? 'n/a' : x.toFixed(d));

function table(rows: [string, string][]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function windowSection(w: WindowResult, asset: string): string {
  const s = w.series;
  const m = w.metrics;
  const markers = w.rolls.map((r) => ({ at: r.at, label: `roll ${new Date(r.at).toISOString()}: ${r.triggers.join(', ')}` }));
  const charts = [
    lineChart({ title: `${asset} price with the position's range`, time: s.time, series: [{ name: 'pool price', color: '#1f77b4', values: s.price }], band: { lower: s.rangeLower, upper: s.rangeUpper, color: '#2ca02c', name: 'range' }, markers }),
    lineChart({ title: 'Value: LP vs holding vs hedged (USD)', time: s.time, series: [
      { name: 'LP', color: '#1f77b4', values: s.lpValue }, { name: 'holding', color: '#7f7f7f', values: s.holdValue, dashed: true }, { name: 'LP + hedge − gas', color: '#ff7f0e', values: s.hedgedValue },
    ] }),
    lineChart({ title: 'Cumulative fees vs LVR (USD)', time: s.time, series: [{ name: 'fees earned', color: '#2ca02c', values: s.fees }, { name: 'LVR (realized)', color: '#d62728', values: s.lvr }] }),
    lineChart({ title: `Hedge: target vs current (${asset})`, time: s.time, series: [{ name: 'target', color: '#9467bd', values: s.hedgeTarget, dashed: true }, { name: 'current', color: '#8c564b', values: s.hedgeCurrent }] }),
    lineChart({ title: 'Drawdown of equity', time: s.time, series: [{ name: 'drawdown', color: '#d62728', values: s.drawdown.map((d) => -d) }], yFormat: (v) => `${(v * 100).toFixed(1)}%` }),
  ];
  const p = w.pnl;
  const rolls = w.rolls.length === 0 ? '<p>No rolls.</p>' : `<table class="rolls"><tr><th>time (UTC)</th><th>from</th><th>to</th><th>triggers</th><th>fees</th><th>swap cost</th><th>gas</th></tr>${w.rolls.map((r) => `<tr><td>${esc(new Date(r.at).toISOString().replace('T', ' ').slice(0, 19))}</td><td>${r.from === null ? '' : `${r.from.tickLower}…${r.from.tickUpper}`}</td><td>${r.to.tickLower}…${r.to.tickUpper}</td><td>${esc(r.triggers.join(', '))}</td><td>${usd(r.feesUsd)}</td><td>${usd(r.swapCostUsd)}</td><td>${usd(r.gasUsd)}</td></tr>`).join('')}</table>`;
  return `<section><h2>${esc(w.label)}</h2>
<p>${esc(w.kind)} · ${w.steps} steps · ${esc(new Date(w.start).toISOString())} → ${esc(new Date(w.end).toISOString())} · in range ${pct(w.timeInRange)} of the time</p>
<div class="cols"><div><h3>Performance</h3>${table([
    ['equity', `${usd(w.startEquityUsd)} → ${usd(w.endEquityUsd)}`], ['total return', pct(m?.totalReturn ?? null)], ['annualized return', pct(m?.annualizedReturn ?? null)],
    ['volatility', pct(m?.volatility ?? null)], ['Sharpe', num(m?.sharpeRatio ?? null)], ['Sortino', num(m?.sortinoRatio ?? null)], ['Calmar', num(m?.calmarRatio ?? null)],
    ['max drawdown', pct(m?.maxDrawdown ?? null)], ['trades (ranges)', String(m?.tradeCount ?? 0)], ['win rate', pct(m?.winRate ?? null)],
    ['avg trade duration', (m?.avgTradeDuration ?? null) === null ? 'n/a' : `${(m!.avgTradeDuration! / 3_600_000).toFixed(2)} h`], ['avg PnL per trade', (m?.avgPnLPerTrade ?? null) === null ? 'n/a' : usd(m!.avgPnLPerTrade!)],
    ['realized σ (annual)', pct(w.volatility.realized)], ['agent\'s σ', w.volatility.agent === null ? 'n/a' : `${pct(w.volatility.agent.annualized)} (${w.volatility.agent.source})`],
  ])}</div><div><h3>PnL decomposition</h3>${table([
    ['total', usd(p.total)], ['holding the deposit', usd(p.holding)], ['fees earned', usd(p.fees)], ['IL vs holding', usd(p.ilVsHold)], ['re-balancing swaps', usd(p.swapCosts)],
    ['hedge PnL', usd(p.hedgePnl)], ['funding', usd(p.funding)], ['hedge trading fees', usd(p.hedgeFees)], ['gas', usd(p.gas)],
    ['LVR (realized)', usd(-w.lvr.realizedUsd)], ['LVR (model at realized σ)', usd(-w.lvr.modelUsd)], ['fees / LVR', num(w.lvr.feesOverLvr)],
  ])}</div></div>
${charts.map((c) => `<figure>${c}</figure>`).join('\n')}
<h3>Rolls</h3>${rolls}
${w.replay === null ? '' : `<p class="small">Replay fidelity: ${w.replay.swaps} swaps (${w.replay.exactSwaps} exact, ${w.replay.correctedSwaps} corrected), ${w.replay.bars} bars (${w.replay.barsWithoutLiquidity} without liquidity in range), ${w.replay.liquidityClamps} liquidity clamps.</p>`}
</section>`;
}

export function renderReport(r: BacktestReport): string {
  const title = `rangekeeper backtest — ${r.pool.token0}/${r.pool.token1} ${(r.pool.fee / 10_000).toFixed(2)}%`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{font-size:20px}h2{font-size:17px;border-top:1px solid #ccc;padding-top:12px}h3{font-size:14px;margin:10px 0 4px}
table{border-collapse:collapse;font-size:13px}th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}td{text-align:right}
.rolls td{text-align:left}.cols{display:flex;gap:32px;flex-wrap:wrap}figure{margin:12px 0}.small{color:#666;font-size:12px}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Deposit ${esc(r.pool.deposit.amount0)} ${esc(r.pool.token0)} + ${esc(r.pool.deposit.amount1)} ${esc(r.pool.token1)}; strategy ${esc(r.strategy.riskLevel)}, σ prior ${pct(r.strategy.annualVolatility)}, horizon ${(r.strategy.horizonSeconds / 3600).toFixed(0)} h; hedge ratio ${r.hedge.ratio}, band ${pct(r.hedge.band)} on the paper venue (taker ${r.hedge.venue.takerFeeBps} bps). The agent is the live actor tree on a virtual clock; the pool is the exact v4 pool model.</p>
${r.windows.map((w) => windowSection(w, r.pool.asset)).join('\n')}
</body></html>
`;
}
