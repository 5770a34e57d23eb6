/**
 * Typed PoolManager events as the agent sees them: every on-chain integer is a bigint (or a
 * number when it fits 24 bits), addresses are checksummed, ids are lowercase 0x-hex.
 */

/** Where a log sits on chain; (blockHash, logIndex) identifies it uniquely. */
export interface LogPosition {
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
  /** The PoolManager that emitted it. */
  address: string;
}

/**
 * A swap. amount0/amount1 are the SWAPPER's balance delta (negative = the swapper paid that
 * token into the pool), the opposite sign of v3's pool-side amounts. `fee` is the total swap
 * fee in pips actually charged on this swap: the LP fee in force (a dynamic-fee hook's, which
 * makes PoolKey.fee unreliable) combined with the protocol fee, as Pool.sol computes swapFee
 * (protocolFee + lpFee − protocolFee·lpFee/1e6). The LPs' share is what fee growth records.
 */
export interface SwapEvent extends LogPosition {
  type: 'Swap';
  poolId: string;
  sender: string;
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96: bigint;
  liquidity: bigint;
  tick: number;
  fee: number;
}

/** A liquidity change of the position (sender, tickLower, tickUpper, salt). No token amounts. */
export interface ModifyLiquidityEvent extends LogPosition {
  type: 'ModifyLiquidity';
  poolId: string;
  sender: string;
  tickLower: number;
  tickUpper: number;
  liquidityDelta: bigint;
  salt: string;
}

/** A pool's creation, with its full key and starting price. */
export interface InitializeEvent extends LogPosition {
  type: 'Initialize';
  poolId: string;
  currency0: string;
  currency1: string;
  fee: number;
  tickSpacing: number;
  hooks: string;
  sqrtPriceX96: bigint;
  tick: number;
}

/** A donation of tokens to the in-range liquidity providers. */
export interface DonateEvent extends LogPosition {
  type: 'Donate';
  poolId: string;
  sender: string;
  amount0: bigint;
  amount1: bigint;
}

export type PoolManagerEvent = SwapEvent | ModifyLiquidityEvent | InitializeEvent | DonateEvent;
export type PoolManagerEventType = PoolManagerEvent['type'];

