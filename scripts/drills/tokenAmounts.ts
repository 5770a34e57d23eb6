/** Raw token amounts as the drill prints them: whole tokens, signed, by the pools' token symbols. */
import type { DrillPool } from './drillSetup.js';

/** Decimals of the pool token named `symbol`. */
export function decimalsOf(pools: DrillPool[], symbol: string): number {
  const p = pools.find((x) => x.token0.symbol === symbol || x.token1.symbol === symbol);
  if (p === undefined) throw new Error(`no pool token ${symbol}`);
  return p.token0.symbol === symbol ? p.token0.decimals : p.token1.decimals;
}

/** `raw` in whole tokens with a sign, e.g. "+13,824.360851" or "0". */
export function wholeAmount(raw: bigint, decimals: number): string {
  if (raw === 0n) return '0';
  const n = Number(raw) / 10 ** decimals;
  return `${n > 0 ? '+' : ''}${n.toLocaleString('en-US', { maximumFractionDigits: Math.min(decimals, 9) })}`;
}

/** Per-symbol raw differences as "USDC +1.5, WETH 0". */
export function describeDiffs(diff: Record<string, bigint>, pools: DrillPool[]): string {
  return Object.entries(diff).map(([sym, d]) => `${sym} ${wholeAmount(d, decimalsOf(pools, sym))}`).join(', ');
}
