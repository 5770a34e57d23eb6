/** The in-memory Uniswap v4 pool model (Pool.sol, TickBitmap.sol, Position.sol). */
export { PoolError, type PoolErrorCode, type PoolErrorValue } from './errors.js';
export { type BalanceDelta, ZERO_DELTA, toBalanceDelta, addBalanceDelta } from './balanceDelta.js';
export {
  MAX_PROTOCOL_FEE,
  MAX_LP_FEE,
  DYNAMIC_FEE_FLAG,
  OVERRIDE_FEE_FLAG,
  getZeroForOneFee,
  getOneForZeroFee,
  isValidProtocolFee,
  calculateSwapFee,
  getInitialLPFee,
} from './fees.js';
export {
  type TickBitmap,
  type NextInitializedTick,
  flipTick,
  isInitialized as isTickInitialized,
  nextInitializedTickWithinOneWord,
} from './tickBitmap.js';
export { type TickInfo, tickSpacingToMaxLiquidityPerTick } from './tickInfo.js';
export { type PositionState, type FeesOwed, ZERO_SALT, calculatePositionKey, updatePosition } from './position.js';
export {
  Pool,
  checkTicks,
  type PoolConfig,
  type Slot0,
  type ModifyLiquidityParams,
  type ModifyLiquidityResult,
  type SwapParams,
  type PoolSwapStep,
  type SwapResult,
  type InitializedTick,
} from './pool.js';
export {
  type PoolSnapshot,
  type TickSnapshot,
  type PositionSnapshot,
  poolSnapshotSchema,
  parsePoolSnapshot,
  snapshotToJson,
} from './snapshot.js';
