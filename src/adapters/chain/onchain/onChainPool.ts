import type { PoolDescriptor } from '../../../actors/ports.js';
import type { PoolKey } from '../poolId.js';

/** A pool the on-chain port serves: its descriptor and its PoolKey. */
export interface OnChainPool {
  desc: PoolDescriptor;
  key: PoolKey;
}
