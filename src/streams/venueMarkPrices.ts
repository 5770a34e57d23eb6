/**
 * prices$ from a derivatives venue: the mark price of each hedge symbol, emitted as the reference
 * price of the symbol's asset — pushed by the venue's socket as it changes when the venue offers
 * `markPrices$`, and polled for every symbol the socket has not updated within the interval.
 * This is the independent price the PositionActor compares the pool against before it rolls
 * (a manipulated pool must not make us trade).
 */
import { concatMap, from, merge, mergeMap, timer, type Observable, EMPTY } from 'rxjs';
import type { PriceTick } from '../actors/agent.js';
import type { Logger } from '../logging/logger.js';

/** What the stream needs of a venue. */
export interface MarkPriceSource {
  readonly id: string;
  fetchMarkPrice(symbol: string): Promise<number>;
  /** Mark prices as the venue pushes them (its socket), when it can; never errors. */
  markPrices$?(symbols: readonly string[]): Observable<{ symbol: string; price: number }>;
}

export interface VenueMarkPricesOptions {
  source: MarkPriceSource;
  /** Hedge symbol -> asset, e.g. {"ETH/USDT:USDT": "ETH"}. */
  assets: ReadonlyMap<string, string>;
  intervalMs: number;
  log: Logger;
  now?: () => number;
}

/**
 * Emits a PriceTick per asset every `intervalMs` (the first at once). A failed read is logged and
 * skipped: the actors then keep the last reference price and its age tells them it is stale.
 */
export function venueMarkPrices$(o: VenueMarkPricesOptions): Observable<PriceTick> {
  const now = o.now ?? Date.now;
  /** When the socket last gave each symbol's mark: a poll skips symbols updated within the interval. */
  const liveAt = new Map<string, number>();
  const live$ =
    o.source.markPrices$?.([...o.assets.keys()]).pipe(
      mergeMap(({ symbol, price }): PriceTick[] => {
        const asset = o.assets.get(symbol);
        if (asset === undefined || !(Number.isFinite(price) && price > 0)) return [];
        const at = now();
        liveAt.set(symbol, at);
        return [{ asset, source: o.source.id, price, at }];
      }),
    ) ?? EMPTY;
  const polled$ = timer(0, o.intervalMs).pipe(
    concatMap(() => from([...o.assets.entries()].filter(([symbol]) => now() - (liveAt.get(symbol) ?? Number.NEGATIVE_INFINITY) >= o.intervalMs))),
    mergeMap(([symbol, asset]) =>
      from(
        o.source.fetchMarkPrice(symbol).then(
          (price): PriceTick | null => (Number.isFinite(price) && price > 0 ? { asset, source: o.source.id, price, at: now() } : null),
          (err: unknown) => {
            o.log.warn({ venue: o.source.id, symbol, err: err instanceof Error ? err.message : String(err) }, 'reference price read failed');
            return null;
          },
        ),
      ).pipe(mergeMap((t) => (t === null ? EMPTY : [t]))),
    ),
  );
  return merge(live$, polled$);
}
