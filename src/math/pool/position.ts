import { solidityPackedKeccak256 } from 'ethers';
import { addDelta } from '../liquidityMath.js';
import { mulDiv } from '../fullMath.js';
import { MAX_UINT256 as UINT256_MASK, Q128 } from '../fixedPoint.js';
import { PoolError } from './errors.js';

/** Position.State: one owner's liquidity on [tickLower, tickUpper) under one salt. */
export interface PositionState {
  /** uint128 liquidity owned by the position. */
  liquidity: bigint;
  /** Fee growth inside the range as of the last update, token0 (uint256, X128). */
  feeGrowthInside0LastX128: bigint;
  /** Same for token1. */
  feeGrowthInside1LastX128: bigint;
}

/** bytes32(0), the default salt. */
export const ZERO_SALT = `0x${'0'.repeat(64)}`;

/** A read-only empty position (what the chain returns for an unknown key). */
export const EMPTY_POSITION: Readonly<PositionState> = Object.freeze({
  liquidity: 0n,
  feeGrowthInside0LastX128: 0n,
  feeGrowthInside1LastX128: 0n,
});

/**
 * The in-memory map key of a position: owner and salt normalised to lower case. Cheap; use
 * calculatePositionKey for the on-chain bytes32 key.
 */
export function positionMapKey(owner: string, tickLower: number, tickUpper: number, salt: string = ZERO_SALT): string {
  return `${owner.toLowerCase()}|${tickLower}|${tickUpper}|${salt.toLowerCase()}`;
}

/**
 * Position.calculatePositionKey: keccak256(abi.encodePacked(owner, tickLower, tickUpper, salt)),
 * the key PoolManager stores the position under (StateView.getPositionInfo reads it).
 */
export function calculatePositionKey(owner: string, tickLower: number, tickUpper: number, salt: string = ZERO_SALT): string {
  return solidityPackedKeccak256(['address', 'int24', 'int24', 'bytes32'], [owner, tickLower, tickUpper, salt]);
}

/** What Position.update returns: fees accrued since the last update, per token. */
export interface FeesOwed {
  feesOwed0: bigint;
  feesOwed1: bigint;
}

/**
 * Position.update: credits the fees earned since the last update (on the liquidity held before
 * the change) and applies liquidityDelta. Mutates `self`. Throws
 * PoolError('CannotUpdateEmptyPosition') on a zero-delta poke of an empty position, and the
 * math library's error if the liquidity would underflow or overflow uint128.
 */
export function updatePosition(
  self: PositionState,
  liquidityDelta: bigint,
  feeGrowthInside0X128: bigint,
  feeGrowthInside1X128: bigint,
): FeesOwed {
  const liquidity = self.liquidity;
  if (liquidityDelta === 0n) {
    if (liquidity === 0n) throw new PoolError('CannotUpdateEmptyPosition', liquidity);
  } else {
    self.liquidity = addDelta(liquidity, liquidityDelta);
  }
  const feesOwed0 = mulDiv((feeGrowthInside0X128 - self.feeGrowthInside0LastX128) & UINT256_MASK, liquidity, Q128);
  const feesOwed1 = mulDiv((feeGrowthInside1X128 - self.feeGrowthInside1LastX128) & UINT256_MASK, liquidity, Q128);
  self.feeGrowthInside0LastX128 = feeGrowthInside0X128;
  self.feeGrowthInside1LastX128 = feeGrowthInside1X128;
  return { feesOwed0, feesOwed1 };
}
