/**
 * Geometric time-weighted average price over a trailing window, as Uniswap's oracle computes it
 * (the mean of log prices weighted by how long each price held):
 *
 *   TWAP(now) = exp( Σ ln(p_i) · d_i / W ),   W = windowMs
 *
 * where price p_i held from its observation until the next one (the last one until `now`), and
 * d_i is the part of that time inside [now − W, now]. A price pushed to k·p for d ms moves the
 * TWAP by the factor k^(d/W) at most: a flash push costs the pusher the whole window, not a block.
 * Geometric, so the TWAP of 1/p is 1/TWAP of p (the same for either token order of a pool).
 *
 * The TWAP exists only once the observations cover the whole window (the first one at or before
 * now − W): a young history would be the spot price under another name.
 */
import { requireFinite, requirePositive } from './analyticsInput.js';

/** A price (> 0) seen at `at` (ms). */
export interface PriceObservation {
  at: number;
  price: number;
}

/**
 * The geometric TWAP of `observations` (sorted by `at`) over [now − windowMs, now], or null when
 * they do not cover the window. Observations after `now` are ignored.
 */
export function geometricTwap(observations: readonly PriceObservation[], now: number, windowMs: number): number | null {
  requirePositive('windowMs', windowMs);
  requireFinite('now', now);
  const from = now - windowMs;
  let logSum = 0;
  let covered = false;
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    requirePositive(`observations[${i}].price`, o.price);
    if (o.at > now) break;
    const end = Math.min(observations[i + 1]?.at ?? now, now);
    if (o.at <= from) covered = true;
    const start = Math.max(o.at, from);
    if (end > start) logSum += Math.log(o.price) * (end - start);
  }
  return covered ? Math.exp(logSum / windowMs) : null;
}

/** A trailing-window TWAP fed one observation at a time; keeps only what the window needs. */
export class TimeWeightedPrice {
  private readonly observations: PriceObservation[] = [];

  constructor(readonly windowMs: number) {
    requirePositive('windowMs', windowMs);
  }

  /** Records that the price is `price` from `at` on. An observation older than the last is taken as at the last's time. */
  observe(at: number, price: number): void {
    requirePositive('price', price);
    requireFinite('at', at);
    const last = this.observations[this.observations.length - 1];
    const t = last === undefined ? at : Math.max(at, last.at);
    if (last !== undefined && last.at === t) this.observations[this.observations.length - 1] = { at: t, price };
    else this.observations.push({ at: t, price });
    // drop what ended before the window: keep the last observation at or before its start
    const from = t - this.windowMs;
    let firstNeeded = 0;
    while (firstNeeded + 1 < this.observations.length && this.observations[firstNeeded + 1]!.at <= from) firstNeeded++;
    if (firstNeeded > 0) this.observations.splice(0, firstNeeded);
  }

  /** The TWAP at `now`, or null until the observations cover the window. */
  value(now: number): number | null {
    return geometricTwap(this.observations, now, this.windowMs);
  }

  /** How much of the window the observations cover at `now`, ms (windowMs when covered). */
  coveredMs(now: number): number {
    const first = this.observations[0];
    return first === undefined ? 0 : Math.max(0, Math.min(this.windowMs, now - first.at));
  }
}
