/**
 * The reference ("true market") price path the devnet's market follows: a seeded geometric
 * Brownian motion, or a replay of recorded points. The same stream drives the on-chain
 * arbitrageur and can feed the paper exchange, so the pool and the CEX see one market.
 */
import { asyncScheduler, Observable, ReplaySubject, share, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { requireAtLeast, syntheticPricePath, type PricePoint, type SyntheticMarketOptions } from '../../../../backtest/syntheticMarket.js';

export type { PricePoint } from '../../../../backtest/syntheticMarket.js';

/** The GBM options of a synthetic market (no jumps). */
export type GbmOptions = Omit<SyntheticMarketOptions, 'jumps'>;

/**
 * An endless GBM path, exact in distribution: S(t+dt) = S(t)·exp((μ − σ²/2)·dt + σ·√dt·Z),
 * Z ~ N(0,1) from the seeded generator, dt in years. The first point is the initial price.
 */
export function gbmPath(opts: GbmOptions): Generator<PricePoint, never> {
  return syntheticPricePath(opts);
}

export interface PacingOptions {
  /** Wall-clock ms between emissions; 0 = as fast as the scheduler allows. Default 1000. */
  intervalMs?: number;
  /** Stop after this many points; default endless (GBM) or the whole recording (replay). */
  maxPoints?: number;
  scheduler?: SchedulerLike;
}

/**
 * Emits `points` one every `intervalMs` (the first at once), then completes when they run out
 * or after `maxPoints`. Cold: each subscriber gets its own run; use referencePriceFeed to share.
 */
export function pacedPrices(points: Iterable<PricePoint>, pacing: PacingOptions = {}): Observable<PricePoint> {
  const intervalMs = pacing.intervalMs ?? 1000;
  requireAtLeast('intervalMs', intervalMs, 0, false);
  const max = pacing.maxPoints ?? Infinity;
  const scheduler = pacing.scheduler ?? asyncScheduler;
  return new Observable<PricePoint>((subscriber) => {
    const it = points[Symbol.iterator]();
    let emitted = 0;
    return scheduler.schedule(function tick(this: SchedulerAction<undefined>) {
      if (emitted >= max) {
        subscriber.complete();
        return;
      }
      const next = it.next();
      if (next.done === true) {
        subscriber.complete();
        return;
      }
      emitted++;
      subscriber.next(next.value);
      if (!subscriber.closed) this.schedule(undefined, intervalMs);
    });
  });
}

/** A GBM reference price stream paced in wall-clock time (see gbmPath and pacedPrices). */
export function gbmPrice$(opts: GbmOptions & PacingOptions): Observable<PricePoint> {
  return pacedPrices(gbmPath(opts), opts);
}

/**
 * Makes a price stream hot and shared: every subscriber (arbitrageur, paper exchange, dashboard)
 * sees the same points, and a late subscriber gets the latest point first. The source starts on
 * the first subscription and is torn down when the last subscriber leaves.
 */
export function referencePriceFeed(source: Observable<PricePoint>): Observable<PricePoint> {
  return source.pipe(share({ connector: () => new ReplaySubject<PricePoint>(1), resetOnError: false, resetOnComplete: false, resetOnRefCountZero: true }));
}
