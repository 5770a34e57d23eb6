/**
 * The spec's `calculateRequiredMargin`: initial margin of a set of perp positions (or intended
 * hedges) at the configured leverage (spec default 3), and the spec's maxPositionSize limit
 * (notional per position, spec default $1M).
 */
import { z } from 'zod';

export const MarginConfigSchema = z.object({
  leverage: z.number().positive().default(3),
  /** Largest notional of one position, quote units (spec: 1,000,000). */
  maxPositionSize: z.number().positive().default(1_000_000),
});
export type MarginConfig = z.input<typeof MarginConfigSchema>;

export interface SizedPosition {
  symbol: string;
  /** Signed or unsigned size in base units; margin uses |size|. */
  size: number;
  /** Price the margin is computed at (mark, or the expected fill). */
  price: number;
}

export interface MarginRequirement {
  /** Total initial margin, quote units. */
  total: number;
  perSymbol: Record<string, { notional: number; margin: number }>;
  /** Positions over maxPositionSize, with their notional. */
  oversized: { symbol: string; notional: number; limit: number }[];
}

/** Initial margin = Σ |size| × price / leverage, summed per symbol; flags positions over the limit. */
export function requiredMargin(positions: readonly SizedPosition[], config: MarginConfig = {}): MarginRequirement {
  const c = MarginConfigSchema.parse(config);
  const perSymbol: MarginRequirement['perSymbol'] = {};
  for (const p of positions) {
    if (!Number.isFinite(p.size) || !Number.isFinite(p.price) || p.price < 0) {
      throw new RangeError(`position ${p.symbol}: size ${p.size} and price ${p.price} must be finite, price >= 0`);
    }
    const notional = Math.abs(p.size) * p.price;
    const prev = perSymbol[p.symbol] ?? { notional: 0, margin: 0 };
    perSymbol[p.symbol] = { notional: prev.notional + notional, margin: prev.margin + notional / c.leverage };
  }
  let total = 0;
  const oversized: MarginRequirement['oversized'] = [];
  for (const [symbol, v] of Object.entries(perSymbol)) {
    total += v.margin;
    if (v.notional > c.maxPositionSize) oversized.push({ symbol, notional: v.notional, limit: c.maxPositionSize });
  }
  return { total, perSymbol, oversized };
}

/** Why `requirement` cannot be met with `availableMargin`, or null when it can. */
export function marginShortfall(requirement: MarginRequirement, availableMargin: number): string | null {
  if (requirement.oversized.length > 0) {
    const o = requirement.oversized[0];
    if (o !== undefined) return `position ${o.symbol} notional ${o.notional.toFixed(2)} exceeds maxPositionSize ${o.limit}`;
  }
  if (requirement.total > availableMargin) {
    return `Insufficient margin: need ${requirement.total.toFixed(2)}, available ${availableMargin.toFixed(2)}`;
  }
  return null;
}
