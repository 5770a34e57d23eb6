// A bounded table of time series for uPlot: one x column (seconds) and a column per series,
// the oldest rows dropped past `capacity`. Rows arrive in time order from the feed; a row older
// than the last one (a history page) is inserted in place.
export class SeriesBuffer {
  constructor(columns, capacity = 3000) {
    this.capacity = capacity;
    this.x = [];
    this.columns = Array.from({ length: columns }, () => []);
  }

  /** Adds a row at time `atMs`; `values` has one number (or null: no point) per column. */
  add(atMs, values) {
    const t = atMs / 1000;
    let i = this.x.length;
    while (i > 0 && this.x[i - 1] > t) i -= 1;
    if (i > 0 && this.x[i - 1] === t) {
      // same instant: the later state's values win, a marker already set is kept
      this.columns.forEach((c, k) => {
        if (values[k] !== null && values[k] !== undefined) c[i - 1] = values[k];
      });
      return;
    }
    this.x.splice(i, 0, t);
    this.columns.forEach((c, k) => c.splice(i, 0, values[k] ?? null));
    if (this.x.length > this.capacity) {
      this.x.shift();
      for (const c of this.columns) c.shift();
    }
  }

  /** Sets column `k` at the row nearest to `atMs` (a marker on an existing point); false when empty. */
  mark(atMs, k, value) {
    if (this.x.length === 0) return false;
    const t = atMs / 1000;
    let best = 0;
    for (let i = 1; i < this.x.length; i++) if (Math.abs(this.x[i] - t) < Math.abs(this.x[best] - t)) best = i;
    this.columns[k][best] = value;
    return true;
  }

  get length() {
    return this.x.length;
  }

  /** Points drawn: non-null values over all columns. */
  points() {
    let n = 0;
    for (const c of this.columns) for (const v of c) if (v !== null && v !== undefined) n += 1;
    return n;
  }

  data() {
    return [this.x, ...this.columns];
  }
}
