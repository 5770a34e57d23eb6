/**
 * Fee growth inside a tick range (Pool.sol getFeeGrowthInside) and the fees a position is owed
 * (Position.sol update). Fee growth accumulators are uint256 that wrap around by design; the
 * Solidity subtracts them in `unchecked` blocks, which here is an explicit mod-2^256 mask.
 */
import { MathDomainError } from './errors.js';
import { MAX_UINT256, Q128 } from './fixedPoint.js';
import { mulDiv } from './fullMath.js';
import { requireUint128, requireUint256 } from './solidityTypes.js';

/** The fee growth recorded on the far side of an initialized tick (TickInfo.feeGrowthOutside*). */
export interface FeeGrowthOutside {
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
}

/** Inputs of getFeeGrowthInside: the range, the pool's current tick and global growth, and both ticks' outside growth. */
export interface FeeGrowthInsideParams {
  tickLower: number;
  tickUpper: number;
  tickCurrent: number;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  lower: FeeGrowthOutside;
  upper: FeeGrowthOutside;
}

/** All-time fee growth per unit of liquidity inside a range, as Q128.128 (wrapping) uint256. */
export interface FeeGrowthInside {
  feeGrowthInside0X128: bigint;
  feeGrowthInside1X128: bigint;
}

/**
 * Pool.getFeeGrowthInside: fee growth per unit of liquidity inside [tickLower, tickUpper), with
 * uint256 wrap-around exactly as the Solidity's unchecked block. Throws MathDomainError
 * 'TICKS_MISORDERED' when tickLower >= tickUpper, 'OUT_OF_RANGE' for a growth value that is not a uint256.
 */
export function getFeeGrowthInside(params: FeeGrowthInsideParams): FeeGrowthInside {
  const { tickLower, tickUpper, tickCurrent, feeGrowthGlobal0X128, feeGrowthGlobal1X128, lower, upper } = params;
  if (!(tickLower < tickUpper)) throw new MathDomainError('TICKS_MISORDERED', { tickLower, tickUpper }, 'tickLower must be below tickUpper');
  requireUint256(feeGrowthGlobal0X128, 'feeGrowthGlobal0X128');
  requireUint256(feeGrowthGlobal1X128, 'feeGrowthGlobal1X128');
  requireUint256(lower.feeGrowthOutside0X128, 'lower.feeGrowthOutside0X128');
  requireUint256(lower.feeGrowthOutside1X128, 'lower.feeGrowthOutside1X128');
  requireUint256(upper.feeGrowthOutside0X128, 'upper.feeGrowthOutside0X128');
  requireUint256(upper.feeGrowthOutside1X128, 'upper.feeGrowthOutside1X128');

  let feeGrowthInside0X128: bigint;
  let feeGrowthInside1X128: bigint;
  // unchecked { ... }: every subtraction below wraps modulo 2^256 (& MAX_UINT256)
  if (tickCurrent < tickLower) {
    feeGrowthInside0X128 = (lower.feeGrowthOutside0X128 - upper.feeGrowthOutside0X128) & MAX_UINT256;
    feeGrowthInside1X128 = (lower.feeGrowthOutside1X128 - upper.feeGrowthOutside1X128) & MAX_UINT256;
  } else if (tickCurrent >= tickUpper) {
    feeGrowthInside0X128 = (upper.feeGrowthOutside0X128 - lower.feeGrowthOutside0X128) & MAX_UINT256;
    feeGrowthInside1X128 = (upper.feeGrowthOutside1X128 - lower.feeGrowthOutside1X128) & MAX_UINT256;
  } else {
    feeGrowthInside0X128 = (feeGrowthGlobal0X128 - lower.feeGrowthOutside0X128 - upper.feeGrowthOutside0X128) & MAX_UINT256;
    feeGrowthInside1X128 = (feeGrowthGlobal1X128 - lower.feeGrowthOutside1X128 - upper.feeGrowthOutside1X128) & MAX_UINT256;
  }
  return { feeGrowthInside0X128, feeGrowthInside1X128 };
}

/**
 * Position.update's fee accrual for one currency: mulDiv(now − last mod 2^256, liquidity, 2^128),
 * the fees a position of `liquidity` earned since it last recorded feeGrowthInsideLastX128.
 */
export function feesOwed(liquidity: bigint, feeGrowthInsideNowX128: bigint, feeGrowthInsideLastX128: bigint): bigint {
  requireUint128(liquidity, 'liquidity');
  requireUint256(feeGrowthInsideNowX128, 'feeGrowthInsideNowX128');
  requireUint256(feeGrowthInsideLastX128, 'feeGrowthInsideLastX128');
  // overflow in the subtraction of fee growth is expected (unchecked in Solidity)
  return mulDiv((feeGrowthInsideNowX128 - feeGrowthInsideLastX128) & MAX_UINT256, liquidity, Q128);
}
