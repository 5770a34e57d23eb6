// A uPlot line chart over a SeriesBuffer, redrawn at most once a frame. The container's
// `data-points` attribute says how many points the chart was last given (what a test checks).
import { onNextFrame } from './nextFrame.js';
import { SeriesBuffer } from './seriesBuffer.js';

/**
 * @param {HTMLElement} container
 * @param {{title: string, series: {label: string, stroke: string, dash?: number[], marker?: boolean, step?: boolean}[], format?: (v: number) => string}} spec
 */
export class LineChart {
  constructor(container, spec) {
    this.container = container;
    this.buffer = new SeriesBuffer(spec.series.length);
    const format = spec.format ?? ((v) => v.toLocaleString(undefined, { maximumFractionDigits: 2 }));
    const width = Math.max(280, container.clientWidth || 560);
    this.plot = new uPlot({
      title: spec.title,
      width,
      height: 200,
      scales: { x: { time: true } },
      legend: { live: true },
      axes: [{}, { size: 70, values: (_u, ticks) => ticks.map(format) }],
      series: [
        {},
        ...spec.series.map((s) => (s.marker
          ? { label: s.label, stroke: s.stroke, width: 0, paths: () => null, points: { show: true, size: 9, fill: s.stroke, stroke: s.stroke }, value: (_u, v) => (v === null ? '' : format(v)) }
          : {
            label: s.label, stroke: s.stroke, width: 1.5, dash: s.dash, spanGaps: true, points: { show: false },
            ...(s.step ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
            value: (_u, v) => (v === null ? '–' : format(v)),
          })),
      ],
    }, this.buffer.data(), container);
    new ResizeObserver(() => {
      const w = Math.max(280, container.clientWidth);
      if (w !== this.plot.width) this.plot.setSize({ width: w, height: 200 });
    }).observe(container);
  }

  add(atMs, values) {
    this.buffer.add(atMs, values);
    this.schedule();
  }

  mark(atMs, column, value) {
    if (this.buffer.mark(atMs, column, value)) this.schedule();
  }

  schedule() {
    onNextFrame(this, () => this.draw());
  }

  draw() {
    this.plot.setData(this.buffer.data());
    this.container.dataset.points = String(this.buffer.points());
    this.container.dataset.rows = String(this.buffer.length);
  }
}
