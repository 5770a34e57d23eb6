/**
 * The reference price of an asset: the median of its fresh sources (each venue's mark price, the
 * pool's TWAP), so that no one source — and certainly not the pool the agent trades in — can move
 * it alone. A source whose last quote is older than its staleness bound is dropped. The reading
 * is refused (price null, with the reason) when fewer than `minSources` sources are fresh, or when
 * the fresh sources disagree by more than `maxSpread` (max/min − 1): then no one knows the price,
 * and the agent must not act on any of them.
 *
 * With an even number of sources the median is the geometric mean of the middle two, so the
 * reference of 1/p is exactly 1/reference of p (either token order of a pool reads the same).
 */
import { requireFinite, requireInteger, requireNonNegative, requirePositive } from './analyticsInput.js';

/** A source's latest quote: quote-token per asset, seen at `at` (ms). */
export interface SourceQuote {
  source: string;
  price: number;
  at: number;
}

export interface ReferenceRules {
  /** Fewer fresh sources than this: refuse (>= 1). */
  minSources: number;
  /** Fresh sources further apart than this (max/min − 1): refuse. */
  maxSpread: number;
  /** A quote older than this (ms) is stale. */
  staleMs: number;
  /** Per-source staleness bounds (ms) that replace `staleMs`. */
  sourceStaleMs?: Readonly<Record<string, number>>;
}

export interface ReferenceReading {
  /** The reference price, or null when refused. */
  price: number | null;
  /** The median of the fresh sources, whether or not it was accepted (null: none fresh). */
  median: number | null;
  /** Names of the fresh and of the stale sources, sorted. */
  fresh: string[];
  stale: string[];
  /** max/min − 1 of the fresh sources (null: none fresh). */
  spread: number | null;
  /** Why the reading cannot be used (null: it can). */
  refused: string | null;
}

/** The median, geometric between the middle two of an even count. `sorted` must be ascending and non-empty. */
export function geometricMedian(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : Math.sqrt(sorted[mid - 1]! * sorted[mid]!);
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/** Reads the reference from the latest quote of each source at `now` (one quote per source: the latest wins). */
export function readReference(quotes: readonly SourceQuote[], now: number, rules: ReferenceRules): ReferenceReading {
  requireInteger('minSources', rules.minSources);
  requirePositive('minSources', rules.minSources);
  requireNonNegative('maxSpread', rules.maxSpread);
  requirePositive('staleMs', rules.staleMs);
  requireFinite('now', now);
  const latest = new Map<string, SourceQuote>();
  for (const [i, q] of quotes.entries()) {
    requirePositive(`quotes[${i}].price`, q.price);
    requireFinite(`quotes[${i}].at`, q.at);
    const seen = latest.get(q.source);
    if (seen === undefined || q.at >= seen.at) latest.set(q.source, q);
  }
  const fresh: SourceQuote[] = [];
  const stale: string[] = [];
  for (const q of latest.values()) {
    const bound = rules.sourceStaleMs?.[q.source] ?? rules.staleMs;
    if (now - q.at <= bound) fresh.push(q);
    else stale.push(q.source);
  }
  fresh.sort((a, b) => a.price - b.price);
  stale.sort();
  const names = fresh.map((q) => q.source).sort();
  if (fresh.length === 0) {
    return { price: null, median: null, fresh: [], stale, spread: null, refused: `no fresh reference source (${rules.minSources} required${stale.length > 0 ? `; stale: ${stale.join(', ')}` : ''})` };
  }
  const prices = fresh.map((q) => q.price);
  const median = geometricMedian(prices);
  const spread = prices[prices.length - 1]! / prices[0]! - 1;
  let refused: string | null = null;
  if (fresh.length < rules.minSources) {
    refused = `${fresh.length} fresh reference source${fresh.length === 1 ? '' : 's'} (${names.join(', ')}), ${rules.minSources} required${stale.length > 0 ? `; stale: ${stale.join(', ')}` : ''}`;
  } else if (spread > rules.maxSpread) {
    refused = `reference sources disagree by ${(spread * 100).toFixed(2)}% > ${(rules.maxSpread * 100).toFixed(2)}% (${fresh.map((q) => `${q.source} ${fmt(q.price)}`).join(', ')})`;
  }
  return { price: refused === null ? median : null, median, fresh: names, stale, spread, refused };
}
