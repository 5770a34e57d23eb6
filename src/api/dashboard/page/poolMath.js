// What the pool charts show, from a position's state on the feed (see PositionState).

/** Whether the pool's asset is token0 (its price is the pool price) rather than token1 (1 / price). */
function assetIsToken0(s) {
  return Math.abs(s.assetPrice - s.price) <= Math.abs(s.assetPrice - 1 / s.price);
}

/**
 * The range's bounds as asset prices (quote per asset). The pool price at the current tick gives
 * the decimals' scale, so a bound is price × 1.0001^(bound − tick), inverted when the asset is token1.
 */
export function rangeBounds(s) {
  const range = s.range ?? s.position;
  if (range === null || range === undefined || !(s.price > 0)) return null;
  const at = (tick) => s.price * Math.pow(1.0001, tick - s.tick);
  const lo = at(range.tickLower);
  const hi = at(range.tickUpper);
  return assetIsToken0(s) ? { lower: lo, upper: hi } : { lower: 1 / hi, upper: 1 / lo };
}

/**
 * Value against holding: holding is the value without IL and fees (value − netIL, netIL being
 * every range's IL plus all fees earned).
 */
export function holdingUsd(s) {
  const netIL = s.il?.netIL;
  return typeof netIL === 'number' ? s.valueUsd - netIL : null;
}

/** Fees, IL (every range's, losses negative) and LVR (a cost, shown negative) in USD. */
export function feesIlLvr(s) {
  return {
    fees: typeof s.feesEarned === 'number' ? s.feesEarned : null,
    il: typeof s.il?.cumulativeUSD === 'number' ? s.il.cumulativeUSD : null,
    lvr: typeof s.lvr?.cumulativeUsd === 'number' ? -s.lvr.cumulativeUsd : null,
  };
}

export const usd = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 2 }) : '–');
export const pct = (v, digits = 2) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '–');
export const num = (v, digits = 4) => (typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString(undefined, { maximumFractionDigits: digits }) : '–');
