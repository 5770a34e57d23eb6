/**
 * A router the agent swaps through on a roll: the Universal Router (on every chain Uniswap
 * deploys it, and on our devnet) or v4-core's PoolSwapTest (a test contract, devnet only).
 * Both take an exact input, refuse to pay out less than a minimum, and report what the pool
 * did from the PoolManager's Swap event.
 */
import type { PoolKey } from '../poolId.js';
import type { SignedTx, TxResult } from '../tx/sender.js';

/** An exact-input swap on one pool. */
export interface ExactInSwapRequest {
  poolKey: PoolKey;
  /** true: pay currency0, receive currency1. */
  zeroForOne: boolean;
  amountIn: bigint;
  /** The swap reverts (nothing is sent on) when it would pay out less. */
  amountOutMinimum: bigint;
  /** What this is, for logs and errors. */
  label: string;
  /** Called with each signed version of the swap before it is broadcast (journaling); see TxRequest. */
  beforeBroadcast?: (signed: SignedTx) => Promise<void>;
}

/** What the pool did, from its Swap event (amounts as the swapper sees them: both positive here). */
export interface ExactInSwapResult {
  tx: TxResult;
  amountIn: bigint;
  amountOut: bigint;
  sqrtPriceX96After: bigint;
  tickAfter: number;
}

/** The kinds of router the agent can swap through. */
export type SwapRouterKind = 'universalRouter' | 'poolSwapTest';

/** A router that executes exact-input single-pool swaps for the agent's wallet. */
export interface SwapRouter {
  readonly kind: SwapRouterKind;
  readonly address: string;
  swapExactIn(req: ExactInSwapRequest): Promise<ExactInSwapResult>;
}
