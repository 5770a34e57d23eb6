/**
 * Typed errors of the swap routers. A swap that would revert is caught by the sender's
 * pre-flight simulation, so these mean nothing was sent (stage 'simulation') unless the
 * revert happened in a mined transaction (stage 'mined', gas spent).
 */
import type { RevertStage } from '../tx/errors.js';
import type { DecodedRevert } from '../tx/revertDecoder.js';

/** The swap would pay out less than its minimum (V4TooLittleReceived, or PoolSwapTest's price-limit stop). */
export class SwapOutputBelowMinimumError extends Error {
  override readonly name = 'SwapOutputBelowMinimumError';
  constructor(readonly label: string, readonly stage: RevertStage, readonly minimum: bigint, readonly received: bigint) {
    super(`swap ${label}: output ${received} is below the minimum ${minimum} (reverted in ${stage})`);
  }
}

/** The router reverted for another reason; `revert` is the decoded error (null when the chain gave none). */
export class SwapRevertedError extends Error {
  override readonly name = 'SwapRevertedError';
  constructor(readonly label: string, readonly stage: RevertStage, readonly router: string, readonly revert: DecodedRevert | null, cause: unknown) {
    super(`swap ${label}: reverted in ${stage} at ${router}: ${revert === null ? 'no reason' : revert.name === 'Unknown' ? `unknown error ${revert.selector}` : revert.name}`, { cause });
  }
}

/** The mined transaction carries no Swap event of the pool (should not happen: the router swapped elsewhere?). */
export class SwapEventMissingError extends Error {
  override readonly name = 'SwapEventMissingError';
  constructor(readonly label: string, readonly hash: string, readonly poolId: string) {
    super(`swap ${label}: no Swap event of pool ${poolId} in ${hash}`);
  }
}
