/**
 * The typed error every exact-math function throws where Uniswap v4's Solidity would revert
 * (or where an argument could never reach the Solidity because it does not fit its ABI type).
 * It carries a stable `code` and the offending `value`, so callers can log and branch on it.
 */

/**
 * Codes thrown by src/math's exact libraries, each with the Solidity revert it stands for.
 * `code` is typed as string so that other modules (the pool model, analytics) may throw
 * MathDomainError with their own codes.
 */
export const MATH_ERROR_CODES = {
  /** TickMath.InvalidTick: |tick| > MAX_TICK, or a tick that is not an integer. */
  TICK_OUT_OF_BOUNDS: 'TICK_OUT_OF_BOUNDS',
  /** TickMath.InvalidSqrtPrice: sqrtPriceX96 outside [MIN_SQRT_PRICE, MAX_SQRT_PRICE). */
  SQRT_PRICE_OUT_OF_BOUNDS: 'SQRT_PRICE_OUT_OF_BOUNDS',
  /** A tick spacing outside [MIN_TICK_SPACING, MAX_TICK_SPACING] (PoolManager.TickSpacingTooLarge/TooSmall). */
  INVALID_TICK_SPACING: 'INVALID_TICK_SPACING',
  /** SqrtPriceMath.InvalidPriceOrLiquidity / InvalidPrice: a sqrt price of zero. */
  ZERO_PRICE: 'ZERO_PRICE',
  /** SqrtPriceMath.InvalidPriceOrLiquidity, or a division by a liquidity of zero. */
  ZERO_LIQUIDITY: 'ZERO_LIQUIDITY',
  /** SqrtPriceMath.PriceOverflow: removing currency0 beyond the virtual reserves. */
  PRICE_OVERFLOW: 'PRICE_OVERFLOW',
  /** SqrtPriceMath.NotEnoughLiquidity: removing currency1 beyond the virtual reserves. */
  NOT_ENOUGH_LIQUIDITY: 'NOT_ENOUGH_LIQUIDITY',
  /** FullMath's require / SafeCast.SafeCastOverflow / checked arithmetic: a result that does not fit its type. */
  OVERFLOW: 'OVERFLOW',
  /** FullMath's require(denominator > prod1) with a zero denominator, or a checked division by zero. */
  DIVISION_BY_ZERO: 'DIVISION_BY_ZERO',
  /** An argument outside its Solidity type (e.g. a negative uint, a uint160 of 161 bits). */
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  /** A swap fee outside [0, MAX_SWAP_FEE] pips (LPFeeLibrary.LPFeeTooLarge), or MAX_SWAP_FEE on exact output. */
  INVALID_FEE: 'INVALID_FEE',
  /** LiquidityMath.addDelta: liquidity + delta < 0 (SafeCastOverflow on chain). */
  LIQUIDITY_UNDERFLOW: 'LIQUIDITY_UNDERFLOW',
  /** LiquidityMath.addDelta: liquidity + delta > type(uint128).max (SafeCastOverflow on chain). */
  LIQUIDITY_OVERFLOW: 'LIQUIDITY_OVERFLOW',
  /** Pool.checkTicks TicksMisordered: tickLower >= tickUpper. */
  TICKS_MISORDERED: 'TICKS_MISORDERED',
  /** Pool.swap PriceLimitAlreadyExceeded / PriceLimitOutOfBounds: a price limit on the wrong side. */
  PRICE_LIMIT_WRONG_SIDE: 'PRICE_LIMIT_WRONG_SIDE',
} as const;

/** One of the codes above. */
export type MathErrorCode = (typeof MATH_ERROR_CODES)[keyof typeof MATH_ERROR_CODES];

/** An input outside the domain of an exact on-chain math function (a Solidity revert). */
export class MathDomainError extends Error {
  override readonly name = 'MathDomainError';
  /** Stable machine-readable code, e.g. 'TICK_OUT_OF_BOUNDS' (see MATH_ERROR_CODES). */
  readonly code: string;
  /** The offending value (a bigint, number, or an object naming several). */
  readonly value: unknown;

  /**
   * @param code stable code (MATH_ERROR_CODES or a caller's own)
   * @param value the offending value, included in the message
   * @param message optional explanation; defaults to the code and the value
   */
  constructor(code: MathErrorCode | (string & {}), value: unknown, message?: string) {
    super(`${code}: ${message ?? 'value'} (got ${formatValue(value)})`);
    this.code = code;
    this.value = value;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ')} }`;
  }
  return String(value);
}
