/**
 * Hedge sync, the one implementation: how far a hedge is from its target (discrepancy, severity,
 * the action that closes it), what the hedge venues hold together (net position, funding), and
 * where a change of the hedge goes when several venues are configured (the spec's
 * `selectOptimalExchange`): among the healthy venues with room, the one where the change is
 * cheapest to make and hold — taker fee on the order plus the funding the resulting position is
 * expected to pay over the holding horizon, at the venue's current rate.
 */
import type { ExchangeState } from '../exchange/exchangeActor.js';

export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export const PRIORITY: Record<Severity, number> = { none: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Severity of a deviation |current − target| / |target| beyond the band: 2×, 5×, 10× the band and beyond. */
export function severityOf(deviation: number, band: number): Severity {
  if (deviation <= band) return 'none';
  if (deviation <= 2 * band) return 'low';
  if (deviation <= 5 * band) return 'medium';
  if (deviation <= 10 * band) return 'high';
  return 'critical';
}

export interface SyncVerdict {
  deviation: number;
  withinBand: boolean;
  sync: { discrepancy: number; severity: Severity; action: 'INCREASE_HEDGE' | 'DECREASE_HEDGE' | 'NONE'; priority: number };
}

/** How `current` stands against `target` (signed base units) with a tolerance `band` (fraction of the target). */
export function syncVerdict(target: number, current: number, band: number): SyncVerdict {
  const diff = target - current;
  const deviation = target === 0 ? (current === 0 ? 0 : Infinity) : Math.abs(diff) / Math.abs(target);
  const withinBand = Math.abs(diff) <= band * Math.abs(target);
  const severity = withinBand ? 'none' : severityOf(deviation, band);
  const increase = Math.abs(target) > Math.abs(current);
  return { deviation, withinBand, sync: { discrepancy: diff, severity, action: severity === 'none' ? 'NONE' : increase ? 'INCREASE_HEDGE' : 'DECREASE_HEDGE', priority: PRIORITY[severity] } };
}

/** Funding settles every 8 hours on Binance USDⓈ-M and Bybit linear ETH/BTC perps (and on the paper venue by default). */
export const FUNDING_INTERVAL_MS = 8 * 3600 * 1000;

/** What one venue offers for one symbol: the numbers the venue choice ranks by. */
export interface VenueQuote {
  venue: string;
  symbol: string;
  /** Fraction of the fill notional. */
  takerFee: number;
  /** Funding rate per interval (> 0: longs pay shorts). */
  fundingRate: number;
  /** Signed position held there now, base units. */
  position: number;
  /** Base units the venue can still add in either direction (free margin at its leverage, and the margin buffer). */
  room: number;
  /** Whether its positions are outside the liquidation buffer. */
  healthy: boolean;
}

/** The holding cost of a change `delta` (signed base units) at `price` on a venue: taker fee + expected funding over `horizonMs` (quote units; < 0: it earns). */
export function changeCost(q: Pick<VenueQuote, 'takerFee' | 'fundingRate'>, delta: number, price: number, horizonMs: number): { fees: number; expectedFunding: number; total: number } {
  const fees = q.takerFee * Math.abs(delta) * price;
  // a position s pays s·P·rate per interval: the change adds delta·P·rate each interval of the horizon
  const expectedFunding = delta * price * q.fundingRate * (horizonMs / FUNDING_INTERVAL_MS);
  return { fees, expectedFunding, total: fees + expectedFunding };
}

/**
 * The venues to send a change of `delta` (signed base units) to, best first. Adding exposure:
 * healthy venues with room, cheapest change first. Reducing exposure: the venues holding that
 * side, unhealthy ones first, then the most expensive to keep holding. The caller leaves out
 * the venues that are down or refused this round.
 */
export function rankVenues(quotes: readonly VenueQuote[], delta: number, price: number, horizonMs: number, minAmount = 0): VenueQuote[] {
  const reducing = (q: VenueQuote): boolean => q.position !== 0 && Math.sign(q.position) === -Math.sign(delta);
  const holding = quotes.filter(reducing);
  if (holding.length > 0 && holding.reduce((a, q) => a + Math.abs(q.position), 0) >= Math.abs(delta) - 1e-12) {
    // closing what a venue holds frees margin and funding there: start where holding costs most
    return [...holding].sort((a, b) => Number(a.healthy) - Number(b.healthy)
      || changeCost(b, -Math.sign(delta), price, horizonMs).expectedFunding - changeCost(a, -Math.sign(delta), price, horizonMs).expectedFunding
      || a.venue.localeCompare(b.venue));
  }
  return quotes
    .filter((q) => q.healthy && q.room > minAmount)
    .sort((a, b) => changeCost(a, delta, price, horizonMs).total - changeCost(b, delta, price, horizonMs).total || b.room - a.room || a.venue.localeCompare(b.venue));
}

/** The quote of `symbol` on a venue from its ExchangeActor state, with `room` from its free margin and margin buffer. */
export function quoteOf(s: ExchangeState, symbol: string, price: number): VenueQuote | null {
  const market = s.markets[symbol];
  if (market === undefined) return null;
  const position = s.positions[symbol];
  const usable = Math.max(0, s.balance.free - 0.02 * Math.max(0, s.equity));
  const marginRoom = price > 0 ? (usable * s.leverage) / price : 0;
  const bufferRoom = position === undefined || !Number.isFinite(position.health.maxSafeNotional) ? Number.POSITIVE_INFINITY
    : Math.max(0, position.health.maxSafeNotional / price - Math.abs(position.size));
  const healthy = Object.values(s.positions).every((p) => p.health.healthy);
  return {
    venue: s.venue, symbol, takerFee: market.takerFee, fundingRate: s.fundingRates[symbol] ?? 0, position: position?.size ?? 0,
    room: s.status === 'running' ? Math.min(marginRoom, bufferRoom) : 0, healthy,
  };
}

/** Per symbol, the net position and funding received over the hedge venues' states. */
export function netOverVenues(states: readonly ExchangeState[]): { sizes: Record<string, number>; funding: Record<string, number> } {
  const sizes: Record<string, number> = {};
  const funding: Record<string, number> = {};
  for (const s of states) {
    for (const m of Object.keys(s.markets)) sizes[m] = (sizes[m] ?? 0) + (s.positions[m]?.size ?? 0);
    for (const [m, f] of Object.entries(s.funding.bySymbol)) funding[m] = (funding[m] ?? 0) + f.received;
  }
  return { sizes, funding };
}
