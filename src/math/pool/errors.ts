import { MathDomainError } from '../errors.js';

/**
 * Typed errors for the in-memory pool model. Each mirrors a revert of v4-core's Pool.sol,
 * PoolManager.sol, Position.sol, TickBitmap.sol, LPFeeLibrary.sol or SafeCast.sol, and carries
 * the offending value(s) so a caller can log exactly what was wrong.
 */
export type PoolErrorCode =
  | 'PoolAlreadyInitialized'
  | 'PoolNotInitialized'
  | 'TicksMisordered'
  | 'TickLowerOutOfBounds'
  | 'TickUpperOutOfBounds'
  | 'TickLiquidityOverflow'
  | 'TickMisaligned'
  | 'PriceLimitAlreadyExceeded'
  | 'PriceLimitOutOfBounds'
  | 'NoLiquidityToReceiveFees'
  | 'InvalidFeeForExactOut'
  | 'SwapAmountCannotBeZero'
  | 'CannotUpdateEmptyPosition'
  | 'LPFeeTooLarge'
  | 'ProtocolFeeTooLarge'
  | 'TickSpacingTooLarge'
  | 'TickSpacingTooSmall'
  | 'SafeCastOverflow'
  | 'InvalidSnapshot';

/** The value(s) a pool operation was given (or computed) when it failed. */
export type PoolErrorValue = bigint | number | string | Readonly<Record<string, bigint | number | string>>;

/**
 * A revert of the pool model, named as in the Solidity source (`code` is the Solidity error's
 * name). It is a MathDomainError, so one `instanceof MathDomainError` catches every exact-math
 * and pool revert.
 */
export class PoolError extends MathDomainError {
  declare readonly code: PoolErrorCode;
  declare readonly value: PoolErrorValue;
  constructor(code: PoolErrorCode, value: PoolErrorValue, message?: string) {
    super(code, value, message ?? code);
  }
}
