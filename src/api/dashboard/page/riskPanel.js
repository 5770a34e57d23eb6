// The RiskSupervisor's state: running or halted (and why), equity, drawdown against its limit
// (a chart), exposure, and the alerts, newest first.
import { LineChart } from './lineChart.js';
import { el, renderFigures } from './figures.js';
import { onNextFrame } from './nextFrame.js';
import { pct, usd } from './poolMath.js';

const MAX_ALERTS = 50;

export class RiskPanel {
  constructor(doc) {
    this.badge = doc.getElementById('risk-status');
    this.figures = doc.getElementById('risk-figures');
    this.alertList = doc.getElementById('alerts');
    this.chart = new LineChart(doc.getElementById('chart-drawdown'), {
      title: 'drawdown vs limit',
      series: [
        { label: 'drawdown', stroke: '#dc2626' },
        { label: 'limit', stroke: '#64748b', dash: [4, 4] },
      ],
      format: (v) => `${(v * 100).toFixed(2)}%`,
    });
    this.alerts = new Map();
  }

  update(at, s) {
    const halted = s.status === 'halted';
    this.badge.dataset.status = s.status;
    this.badge.textContent = halted ? `HALTED: ${s.reason ?? ''}` : 'running';
    const limit = s.limits?.maxDrawdown;
    this.chart.add(at, [s.drawdown, typeof limit === 'number' ? limit : null]);
    onNextFrame(this.figures, () => renderFigures(this.figures, [
      ['status', halted ? `halted by ${s.haltedBy ?? '?'}: ${s.reason ?? ''}` : 'running', s.status],
      ['equity', usd(s.equityUsd)],
      ['peak equity', usd(s.peakEquityUsd)],
      ['drawdown', `${pct(s.drawdown)} of ${pct(limit, 1)} allowed`, typeof limit === 'number' && s.drawdown > limit * 0.8 ? 'off' : 'ok'],
      ['PnL', pct(s.pnlPercent)],
      ['exposure', pct(s.exposure)],
      ['worst IL', pct(s.worstIlPercent)],
      ['restarts', String(s.restarts ?? 0)],
    ]));
    for (const a of Array.isArray(s.alerts) ? s.alerts : []) this.addAlert(a);
  }

  /** An alert ({at, severity, message}, from the risk state or the history); shown once. */
  addAlert(a) {
    if (typeof a?.message !== 'string' || typeof a.at !== 'number') return;
    const key = `${a.at}|${a.message}`;
    if (this.alerts.has(key)) return;
    this.alerts.set(key, a);
    const sorted = [...this.alerts.values()].sort((x, y) => y.at - x.at).slice(0, MAX_ALERTS);
    this.alertList.replaceChildren(...sorted.map((x) => {
      const li = el('li', `alert ${x.severity ?? 'info'}`);
      li.append(el('time', '', new Date(x.at).toLocaleTimeString()), el('span', 'severity', x.severity ?? 'info'), el('span', '', x.message));
      return li;
    }));
  }
}
