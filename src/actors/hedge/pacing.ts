/**
 * Hedge pacing: whether an out-of-band hedge order goes now, waits, or is skipped. A narrow LP
 * range makes the delta swing, and trading straight back to target every time the hedge leaves
 * its band pays the taker fee dozens of times a minute. The rule (per asset):
 *
 *   - no order sooner than `minIntervalMs` after the previous one, unless the deviation
 *     |current − target| / |target| exceeds `urgentBand` (then it goes at once);
 *   - an order whose notional |target − current| × price is below `minOrderUsd` is skipped,
 *     unless it closes the hedge to flat (target 0: no dust is left behind).
 *
 * A deferred order is re-checked when the interval has passed (the caller schedules it), against
 * the target at that time, so the hedge that lands is the one still needed. Flattening on a halt
 * is done by the ExchangeActor directly and never passes through here.
 */

/** Pacing settings (config `hedge.minIntervalMs`, `hedge.urgentBand`, `hedge.minOrderUsd`). */
export interface HedgePacing {
  /** Minimum spacing of orders per asset, ms (0 = none). */
  minIntervalMs: number;
  /** Deviation (fraction of target) above which an order is urgent and not delayed. */
  urgentBand: number;
  /** Orders below this notional (quote units) are skipped, except a close to flat (0 = none). */
  minOrderUsd: number;
}

/** What the pacing rule needs to know about one out-of-band asset. */
export interface DispatchInput {
  /** Target and current perp position, signed base units. */
  target: number;
  current: number;
  /** Mark price, quote per base unit. */
  price: number;
  /** |current − target| / |target| (Infinity when the target is 0 and current is not). */
  deviation: number;
  /** When the previous order was sent (ms), null if never. */
  lastOrderAt: number | null;
  now: number;
}

/** The decision: send now, defer until a time, or skip (too small). */
export type DispatchDecision =
  | { kind: 'send'; urgent: boolean }
  | { kind: 'defer'; until: number; reason: string }
  | { kind: 'skip'; reason: string };

/** Decides whether an out-of-band hedge order goes now (see the module comment). */
export function decideDispatch(x: DispatchInput, p: HedgePacing): DispatchDecision {
  const urgent = x.deviation > p.urgentBand;
  const notional = Math.abs(x.target - x.current) * x.price;
  if (p.minOrderUsd > 0 && notional < p.minOrderUsd && x.target !== 0) {
    return { kind: 'skip', reason: `order notional ${notional.toFixed(2)} below minOrderUsd ${p.minOrderUsd}` };
  }
  if (!urgent && x.lastOrderAt !== null && p.minIntervalMs > 0) {
    const until = x.lastOrderAt + p.minIntervalMs;
    if (x.now < until) {
      return {
        kind: 'defer',
        until,
        reason: `min interval: last order at ${x.lastOrderAt}, next allowed at ${until}; deviation ${(x.deviation * 100).toFixed(2)}% is within the urgent band ${(p.urgentBand * 100).toFixed(2)}%`,
      };
    }
  }
  return { kind: 'send', urgent };
}
