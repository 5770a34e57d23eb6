/**
 * Line charts as inline SVG text (no script, no external file): series over a shared time axis,
 * an optional shaded band (a position's price range, with gaps where there is none), vertical
 * markers (rolls), axes with a few labelled ticks and a legend.
 */
export interface ChartSeries {
  name: string;
  color: string;
  values: readonly (number | null)[];
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  time: readonly number[];
  series: readonly ChartSeries[];
  band?: { lower: readonly (number | null)[]; upper: readonly (number | null)[]; color: string; name: string };
  markers?: readonly { at: number; label: string }[];
  /** Formats a y value for the axis (default: 4 significant digits). */
  yFormat?: (v: number) => string;
  width?: number;
  height?: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(v);
  return out;
}

function timeLabel(ms: number, span: number): string {
  const d = new Date(ms).toISOString();
  return span > 3 * 86_400_000 ? d.slice(5, 10) : d.slice(11, 16);
}

export function lineChart(o: ChartOptions): string {
  const W = o.width ?? 900;
  const H = o.height ?? 260;
  const L = 70;
  const R = 10;
  const T = 28;
  const B = 40;
  const t0 = o.time[0] ?? 0;
  const t1 = o.time[o.time.length - 1] ?? t0 + 1;
  const span = Math.max(1, t1 - t0);
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number | null | undefined): void => {
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  };
  for (const s of o.series) for (const v of s.values) see(v);
  if (o.band !== undefined) {
    for (const v of o.band.lower) see(v);
    for (const v of o.band.upper) see(v);
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi === lo) {
    hi += Math.abs(hi) * 0.01 || 1;
    lo -= Math.abs(lo) * 0.01 || 1;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const x = (t: number): number => L + ((t - t0) / span) * (W - L - R);
  const y = (v: number): number => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const fmt = o.yFormat ?? ((v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString()));
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(o.title)}" style="font:11px sans-serif;background:#fff">`);
  parts.push(`<text x="${L}" y="16" font-size="13" font-weight="bold">${esc(o.title)}</text>`);
  for (const v of niceTicks(lo, hi, 5)) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${L - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(fmt(v))}</text>`);
  }
  for (let k = 0; k <= 6; k++) {
    const t = t0 + (span * k) / 6;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" fill="#555">${esc(timeLabel(t, span))}</text>`);
  }
  parts.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#999"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#999"/>`);
  if (o.band !== undefined) {
    // one polygon per run of points with a range
    let run: number[] = [];
    const flush = (): void => {
      if (run.length > 0) {
        const up = run.map((i) => `${x(o.time[i]!).toFixed(1)},${y(o.band!.upper[i]!).toFixed(1)}`);
        const down = [...run].reverse().map((i) => `${x(o.time[i]!).toFixed(1)},${y(o.band!.lower[i]!).toFixed(1)}`);
        parts.push(`<polygon points="${[...up, ...down].join(' ')}" fill="${o.band!.color}" fill-opacity="0.25" stroke="none"/>`);
      }
      run = [];
    };
    for (let i = 0; i < o.time.length; i++) {
      if (o.band.lower[i] === null || o.band.upper[i] === null || o.band.lower[i] === undefined) flush();
      else run.push(i);
    }
    flush();
  }
  for (const m of o.markers ?? []) {
    parts.push(`<line x1="${x(m.at).toFixed(1)}" x2="${x(m.at).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#d62728" stroke-opacity="0.5" stroke-dasharray="3,3"><title>${esc(m.label)}</title></line>`);
  }
  for (const s of o.series) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(o.time[i]!).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed === true ? ' stroke-dasharray="5,3"' : ''}/>`);
  }
  const legend = [...o.series.map((s) => ({ name: s.name, color: s.color })), ...(o.band === undefined ? [] : [{ name: o.band.name, color: o.band.color }]), ...((o.markers?.length ?? 0) > 0 ? [{ name: 'roll', color: '#d62728' }] : [])];
  let lx = L + 8;
  for (const item of legend) {
    parts.push(`<rect x="${lx}" y="${H - 14}" width="10" height="10" fill="${item.color}"/><text x="${lx + 14}" y="${H - 5}">${esc(item.name)}</text>`);
    lx += 24 + item.name.length * 6.5;
  }
  parts.push('</svg>');
  return parts.join('');
}

export { esc as escapeHtml };
