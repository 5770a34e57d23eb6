import type { Observable } from 'rxjs';
import { POOL_MANAGER_TOPICS } from '../adapters/chain/abi/poolManagerEvents.js';
import type { PoolManagerEvent } from '../adapters/chain/poolManagerEvents.js';
import { decodePoolManagerLog } from '../adapters/chain/swapLogDecoder.js';
import { followLogs, LogFollower, type FollowerOptions, type LogSource } from './logFollower.js';
import type { StreamItem } from './streamItem.js';

export { isFatalFollowerError } from './logFollower.js';

export type PoolStreamItem = StreamItem<PoolManagerEvent>;

export interface PoolEventFollowerOptions extends FollowerOptions {
  /** The PoolManager address. */
  poolManager: string;
  /** PoolIds to follow (bytes32 hex); empty = every pool of this PoolManager. */
  poolIds: readonly string[];
}

/** The PoolManager's Swap / ModifyLiquidity / Initialize / Donate logs of the given pools. */
function poolLogSource(opts: PoolEventFollowerOptions): LogSource<PoolManagerEvent> {
  return {
    address: opts.poolManager,
    topics: [Object.values(POOL_MANAGER_TOPICS), opts.poolIds.length === 0 ? null : opts.poolIds.map((p) => p.toLowerCase())],
    decode: decodePoolManagerLog,
  };
}

/** Follows the PoolManager's events of the given pools (see LogFollower for delivery). */
export class PoolEventFollower extends LogFollower<PoolManagerEvent> {
  constructor(opts: PoolEventFollowerOptions) {
    super(opts, poolLogSource(opts));
  }
}

/** The pool follower as an Observable (see followLogs). */
export function followPoolEvents(opts: PoolEventFollowerOptions): Observable<PoolStreamItem> {
  return followLogs(opts, poolLogSource(opts));
}
