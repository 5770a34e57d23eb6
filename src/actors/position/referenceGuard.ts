/**
 * What a PositionActor acts on instead of its pool's price: the reference price of its asset (the
 * median of the fresh named sources — venue marks — and the pool's own TWAP; see
 * src/math/referencePrice.ts) and the position's value at that price. A pushed pool moves neither
 * the median (one source of several, and a TWAP a flash push barely moves) nor the value at the
 * reference (the position's liquidity valued as if the pool were at the reference), so the exit
 * rule, the risk limits (drawdown, IL, stop loss) and the deviation guard cannot be triggered by
 * pushing the pool alone. With too few fresh sources, or sources that disagree, the reading is
 * refused: the actor then does not act at all, and its state says why.
 */
import { geometricMedian, readReference, type ReferenceRules } from '../../math/referencePrice.js';
import { TimeWeightedPrice } from '../../math/timeWeightedPrice.js';

/** The configured reference rules and the pool TWAP's window. */
export interface ReferenceSettings extends ReferenceRules {
  /** Window of the pool's TWAP source, seconds. */
  twapSeconds: number;
  /** How often the reference is re-read on the clock alone, ms (absent: see referenceRereadMs). */
  rereadMs?: number;
}

/** The defaults (Beefy/Panoptic-style guards: two agreeing sources, a two-minute TWAP). */
export const DEFAULT_REFERENCE: ReferenceSettings = { minSources: 2, maxSpread: 0.03, twapSeconds: 120, staleMs: 30_000 };

/** How often a position re-reads its reference on the clock alone: `rereadMs` when set, else a tenth of the TWAP window within [250 ms, 5 s]. */
export function referenceRereadMs(s: ReferenceSettings): number {
  return s.rereadMs ?? Math.min(5_000, Math.max(250, (s.twapSeconds * 1000) / 10));
}

/** The name of the pool-TWAP source in a reading. */
export const TWAP_SOURCE = 'pool-twap';

/** The reference as a PositionState shows it. Prices are the asset's, quote per asset. */
export interface ReferenceState {
  /** Latest quote of each named source (venue marks), as received. */
  quotes: Record<string, { price: number; at: number }>;
  /** The pool's TWAP at the last reading (null until its window is covered). */
  twap: number | null;
  /** Median of the fresh sources, accepted or not. */
  median: number | null;
  spread: number | null;
  fresh: string[];
  stale: string[];
  /** Why the actor refuses to act on the reading (null: it does not). */
  refused: string | null;
  /** When it was read (injected clock). */
  at: number;
  /** The last accepted reference: values are measured at it while the reading is refused. */
  lastGood: { price: number; at: number } | null;
}

/**
 * The market's price in an accepted reading: the median of its fresh named sources (the venue
 * marks) without the pool's TWAP, null when the reading is refused or has no fresh named source.
 * What volatility is measured from: the accepted reference itself mixes in the TWAP, whose lag
 * smooths the returns (with one venue, the median of two is their geometric mean) and would
 * understate σ.
 */
export function marketPrice(ref: ReferenceState): number | null {
  if (ref.refused !== null) return null;
  const prices = ref.fresh.filter((s) => s !== TWAP_SOURCE).map((s) => ref.quotes[s]?.price).filter((p): p is number => p !== undefined && p > 0).sort((a, b) => a - b);
  return prices.length === 0 ? null : geometricMedian(prices);
}

/** The position measured at the reference price (what the exit rule and the risk limits judge). */
export interface AtReference {
  /** The reference price it is measured at (the current one, else the last accepted). */
  price: number;
  valueUsd: number;
  pnlUsd: number;
  pnlPercent: number;
  ilPercent: number;
}

export function emptyReference(): ReferenceState {
  return { quotes: {}, twap: null, median: null, spread: null, fresh: [], stale: [], refused: 'no reference price yet', at: 0, lastGood: null };
}

/** A state checkpointed before the reference existed reads as empty. */
export function referenceOf(s: { reference?: ReferenceState }): ReferenceState {
  return s.reference ?? emptyReference();
}

/** The reference of one pool: the named sources' quotes (kept in the state) and the pool's TWAP (kept here). */
export class PoolReference {
  private readonly twap: TimeWeightedPrice;

  constructor(private readonly settings: ReferenceSettings) {
    this.twap = new TimeWeightedPrice(settings.twapSeconds * 1000);
  }

  /** The pool's asset price is `assetPrice` from `at` on (a snapshot). */
  observePool(at: number, assetPrice: number): void {
    if (Number.isFinite(assetPrice) && assetPrice > 0) this.twap.observe(at, assetPrice);
  }

  /** `ref` with `source`'s new quote. */
  quote(ref: ReferenceState, source: string, price: number, at: number): ReferenceState {
    return { ...ref, quotes: { ...ref.quotes, [source]: { price, at } } };
  }

  /** Reads the reference at `now` from the quotes and the pool's TWAP. */
  read(ref: ReferenceState, now: number): ReferenceState {
    const twap = this.twap.value(now);
    const quotes = Object.entries(ref.quotes).map(([source, q]) => ({ source, price: q.price, at: q.at }));
    if (twap !== null) quotes.push({ source: TWAP_SOURCE, price: twap, at: now });
    const r = readReference(quotes, now, this.settings);
    const refused = r.refused !== null && twap === null && r.fresh.length < this.settings.minSources
      ? `${r.refused}; the pool TWAP covers ${Math.floor(this.twap.coveredMs(now) / 1000)} s of its ${this.settings.twapSeconds} s window`
      : r.refused;
    return {
      ...ref, twap, median: r.median, spread: r.spread, fresh: r.fresh, stale: r.stale, refused, at: now,
      lastGood: r.price === null ? ref.lastGood : { price: r.price, at: now },
    };
  }
}

/** The exit rule of a position, judged on the reference price and the PnL at the reference. */
export interface ExitRule {
  /** Exit when PnL since the first deposit falls to −stopLossPct (fraction, e.g. 0.25). */
  stopLossPct?: number;
  /** Exit when PnL reaches +takeProfitPct. */
  takeProfitPct?: number;
  /** Exit when the reference price falls below / rises above these (quote per asset). */
  priceBelow?: number;
  priceAbove?: number;
}

/** Why the exit rule fires at reference price `price` with PnL fraction `pnlPercent` at it, or null. */
export function exitReason(e: ExitRule, at: { price: number; pnlPercent: number }): string | null {
  if (e.stopLossPct !== undefined && at.pnlPercent <= -e.stopLossPct) return `stop loss: PnL at the reference ${(at.pnlPercent * 100).toFixed(2)}%`;
  if (e.takeProfitPct !== undefined && at.pnlPercent >= e.takeProfitPct) return `take profit: PnL at the reference ${(at.pnlPercent * 100).toFixed(2)}%`;
  if (e.priceBelow !== undefined && at.price < e.priceBelow) return `reference price ${at.price} below ${e.priceBelow}`;
  if (e.priceAbove !== undefined && at.price > e.priceAbove) return `reference price ${at.price} above ${e.priceAbove}`;
  return null;
}
