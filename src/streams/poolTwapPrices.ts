/**
 * The TWAP of a pool's asset price as a stream: what the paper venue marks its perps at when no
 * real venue is configured. The paper venue is never a reference source (it would only echo
 * whatever it is fed); its mark follows the pool's TWAP, so a flash push of the pool does not
 * move the hedge's mark-to-market either. The TWAP is emitted every `intervalMs` once the
 * observations cover its window (before that the venue keeps its opening mark), and on each
 * snapshot after that.
 */
import { filter, map, merge, mergeMap, timer, type Observable } from 'rxjs';
import type { PoolDescriptor, PoolSnapshot } from '../actors/ports.js';
import { TimeWeightedPrice } from '../math/timeWeightedPrice.js';

export interface PoolTwapPricesOptions {
  snapshots$: Observable<PoolSnapshot>;
  /** The pool followed (its asset price: quote per asset). */
  pool: PoolDescriptor;
  /** Its snapshot when the stream starts (the TWAP's first observation). */
  initial: PoolSnapshot;
  windowSeconds: number;
  intervalMs: number;
  now: () => number;
}

/** The pool's asset-price TWAP at `at`: `{ price, at }` ticks. */
export function poolTwapPrices$(o: PoolTwapPricesOptions): Observable<{ price: number; at: number }> {
  const twap = new TimeWeightedPrice(o.windowSeconds * 1000);
  const assetPrice = (s: PoolSnapshot): number => (o.pool.assetIsToken0 ? s.price : 1 / s.price);
  twap.observe(o.now(), assetPrice(o.initial));
  const observed$ = o.snapshots$.pipe(
    filter((s) => s.poolId === o.pool.poolId && Number.isFinite(s.price) && s.price > 0),
    map((s) => twap.observe(o.now(), assetPrice(s))),
  );
  return merge(observed$, timer(o.intervalMs, o.intervalMs)).pipe(
    mergeMap(() => {
      const at = o.now();
      const price = twap.value(at);
      return price === null ? [] : [{ price, at }];
    }),
  );
}
