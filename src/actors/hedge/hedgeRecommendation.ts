/**
 * The spec's HedgeRecommendation for one asset: the action and size of the hedge the policy
 * targets, what it is expected to save and to cost, and how much to trust it.
 *
 * - expectedILReduction (quote units over the horizon): the expected loss from a price move the
 *   hedge offsets, |target|·P·σ·√(horizon/year)·√(2/π) — the mean absolute first-order move of
 *   the hedged delta under the configured volatility. (The LP's gamma loss is not hedgeable with a
 *   perp; this is the part that is.)
 * - cost: the taker fee of the order that brings the hedge to target plus the funding the target
 *   position is expected to pay over the horizon at the chosen venue's current rate (< 0: it earns).
 * - confidence (0..1): the share of the target the venues could actually carry (1 − unplaced/|target|),
 *   halved while no venue has quoted its fee and funding yet.
 */
import type { VenueQuote } from './hedgeSync.js';

const YEAR_MS = 365 * 86_400_000;

export interface HedgeRecommendation {
  action: 'SHORT' | 'LONG' | 'NONE';
  /** |target|, base units. */
  size: number;
  venue: string | null;
  expectedILReduction: number;
  cost: { fees: number; expectedFunding: number; total: number };
  confidence: number;
  horizonMs: number;
}

export interface RecommendationInput {
  netDelta: number;
  target: number;
  current: number;
  price: number;
  unplaced: number;
  annualVolatility: number;
  horizonMs: number;
  quote: VenueQuote | null;
  cost: (q: Pick<VenueQuote, 'takerFee' | 'fundingRate'>, delta: number, price: number) => { fees: number; expectedFunding: number; total: number };
}

/** The recommendation for the current target; null before the asset has a price. */
export function hedgeRecommendation(x: RecommendationInput): HedgeRecommendation | null {
  if (!(x.price > 0)) return null;
  const size = Math.abs(x.target);
  const expectedILReduction = size * x.price * x.annualVolatility * Math.sqrt(x.horizonMs / YEAR_MS) * Math.sqrt(2 / Math.PI);
  const q = x.quote ?? { takerFee: 0, fundingRate: 0 };
  const fees = x.cost(q, x.target - x.current, x.price).fees;
  const expectedFunding = x.cost(q, x.target, x.price).expectedFunding;
  const carried = size === 0 ? 1 : Math.max(0, 1 - x.unplaced / size);
  return {
    action: x.target < 0 ? 'SHORT' : x.target > 0 ? 'LONG' : 'NONE',
    size,
    venue: x.quote?.venue ?? null,
    expectedILReduction,
    cost: { fees, expectedFunding, total: fees + expectedFunding },
    confidence: carried * (x.quote === null ? 0.5 : 1),
    horizonMs: x.horizonMs,
  };
}
