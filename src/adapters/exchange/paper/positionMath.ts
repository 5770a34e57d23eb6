/**
 * Pure perp position arithmetic of the paper exchange: applying a fill to a signed position
 * (average entry on adds, realized PnL on reductions, re-entry at the fill price on a flip),
 * and the liquidation price estimate of a cross-margined position.
 */

/** A signed position: size > 0 long, < 0 short, in base units; entry in quote per base. */
export interface PositionState {
  size: number;
  entryPrice: number;
}

export interface FillEffect {
  next: PositionState;
  /** PnL realized by the part of the fill that reduced the position (quote units). */
  realizedPnl: number;
  /** Base units of the fill that reduced the old position (0 when it only added). */
  reducedAmount: number;
}

/**
 * The position after a fill of `signedAmount` (buy > 0, sell < 0) at `price`.
 * Adding keeps a size-weighted average entry; reducing realizes (price − entry)·closed·sign;
 * a flip closes the old side and opens the remainder at `price`. `round` snaps the new size to
 * the market's lot (to keep float dust out of positions).
 */
export function applyFill(pos: PositionState, signedAmount: number, price: number, round: (size: number) => number = (s) => s): FillEffect {
  const { size, entryPrice } = pos;
  if (size === 0 || Math.sign(size) === Math.sign(signedAmount)) {
    const nextSize = round(size + signedAmount);
    const entry = nextSize === 0 ? 0 : (size * entryPrice + signedAmount * price) / (size + signedAmount);
    return { next: { size: nextSize, entryPrice: entry }, realizedPnl: 0, reducedAmount: 0 };
  }
  const reducedAmount = Math.min(Math.abs(signedAmount), Math.abs(size));
  const realizedPnl = reducedAmount * (price - entryPrice) * Math.sign(size);
  const nextSize = round(size + signedAmount);
  let entry: number;
  if (nextSize === 0) entry = 0;
  else if (Math.sign(nextSize) === Math.sign(size)) entry = entryPrice;
  else entry = price;
  return { next: { size: nextSize, entryPrice: entry }, realizedPnl, reducedAmount };
}

/**
 * Estimated liquidation price of one position on a cross-margined account: the mark P where
 * equity other(P-independent) + size·(P − entry) falls to maintenance margin mmr·|size|·P, i.e.
 * P = (size·entry − otherEquity) / (size − mmr·|size|). `otherEquity` is the account's cash plus
 * the other positions' unrealized PnL minus their maintenance margin. Null when flat or when no
 * positive price liquidates the position (an over-collateralized long).
 */
export function liquidationPrice(pos: PositionState, otherEquity: number, maintenanceMarginRate: number): number | null {
  if (pos.size === 0) return null;
  const denominator = pos.size - maintenanceMarginRate * Math.abs(pos.size);
  if (denominator === 0) return null;
  const p = (pos.size * pos.entryPrice - otherEquity) / denominator;
  return Number.isFinite(p) && p > 0 ? p : null;
}
