import { filter, share, type Observable } from 'rxjs';
import type { DonateEvent, InitializeEvent, ModifyLiquidityEvent, PoolManagerEvent, SwapEvent } from '../adapters/chain/poolManagerEvents.js';
import { exactlyOnce } from './exactlyOnce.js';
import { followPoolEvents, type PoolEventFollowerOptions } from './poolEventFollower.js';
import type { StreamItem } from './streamItem.js';

/** The per-pool event streams; all four share one follower (one scan per block for all). */
export interface PoolEventStreams {
  all$: Observable<StreamItem<PoolManagerEvent>>;
  swaps$: Observable<StreamItem<SwapEvent>>;
  modifyLiquidity$: Observable<StreamItem<ModifyLiquidityEvent>>;
  initialize$: Observable<StreamItem<InitializeEvent>>;
  donate$: Observable<StreamItem<DonateEvent>>;
}

function ofType<T extends PoolManagerEvent>(all: Observable<StreamItem<PoolManagerEvent>>, type: T['type']): Observable<StreamItem<T>> {
  return all.pipe(filter((i): i is StreamItem<T> => i.event.type === type));
}

/**
 * Builds swaps$ / modifyLiquidity$ / initialize$ / donate$ for the configured pools. The
 * follower starts with the first subscription and stops when the last one ends; subscribe
 * every consumer before the first head arrives (synchronously) so none misses an event.
 */
export function poolEventStreams(opts: PoolEventFollowerOptions): PoolEventStreams {
  const all$ = followPoolEvents(opts).pipe(exactlyOnce(), share());
  return {
    all$,
    swaps$: ofType<SwapEvent>(all$, 'Swap'),
    modifyLiquidity$: ofType<ModifyLiquidityEvent>(all$, 'ModifyLiquidity'),
    initialize$: ofType<InitializeEvent>(all$, 'Initialize'),
    donate$: ofType<DonateEvent>(all$, 'Donate'),
  };
}
