/**
 * The risk supervisor's book of positions: each pool's last report, in the record its state
 * carries (`RiskState.positions`), with running figures so that a report costs O(1) in the
 * number of pools (the worst IL O(log n)) instead of a copy and a re-sum of every pool: the LP
 * value, the asset deltas per symbol (a non-USD quote's too), how many pools have no deposit yet,
 * and the worst IL. Sums are exact (ExactSum): the book equals a re-sum of its rows (rounded once)
 * after any sequence of reports, with no drift.
 *
 * The record is the book's own: it is updated in place, never copied, and a state that carries it
 * shares it with the next. A state restored from a checkpoint carries a different record; `bookOf`
 * builds that one's book once (O(n)) and keeps it with the record.
 */
import { ExactSum } from '../../math/exactSum.js';
import { KeyedMin } from '../../math/keyedMin.js';
import type { PositionReport } from '../position/positionActor.js';
import type { LpDelta } from './exposure.js';

/** A symbol's LP delta: its exact sum and how many pools contribute to it. */
interface SymbolDelta {
  sum: ExactSum;
  pools: number;
}

/** What netExposure counts of a delta: a non-finite one (a report from before the field existed) as 0. */
const finiteOr0 = (x: number): number => (Number.isFinite(x) ? x : 0);

export class RiskBook {
  private readonly lp = new ExactSum();
  private readonly deltas = new Map<string, SymbolDelta>();
  private readonly il = new KeyedMin<string>();
  private unfundedPools = 0;
  private count = 0;

  constructor(readonly rows: Record<string, PositionReport>) {
    for (const r of Object.values(rows)) this.add(r);
  }

  /** Records a pool's report in place of its last one; returns the last one. */
  put(report: PositionReport): PositionReport | undefined {
    const before = this.rows[report.poolId];
    if (before !== undefined) this.take(before);
    this.rows[report.poolId] = report;
    this.add(report);
    return before;
  }

  /**
   * Undoes a `put` whose turn failed: the pool's last report back (or the pool out, if it had
   * none), so an actor restarted from its last state does not find the failed turn's row in it.
   */
  undo(report: PositionReport, before: PositionReport | undefined): void {
    if (this.rows[report.poolId] !== report) return;
    this.take(report);
    if (before === undefined) {
      delete this.rows[report.poolId];
      this.il.delete(report.poolId);
    } else {
      this.rows[report.poolId] = before;
      this.add(before);
    }
  }

  /** Pools reported. */
  get pools(): number {
    return this.count;
  }

  /** Pools whose deposit is not above 0 (not funded yet). */
  get unfunded(): number {
    return this.unfundedPools;
  }

  /** Σ valueUsd. */
  lpUsd(): number {
    return this.lp.value();
  }

  /** The LP deltas, one per symbol, summed over the pools (what netExposure nets against the venues). */
  lpDeltas(): LpDelta[] {
    const out: LpDelta[] = [];
    for (const [symbol, d] of this.deltas) if (d.pools > 0) out.push({ symbol, deltaUsd: d.sum.value() });
    return out;
  }

  /** min(0, every pool's ilPercent), NaN if one is not a number. */
  worstIlPercent(): number {
    return Math.min(0, this.il.min());
  }

  private add(r: PositionReport): void {
    this.count += 1;
    this.lp.add(r.valueUsd);
    if (!(r.depositedUsd > 0)) this.unfundedPools += 1;
    this.il.set(r.poolId, r.ilPercent);
    this.delta(r.symbol, r.deltaUsd, 1);
    if (r.quoteDelta !== undefined) this.delta(r.quoteDelta.symbol, r.quoteDelta.deltaUsd, 1);
  }

  /** Takes a report out (its pool's il entry is overwritten by the next add). */
  private take(r: PositionReport): void {
    this.count -= 1;
    this.lp.remove(r.valueUsd);
    if (!(r.depositedUsd > 0)) this.unfundedPools -= 1;
    this.delta(r.symbol, r.deltaUsd, -1);
    if (r.quoteDelta !== undefined) this.delta(r.quoteDelta.symbol, r.quoteDelta.deltaUsd, -1);
  }

  private delta(symbol: string, usd: number, by: 1 | -1): void {
    let d = this.deltas.get(symbol);
    if (d === undefined) {
      d = { sum: new ExactSum(), pools: 0 };
      this.deltas.set(symbol, d);
    }
    d.pools += by;
    if (by === 1) d.sum.add(finiteOr0(usd));
    else d.sum.remove(finiteOr0(usd));
  }
}

const books = new WeakMap<Record<string, PositionReport>, RiskBook>();

/** The book of a state's positions record (built once per record). */
export function bookOf(rows: Record<string, PositionReport>): RiskBook {
  let b = books.get(rows);
  if (b === undefined) {
    b = new RiskBook(rows);
    books.set(rows, b);
  }
  return b;
}
