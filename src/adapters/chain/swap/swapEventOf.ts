/** Reads the PoolManager Swap event of one pool out of a swap transaction's receipt. */
import type { TransactionReceipt } from 'ethers';
import { POOL_MANAGER_TOPICS } from '../abi/poolManagerEvents.js';
import { decodeSwapLog } from '../swapLogDecoder.js';
import type { SwapEvent } from '../poolManagerEvents.js';

/** The Swap event of `poolId` in `receipt`, or null. */
export function swapEventOf(receipt: TransactionReceipt, poolId: string): SwapEvent | null {
  const id = poolId.toLowerCase();
  for (const log of receipt.logs) {
    if (log.topics[0]?.toLowerCase() !== POOL_MANAGER_TOPICS.Swap || log.topics[1]?.toLowerCase() !== id) continue;
    return decodeSwapLog(log);
  }
  return null;
}
