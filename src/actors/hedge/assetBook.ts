/**
 * The hedge actor's book of one asset's pools: each pool's delta, value and own hedge ratio, in
 * the records its AssetHedge carries (`deltas`, `values`, `ratios`), with running sums so that a
 * pool's report costs O(1) in the number of pools instead of a copy and a re-sum of every pool:
 * the net delta, the value, and the delta to hedge (pools at the agent's ratio, pools at their
 * own). Sums are exact (ExactSum): the book equals a re-sum of its rows (rounded once) after any
 * sequence of reports, with no drift.
 *
 * The records are the book's own: updated in place, never copied, shared from one state to the
 * next. A state restored from a checkpoint carries different records; `assetBookOf` builds their
 * book once (O(n)) and keeps it with them.
 */
import { ExactSum } from '../../math/exactSum.js';

export class AssetBook {
  private readonly net = new ExactSum();
  private readonly value = new ExactSum();
  /** Σ delta of the pools hedged at the agent's ratio, and Σ delta × ratio of those at their own. */
  private readonly atAgentRatio = new ExactSum();
  private readonly atOwnRatio = new ExactSum();
  private ownRatioPools = 0;
  private count = 0;

  constructor(readonly deltas: Record<string, number>, readonly values: Record<string, number>, readonly ratios: Record<string, number>) {
    for (const [pool, d] of Object.entries(deltas)) this.add(pool, d, values[pool]);
  }

  /** Records a pool's delta, value and own hedge ratio (null: the agent's) in place of its last ones. */
  put(pool: string, delta: number, valueUsd: number, ratio: number | null): void {
    const d = this.deltas[pool];
    if (d !== undefined) this.take(pool, d, this.values[pool]);
    this.deltas[pool] = delta;
    this.values[pool] = valueUsd;
    if (ratio === null) delete this.ratios[pool];
    else this.ratios[pool] = ratio;
    this.add(pool, delta, valueUsd);
  }

  /** Pools in the book. */
  get pools(): number {
    return this.count;
  }

  /** Pools hedged at their own ratio. */
  get ownRatios(): number {
    return this.ownRatioPools;
  }

  /** Σ delta. */
  netDelta(): number {
    return this.net.value();
  }

  /** Σ value, USD. */
  valueUsd(): number {
    return this.value.value();
  }

  /** The delta to hedge at ratio 1: Σ delta × (the pool's own ratio, else `agentRatio`). */
  hedgedDelta(agentRatio: number): number {
    return agentRatio * this.atAgentRatio.value() + this.atOwnRatio.value();
  }

  private add(pool: string, d: number, v: number | undefined): void {
    this.count += 1;
    this.net.add(d);
    if (v !== undefined) this.value.add(v);
    const r = this.ratios[pool];
    if (r === undefined) this.atAgentRatio.add(d);
    else {
      this.atOwnRatio.add(d * r);
      this.ownRatioPools += 1;
    }
  }

  private take(pool: string, d: number, v: number | undefined): void {
    this.count -= 1;
    this.net.remove(d);
    if (v !== undefined) this.value.remove(v);
    const r = this.ratios[pool];
    if (r === undefined) this.atAgentRatio.remove(d);
    else {
      this.atOwnRatio.remove(d * r);
      this.ownRatioPools -= 1;
    }
  }
}

const books = new WeakMap<Record<string, number>, AssetBook>();

/** The book of an asset's records (built once per `deltas` record; `ratios` absent: none yet). */
export function assetBookOf(a: { deltas: Record<string, number>; values: Record<string, number>; ratios?: Record<string, number> }): AssetBook {
  let b = books.get(a.deltas);
  if (b === undefined) {
    b = new AssetBook(a.deltas, a.values, a.ratios ?? {});
    books.set(a.deltas, b);
  }
  return b;
}
