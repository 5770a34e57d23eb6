/**
 * The exposure the `maxExposure` limit bounds: the share of capital at risk to the price of the
 * hedged assets, i.e. the net unhedged exposure. Per perp symbol (one per asset), the LP
 * positions' asset delta in USD plus the signed perp positions' notional on every venue
 * (a short hedge is negative), in absolute value; summed over symbols; over equity:
 *
 *   exposure = Σ_symbol | Σ_pools deltaUsd + Σ_venues size × mark | / equity
 *
 * A 30k USD LP holding ~15k USD of ETH, hedged short 12k USD with 5k USDT margin at 3x: equity
 * 35k, net 3k, exposure 8.6%. The same LP with no hedge it could open: 15k / 30k = 50%. (LP
 * value / equity, the earlier definition, counted the hedged LP as 86% "exposed" and halted a
 * correctly funded agent at start.)
 */

/** What a position contributes: its hedge symbol and its asset delta, USD (long > 0). */
export interface LpDelta {
  symbol: string;
  deltaUsd: number;
}

export interface NetExposure {
  /** Σ |net USD| / equity (0 when equity <= 0). */
  exposure: number;
  /** Net USD exposure per symbol, signed (> 0 long the asset). */
  netUsd: Record<string, number>;
}

/**
 * Net exposure of LP deltas and venue positions (signed notional per symbol, USD). Entries with
 * a non-finite number (a report from before the field existed) count as 0.
 */
export function netExposure(lp: readonly LpDelta[], venuePositions: ReadonlyArray<Readonly<Record<string, number>>>, equityUsd: number): NetExposure {
  const netUsd: Record<string, number> = {};
  const add = (symbol: string, usd: number): void => {
    netUsd[symbol] = (netUsd[symbol] ?? 0) + (Number.isFinite(usd) ? usd : 0);
  };
  for (const p of lp) add(p.symbol, p.deltaUsd);
  for (const positions of venuePositions) for (const [symbol, usd] of Object.entries(positions)) add(symbol, usd);
  const total = Object.values(netUsd).reduce((a, x) => a + Math.abs(x), 0);
  return { exposure: equityUsd > 0 ? total / equityUsd : 0, netUsd };
}
