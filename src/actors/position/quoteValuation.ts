/**
 * A pool whose quote token is not a USD stablecoin (WBTC/WETH) is valued through both tokens'
 * reference prices. The venues quote each token in USD (the asset's mark, the quote asset's mark);
 * the position's reference source for a venue is their ratio (quote per asset, what the pool
 * prices), paired per venue so one venue's ratio never mixes two venues' marks, and stamped with
 * the older of the two marks (so it goes stale with either). The quote's USD price is the median
 * of the fresh quote-asset marks: what every USD figure of the position (value, PnL, IL, delta in
 * USD, fees) is multiplied by. A pool quoted in a USD stablecoin has neither: the marks are the
 * reference sources as they come and the quote is worth 1 USD.
 */
import { geometricMedian, type ReferenceRules } from '../../math/referencePrice.js';
import type { QuoteAsset } from '../ports.js';

/** One source's price and when it was quoted. */
export interface Mark {
  price: number;
  at: number;
}

export class QuoteValuation {
  private readonly assetMarks = new Map<string, Mark>();
  private readonly quoteMarks = new Map<string, Mark>();
  private usd: number | null;

  /** `restoredUsd`: the quote's USD price a checkpoint kept (used until a venue quotes it again). */
  constructor(readonly quote: QuoteAsset | null, private readonly rules: Pick<ReferenceRules, 'staleMs' | 'sourceStaleMs'>, restoredUsd: number | null = null) {
    this.usd = quote === null ? 1 : restoredUsd;
  }

  /** USD per whole quote token: 1 for a USD stablecoin; null until a venue has quoted a non-USD quote. */
  usdPerQuote(): number | null {
    return this.usd;
  }

  /** Keeps a checkpointed quote price when none has been read yet (a restart). */
  restore(usd: number | null | undefined): void {
    if (this.usd === null && typeof usd === 'number' && usd > 0) this.usd = usd;
  }

  /** The asset's USD mark from `source`: the reference source's price (quote per asset), or null while the source has not quoted the quote asset. */
  assetMark(source: string, price: number, at: number): Mark | null {
    if (this.quote === null) return { price, at };
    this.assetMarks.set(source, { price, at });
    return this.cross(source);
  }

  /** The quote asset's USD mark from `source` (at `now`): updates the quote's USD price; returns the source's new ratio, as assetMark. */
  quoteMark(source: string, price: number, at: number, now: number): Mark | null {
    if (this.quote === null) return null;
    this.quoteMarks.set(source, { price, at });
    const fresh = [...this.quoteMarks.entries()].filter(([s, m]) => now - m.at <= (this.rules.sourceStaleMs?.[s] ?? this.rules.staleMs)).map(([, m]) => m.price).sort((a, b) => a - b);
    if (fresh.length > 0) this.usd = geometricMedian(fresh);
    return this.cross(source);
  }

  private cross(source: string): Mark | null {
    const a = this.assetMarks.get(source);
    const q = this.quoteMarks.get(source);
    if (a === undefined || q === undefined) return null;
    return { price: a.price / q.price, at: Math.min(a.at, q.at) };
  }
}
