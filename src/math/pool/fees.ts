import { PoolError } from './errors.js';

/** ProtocolFeeLibrary.MAX_PROTOCOL_FEE: 0.1% in pips, per direction. */
export const MAX_PROTOCOL_FEE = 1000;
/** ProtocolFeeLibrary.PIPS_DENOMINATOR. */
export const PIPS_DENOMINATOR = 1_000_000;
/** LPFeeLibrary.MAX_LP_FEE: 100% in pips. */
export const MAX_LP_FEE = 1_000_000;
/** LPFeeLibrary.DYNAMIC_FEE_FLAG: a PoolKey.fee of exactly this marks a dynamic-fee pool. */
export const DYNAMIC_FEE_FLAG = 0x800000;
/** LPFeeLibrary.OVERRIDE_FEE_FLAG: set on a beforeSwap fee to make it override the stored LP fee. */
export const OVERRIDE_FEE_FLAG = 0x400000;
/** LPFeeLibrary.REMOVE_OVERRIDE_MASK. */
export const REMOVE_OVERRIDE_MASK = 0xbfffff;

/** ProtocolFeeLibrary.getZeroForOneFee: the low 12 bits of a packed protocol fee. */
export function getZeroForOneFee(protocolFee: number): number {
  return protocolFee & 0xfff;
}

/** ProtocolFeeLibrary.getOneForZeroFee: the high 12 bits of a packed protocol fee. */
export function getOneForZeroFee(protocolFee: number): number {
  return (protocolFee >>> 12) & 0xfff;
}

/** ProtocolFeeLibrary.isValidProtocolFee: both directions at most MAX_PROTOCOL_FEE pips. */
export function isValidProtocolFee(protocolFee: number): boolean {
  return (
    Number.isInteger(protocolFee) &&
    protocolFee >= 0 &&
    protocolFee <= 0xffffff &&
    getZeroForOneFee(protocolFee) <= MAX_PROTOCOL_FEE &&
    getOneForZeroFee(protocolFee) <= MAX_PROTOCOL_FEE
  );
}

/**
 * ProtocolFeeLibrary.calculateSwapFee: protocolFee + lpFee - floor(protocolFee * lpFee / 1e6),
 * i.e. the protocol fee taken from the input first, then the LP fee from the rest (in pips).
 */
export function calculateSwapFee(protocolFee: number, lpFee: number): number {
  const p = protocolFee & 0xfff;
  const l = lpFee & 0xffffff;
  return p + l - Math.floor((p * l) / PIPS_DENOMINATOR);
}

/** LPFeeLibrary.isOverride: whether a fee returned for one swap carries the override flag. */
export function isOverride(fee: number): boolean {
  return (fee & OVERRIDE_FEE_FLAG) !== 0;
}

/** LPFeeLibrary.validate: throws PoolError('LPFeeTooLarge') with the fee when it exceeds 100%. */
export function validateLpFee(fee: number): number {
  if (!Number.isInteger(fee) || fee < 0 || fee > MAX_LP_FEE) throw new PoolError('LPFeeTooLarge', fee);
  return fee;
}

/** LPFeeLibrary.removeOverrideFlagAndValidate. */
export function removeOverrideFlagAndValidate(fee: number): number {
  return validateLpFee(fee & REMOVE_OVERRIDE_MASK);
}

/** LPFeeLibrary.getInitialLPFee: 0 for a dynamic-fee pool, otherwise the validated static fee. */
export function getInitialLPFee(keyFee: number): number {
  if (keyFee === DYNAMIC_FEE_FLAG) return 0;
  return validateLpFee(keyFee);
}
