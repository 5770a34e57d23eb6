/**
 * A tiny benchmark harness: measure a function's throughput for a fixed time, then report it
 * beside a reference measured in the same run. Output is a table for people or, with --json,
 * one JSON object per line: {"bench","ours","reference","ratio","unit"}.
 */
export interface BenchResult {
  bench: string;
  ours: number;
  reference: number | null;
  ratio: number | null;
  unit: string;
  /** Free-form remark printed in the table (not in JSON). */
  note?: string;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns calls per second. */
export function opsPerSecond(fn: () => unknown, ms = 1000): number {
  const warmEnd = performance.now() + Math.min(200, ms / 4);
  while (performance.now() < warmEnd) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  const end = start + ms;
  while (now < end) {
    for (let i = 0; i < 16; i++) fn();
    calls += 16;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

export function result(bench: string, ours: number, reference: number | null, unit: string, note?: string): BenchResult {
  const ratio = reference === null || reference === 0 ? null : ours / reference;
  return note === undefined ? { bench, ours, reference, ratio, unit } : { bench, ours, reference, ratio, unit, note };
}

function fmt(n: number | null): string {
  if (n === null) return '—';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(4);
}

export function printTable(rows: BenchResult[]): void {
  const header = ['bench', 'ours', 'reference', 'ratio', 'unit', 'note'];
  const body = rows.map((r) => [r.bench, fmt(r.ours), fmt(r.reference), r.ratio === null ? '—' : `${r.ratio < 0.1 ? r.ratio.toPrecision(2) : r.ratio.toFixed(1)}x`, r.unit, r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

export function printJson(r: BenchResult): void {
  console.log(JSON.stringify({ bench: r.bench, ours: r.ours, reference: r.reference, ratio: r.ratio, unit: r.unit }));
}
