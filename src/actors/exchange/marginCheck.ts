/**
 * The one margin implementation the actors use: the pre-flight check of a risk-adding hedge
 * order (initial margin at the configured leverage against the free balance, and the position
 * size limit), how much of an order the free margin affords (a partial hedge), and the health
 * of each open perp position (liquidation price, distance to it, margin ratio) against the
 * configured buffer (`hedge.margin`).
 *
 * Health on a cross-margined account: the position of signed size s at mark P is liquidated when
 * equity E + s·(L − P) falls to the maintenance margin m·|s|·L. For a short that gives the
 * distance d = (L − P)/P = (E/(|s|·P) − m)/(1 + m), for a long d = (P − L)/P = (E/(|s|·P) − m)/(1 − m),
 * so the largest notional that keeps d ≥ buffer is N = E / (buffer·(1 ± m) + m). The venue's own
 * liquidation price wins when it gives one; the formula gives the safe size to reduce to.
 */
import { z } from 'zod';

/** Config `hedge.margin`: the liquidation buffer and what happens below it. */
export const marginBufferSchema = z.object({
  /** Smallest distance from the mark to the liquidation price, as a fraction of the mark (0.25: liquidation at least 25% away). */
  minLiquidationDistance: z.number().positive().max(10).default(0.25),
  /** Largest margin ratio (maintenance margin / account equity) before acting. */
  maxMarginRatio: z.number().positive().max(1).default(0.5),
  /** Below the buffer: reduce the hedge to the size that restores it, or only alert. */
  action: z.enum(['reduce', 'alert']).default('reduce'),
}).strict();
export type MarginBuffer = z.infer<typeof marginBufferSchema>;

/** The defaults of `hedge.margin`. */
export const DEFAULT_MARGIN_BUFFER: MarginBuffer = marginBufferSchema.parse({});

/** What margin health needs to know about one position. */
export interface PositionMarginInput {
  /** Signed size, base units. */
  size: number;
  markPrice: number;
  /** Maintenance margin of the position, quote units. */
  maintenanceMargin: number;
  /** The venue's liquidation price, when it gives one. */
  liquidationPrice: number | null;
}

export interface MarginHealth {
  /** The venue's liquidation price, else the cross-margin estimate; null when nothing liquidates it. */
  liquidationPrice: number | null;
  /** |mark − liquidation| / mark, in the direction that hurts (null: no liquidation price). */
  liquidationDistance: number | null;
  /** Maintenance margin / account equity (Infinity when equity ≤ 0). */
  marginRatio: number;
  /** Largest notional (quote units) that keeps the liquidation distance at the buffer. */
  maxSafeNotional: number;
  /** True when the distance is at least the buffer and the margin ratio at most its limit. */
  healthy: boolean;
  /** Why it is not healthy, else null. */
  reason: string | null;
}

/** Maintenance rate used when the venue reports no maintenance margin (Binance's first bracket). */
const FALLBACK_MAINTENANCE_RATE = 0.005;

/** Margin health of one position on a cross account of `equity` (quote units, unrealized PnL included). */
export function marginHealth(p: PositionMarginInput, equity: number, buffer: MarginBuffer): MarginHealth {
  const notional = Math.abs(p.size) * p.markPrice;
  if (p.size === 0 || !(p.markPrice > 0)) {
    return { liquidationPrice: null, liquidationDistance: null, marginRatio: 0, maxSafeNotional: Number.POSITIVE_INFINITY, healthy: true, reason: null };
  }
  const mmr = p.maintenanceMargin > 0 ? p.maintenanceMargin / notional : FALLBACK_MAINTENANCE_RATE;
  const short = p.size < 0;
  const side = short ? 1 + mmr : 1 - mmr;
  const estimated = equity > 0 ? (short ? p.markPrice * (1 + (equity / notional - mmr) / side) : p.markPrice * (1 - (equity / notional - mmr) / side)) : p.markPrice;
  const liq = p.liquidationPrice !== null && p.liquidationPrice > 0 ? p.liquidationPrice : estimated > 0 ? estimated : null;
  const liquidationDistance = liq === null ? null : Math.max(0, short ? (liq - p.markPrice) / p.markPrice : (p.markPrice - liq) / p.markPrice);
  const marginRatio = equity > 0 ? (mmr * notional) / equity : Number.POSITIVE_INFINITY;
  const maxSafeNotional = equity > 0 ? equity / (buffer.minLiquidationDistance * side + mmr) : 0;
  let reason: string | null = null;
  if (liquidationDistance !== null && liquidationDistance < buffer.minLiquidationDistance) {
    reason = `liquidation at ${liq!.toFixed(2)} is ${(liquidationDistance * 100).toFixed(2)}% from mark ${p.markPrice.toFixed(2)}, inside the ${(buffer.minLiquidationDistance * 100).toFixed(2)}% buffer`;
  } else if (marginRatio > buffer.maxMarginRatio) {
    reason = `margin ratio ${(marginRatio * 100).toFixed(2)}% above ${(buffer.maxMarginRatio * 100).toFixed(2)}%`;
  }
  return { liquidationPrice: liq, liquidationDistance, marginRatio, maxSafeNotional, healthy: reason === null, reason };
}

/** The pre-flight inputs of a hedge order. */
export interface OrderMarginInput {
  /** Order size, base units (already rounded to the lot). */
  amount: number;
  /** Target position after the order, signed base units. */
  targetSize: number;
  price: number;
  leverage: number;
  /** Free margin, quote units. */
  free: number;
  /** Position size limit, quote units (config maxPositionSize). */
  maxPositionNotional: number;
  currency: string;
}

/** Why a risk-adding order cannot go (size limit or margin), or null when it can. */
export function orderMarginShortfall(x: OrderMarginInput): string | null {
  const newNotional = Math.abs(x.targetSize) * x.price;
  if (newNotional > x.maxPositionNotional) return `target notional ${newNotional.toFixed(2)} exceeds maxPositionSize ${x.maxPositionNotional}`;
  const required = (x.amount * x.price) / x.leverage;
  if (required > x.free) return `Insufficient margin: need ${required.toFixed(2)} ${x.currency}, free ${x.free.toFixed(2)}`;
  return null;
}

/**
 * The largest order (base units, rounded down to `step`) whose initial margin the free balance
 * covers while `reserve` × equity stays free (fees, funding, a move before the next sync): a
 * second partial hedge right after the first finds nothing left rather than a sliver.
 */
export function affordableAmount(free: number, equity: number, price: number, leverage: number, step: number, reserve = 0.02): number {
  const usable = free - reserve * Math.max(0, equity);
  if (!(usable > 0) || !(price > 0)) return 0;
  const raw = (usable * leverage) / price;
  return step > 0 ? Math.floor(raw / step + 1e-9) * step : raw;
}
