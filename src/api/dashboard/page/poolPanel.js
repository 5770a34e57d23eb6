// One pool: its figures and three live charts (price with the range and rolls, value vs
// holding, fees vs IL vs LVR), fed by the pool's PositionActor states.
import { LineChart } from './lineChart.js';
import { el, renderFigures } from './figures.js';
import { onNextFrame } from './nextFrame.js';
import { feesIlLvr, holdingUsd, num, pct, rangeBounds, usd } from './poolMath.js';

const ROLL_COLUMN = 4;

export class PoolPanel {
  constructor(parent, poolId) {
    this.poolId = poolId;
    this.root = el('article', 'pool');
    this.root.dataset.pool = poolId;
    this.heading = el('h3', '', `pool ${poolId.slice(0, 10)}…`);
    this.figures = el('dl', 'figures');
    const charts = el('div', 'charts');
    const box = (name) => {
      const d = el('div', 'chart');
      d.dataset.chart = name;
      d.dataset.points = '0';
      charts.append(d);
      return d;
    };
    const priceBox = box('price');
    const valueBox = box('value');
    const pnlBox = box('fees-il-lvr');
    this.root.append(this.heading, this.figures, charts);
    parent.append(this.root);
    this.price = new LineChart(priceBox, {
      title: 'price, range and rolls',
      series: [
        { label: 'pool price', stroke: '#2563eb' },
        { label: 'reference', stroke: '#94a3b8', dash: [4, 4] },
        { label: 'range low', stroke: '#16a34a', step: true },
        { label: 'range high', stroke: '#16a34a', step: true },
        { label: 'roll', stroke: '#dc2626', marker: true },
      ],
    });
    this.value = new LineChart(valueBox, {
      title: 'value vs holding (USD)',
      series: [
        { label: 'position value', stroke: '#2563eb' },
        { label: 'holding', stroke: '#f59e0b', dash: [6, 3] },
      ],
      format: (v) => v.toLocaleString(undefined, { maximumFractionDigits: 0 }),
    });
    this.pnl = new LineChart(pnlBox, {
      title: 'fees vs IL vs LVR (USD)',
      series: [
        { label: 'fees', stroke: '#16a34a' },
        { label: 'IL', stroke: '#dc2626' },
        { label: '−LVR', stroke: '#7c3aed' },
      ],
    });
    this.rollTimes = new Set();
    this.rolls = null;
    this.rollMarks = 0;
  }

  /** A state of this pool's PositionActor from the feed, published at `at`. */
  update(at, s) {
    const b = rangeBounds(s);
    const rolled = this.rolls !== null && typeof s.rolls === 'number' && s.rolls > this.rolls;
    this.rolls = typeof s.rolls === 'number' ? s.rolls : this.rolls;
    const price = s.assetPrice > 0 ? s.assetPrice : null;
    const roll = rolled ? price : null;
    this.price.add(at, [price, s.referencePrice ?? null, b?.lower ?? null, b?.upper ?? null, roll]);
    if (roll !== null) this.countRollMark(s.lastRoll?.at);
    if (s.status !== 'starting') this.value.add(at, [s.valueUsd, holdingUsd(s)]);
    const f = feesIlLvr(s);
    if (s.status !== 'starting') this.pnl.add(at, [f.fees, f.il, f.lvr]);
    this.heading.textContent = `${s.asset ?? ''} pool ${this.poolId.slice(0, 10)}… (${s.status})`;
    onNextFrame(this.figures, () => renderFigures(this.figures, [
      ['status', s.status + (s.haltReason ? `: ${s.haltReason}` : ''), s.status],
      ['price', num(s.assetPrice, 2)],
      ['range', b === null ? '–' : `${num(b.lower, 2)} – ${num(b.upper, 2)}`],
      ['value', usd(s.valueUsd)],
      ['PnL', `${usd(s.pnlUsd)} (${pct(s.pnlPercent)})`],
      ['fees', usd(s.feesEarned)],
      ['IL (all ranges)', usd(s.il?.cumulativeUSD)],
      ['LVR', usd(s.lvr?.cumulativeUsd)],
      ['rolls', String(s.rolls ?? 0)],
      ['delta', num(s.delta)],
    ]));
  }

  /** A roll from the history (time, asset price then): marked on the price chart. */
  markRoll(at) {
    if (this.rollTimes.has(at)) return;
    this.rollTimes.add(at);
    const x = this.price.buffer.x;
    if (x.length > 0 && at / 1000 >= x[0]) {
      this.price.mark(at, ROLL_COLUMN, nearestPrice(this.price.buffer, at));
      this.countRollMark();
    }
  }

  /** One more roll marked on the price chart (data-roll-marks says how many). */
  countRollMark(at) {
    if (at !== undefined) this.rollTimes.add(at);
    this.rollMarks += 1;
    this.root.dataset.rollMarks = String(this.rollMarks);
  }
}

function nearestPrice(buffer, at) {
  const t = at / 1000;
  let best = 0;
  for (let i = 1; i < buffer.x.length; i++) if (Math.abs(buffer.x[i] - t) < Math.abs(buffer.x[best] - t)) best = i;
  return buffer.columns[0][best];
}
