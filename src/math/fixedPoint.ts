/**
 * FixedPoint96.sol and FixedPoint128.sol, plus the bounds of the Solidity integer types the
 * exact libraries take and return. All values are bigint.
 */

/** FixedPoint96.RESOLUTION: the number of fractional bits of a Q64.96 number. */
export const RESOLUTION = 96n;
/** FixedPoint96.Q96 = 2^96. */
export const Q96 = 0x1000000000000000000000000n;
/** FixedPoint128.Q128 = 2^128. */
export const Q128 = 0x100000000000000000000000000000000n;
/** 2^192 = Q96^2, the scale of a squared Q64.96 sqrt price. */
export const Q192 = 1n << 192n;

/** type(uint256).max; also the mask that reproduces Solidity's unchecked uint256 wrap-around. */
export const MAX_UINT256 = (1n << 256n) - 1n;
/** type(uint160).max. */
export const MAX_UINT160 = (1n << 160n) - 1n;
/** type(uint128).max. */
export const MAX_UINT128 = (1n << 128n) - 1n;
/** type(int128).max. */
export const MAX_INT128 = (1n << 127n) - 1n;
/** type(int128).min. */
export const MIN_INT128 = -(1n << 127n);
/** type(int256).max. */
export const MAX_INT256 = (1n << 255n) - 1n;
/** type(int256).min. */
export const MIN_INT256 = -(1n << 255n);
