// One asset's hedge: target against current perp position (signed, negative = short), from the
// HedgeActor's states.
import { LineChart } from './lineChart.js';
import { el, renderFigures } from './figures.js';
import { onNextFrame } from './nextFrame.js';
import { num, usd } from './poolMath.js';

export class HedgePanel {
  constructor(parent, asset) {
    this.root = el('article', 'hedge');
    this.root.dataset.asset = asset;
    this.heading = el('h3', '', `${asset} hedge`);
    this.figures = el('dl', 'figures');
    const box = el('div', 'chart');
    box.dataset.chart = 'hedge';
    box.dataset.points = '0';
    this.root.append(this.heading, this.figures, box);
    parent.append(this.root);
    this.chart = new LineChart(box, {
      title: `${asset}: hedge target vs current (perp size)`,
      series: [
        { label: 'target', stroke: '#f59e0b', step: true },
        { label: 'current', stroke: '#2563eb', step: true },
        { label: 'net delta × −1', stroke: '#94a3b8', dash: [4, 4] },
      ],
    });
  }

  /** One asset's entry of a HedgeActor state (AssetHedge), at `at`. */
  update(at, a, band) {
    this.chart.add(at, [a.target, a.current, typeof a.netDelta === 'number' ? -a.netDelta : null]);
    const off = a.target !== 0 ? Math.abs(a.current - a.target) / Math.abs(a.target) : 0;
    onNextFrame(this.figures, () => renderFigures(this.figures, [
      ['symbol', a.symbol ?? '–'],
      ['target', num(a.target)],
      ['current', num(a.current)],
      ['off target', `${(off * 100).toFixed(2)}% (band ${(band * 100).toFixed(1)}%)`, off <= band ? 'ok' : 'off'],
      ['net delta', num(a.netDelta)],
      ['price', usd(a.price)],
    ]));
  }
}
