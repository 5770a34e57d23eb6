import { MAX_INT128, MAX_UINT128, MAX_UINT256 as UINT256_MASK, MIN_INT128, Q128 } from '../fixedPoint.js';
import { addDelta } from '../liquidityMath.js';
import { getAmount0DeltaSigned, getAmount1DeltaSigned } from '../sqrtPriceMath.js';
import { MAX_SWAP_FEE, computeSwapStep } from '../swapMath.js';
import {
  MAX_SQRT_PRICE,
  MAX_TICK,
  MAX_TICK_SPACING,
  MIN_SQRT_PRICE,
  MIN_TICK,
  MIN_TICK_SPACING,
  getSqrtPriceAtTick,
  getTickAtSqrtPrice,
} from '../tickMath.js';
import { type BalanceDelta, ZERO_DELTA, addBalanceDelta, toBalanceDelta } from './balanceDelta.js';
import { PoolError, type PoolErrorValue } from './errors.js';
import {
  DYNAMIC_FEE_FLAG,
  PIPS_DENOMINATOR,
  calculateSwapFee,
  getInitialLPFee,
  getOneForZeroFee,
  getZeroForOneFee,
  isOverride,
  isValidProtocolFee,
  removeOverrideFlagAndValidate,
  validateLpFee,
} from './fees.js';
import { EMPTY_POSITION, type PositionState, ZERO_SALT, positionMapKey, updatePosition } from './position.js';
import { type TickBitmap, flipTick, nextInitializedTickWithinOneWord } from './tickBitmap.js';
import { EMPTY_TICK, type TickInfo, copyTickInfo, tickSpacingToMaxLiquidityPerTick } from './tickInfo.js';
import type { PoolSnapshot } from './snapshot.js';

/** The PoolKey fields that shape a pool's behaviour (currencies and hooks do not). */
export interface PoolConfig {
  /** PoolKey.tickSpacing, 1..32767. */
  tickSpacing: number;
  /** PoolKey.fee in pips (e.g. 500 = 0.05%), or DYNAMIC_FEE_FLAG (0x800000) for a dynamic-fee pool. */
  fee: number;
}

/** Slot0 as StateView.getSlot0 returns it. */
export interface Slot0 {
  sqrtPriceX96: bigint;
  tick: number;
  /** Packed protocol fee: low 12 bits zeroForOne, high 12 bits oneForZero, in pips. */
  protocolFee: number;
  /** The stored LP fee in pips. */
  lpFee: number;
}

/** IPoolManager.ModifyLiquidityParams plus the owner (PoolManager uses msg.sender). */
export interface ModifyLiquidityParams {
  /** Address owning the position (for PositionManager positions: the PositionManager). */
  owner: string;
  tickLower: number;
  tickUpper: number;
  /** int128 change of liquidity: positive adds, negative removes, 0 pokes (collects fees). */
  liquidityDelta: bigint;
  /** bytes32 hex; defaults to bytes32(0). PositionManager uses bytes32(tokenId). */
  salt?: string;
}

/** What PoolManager.modifyLiquidity returns, plus the principal part of the delta. */
export interface ModifyLiquidityResult {
  /** principalDelta + feesAccrued: what the caller owes (negative) or receives (positive). */
  callerDelta: BalanceDelta;
  /** Fees credited to the position by this call (always >= 0). */
  feesAccrued: BalanceDelta;
  /** The token amounts for the liquidity change alone (Pool.modifyLiquidity's `delta`). */
  principalDelta: BalanceDelta;
}

/** IPoolManager.SwapParams (v4 signs) plus the fee a beforeSwap hook may return. */
export interface SwapParams {
  /** true: sell token0 for token1 (price goes down). */
  zeroForOne: boolean;
  /** Negative = exact input of |amount|, positive = exact output of amount (v4 convention). */
  amountSpecified: bigint;
  /** Price the swap may not pass: below the current price for zeroForOne, above otherwise. */
  sqrtPriceLimitX96: bigint;
  /**
   * The fee (uint24) a beforeSwap hook returns for this swap, as returned. As in Pool.sol it
   * overrides the stored LP fee only when it carries OVERRIDE_FEE_FLAG (0x400000) and the pool is
   * dynamic-fee (PoolKey.fee = DYNAMIC_FEE_FLAG); the flag is then removed and a fee above 100%
   * throws LPFeeTooLarge. Without the flag (e.g. a hook returning 0) the stored LP fee applies.
   */
  lpFeeOverride?: number;
  /** Called after each step of the swap loop (for tracing and tests); must not throw. */
  onStep?: (step: PoolSwapStep) => void;
}

/** One iteration of Pool.swap's loop (StepComputations after computeSwapStep). */
export interface PoolSwapStep {
  sqrtPriceStartX96: bigint;
  /** Next tick from the bitmap walk (clamped to MIN_TICK/MAX_TICK) and whether it is initialized. */
  tickNext: number;
  initialized: boolean;
  /** Price the step aimed for: the next tick's price or the limit, whichever comes first. */
  sqrtPriceTargetX96: bigint;
  /** In-range liquidity during the step. */
  liquidity: bigint;
  /** Price the step ended at. */
  sqrtPriceX96: bigint;
  amountIn: bigint;
  amountOut: bigint;
  /** Fee of this step before the protocol's share is taken out. */
  feeAmount: bigint;
}

/** The outcome of a swap, as PoolManager's Swap event reports it, plus fee accounting. */
export interface SwapResult {
  /** Swapper's BalanceDelta of token0: negative = paid in, positive = received. */
  amount0: bigint;
  /** Swapper's BalanceDelta of token1. */
  amount1: bigint;
  /** Price, tick and in-range liquidity after the swap. */
  sqrtPriceX96: bigint;
  tick: number;
  liquidity: bigint;
  /** Fee rate charged, in pips (LP fee combined with protocol fee): the Swap event's `fee`. */
  swapFee: number;
  /** Total fee taken from the input token (LP share + protocol share). */
  feeAmount: bigint;
  /** Protocol's share of the fee, in the input token. */
  amountToProtocol: bigint;
  /** Number of initialized ticks crossed. */
  ticksCrossed: number;
}

/** An initialized tick and its info, as listed by Pool.initializedTicks(). */
export interface InitializedTick {
  tick: number;
  info: Readonly<TickInfo>;
}

const TWO_256 = 1n << 256n;

/**
 * One Uniswap v4 pool held in memory, behaving as PoolManager + Pool.sol do for it, to the wei:
 * same tick bitmap walk, same rounding, same fee growth, same errors (as PoolError). Operations
 * are atomic: one that throws leaves the pool unchanged, as a revert would. Hooks are not run;
 * a dynamic fee is passed per swap (lpFeeOverride) or set with setLPFee.
 */
export class Pool {
  readonly tickSpacing: number;
  /** PoolKey.fee: static fee in pips or DYNAMIC_FEE_FLAG. */
  readonly keyFee: number;

  private sqrtPriceX96 = 0n;
  private tick = 0;
  private protocolFee = 0;
  private lpFee = 0;
  private feeGrowthGlobal0X128 = 0n;
  private feeGrowthGlobal1X128 = 0n;
  private liquidity = 0n;
  private ticks = new Map<number, TickInfo>();
  private tickBitmap: TickBitmap = new Map();
  private positions = new Map<string, PositionState>();
  private readonly maxLiquidityPerTick: bigint;

  /**
   * Creates an uninitialized pool. Throws PoolError TickSpacingTooSmall / TickSpacingTooLarge /
   * LPFeeTooLarge as PoolManager.initialize would.
   */
  constructor(config: PoolConfig) {
    const { tickSpacing, fee } = config;
    if (!Number.isInteger(tickSpacing) || tickSpacing < MIN_TICK_SPACING) throw new PoolError('TickSpacingTooSmall', tickSpacing);
    if (tickSpacing > MAX_TICK_SPACING) throw new PoolError('TickSpacingTooLarge', tickSpacing);
    if (fee !== DYNAMIC_FEE_FLAG) validateLpFee(fee);
    this.tickSpacing = tickSpacing;
    this.keyFee = fee;
    this.maxLiquidityPerTick = tickSpacingToMaxLiquidityPerTick(tickSpacing);
  }

  /** Whether PoolKey.fee marks this pool as dynamic-fee. */
  get isDynamicFee(): boolean {
    return this.keyFee === DYNAMIC_FEE_FLAG;
  }

  /**
   * Pool.initialize: sets the price and returns its tick. Throws PoolAlreadyInitialized, or the
   * math library's error for a price outside [MIN_SQRT_PRICE, MAX_SQRT_PRICE).
   */
  initialize(sqrtPriceX96: bigint): number {
    if (this.sqrtPriceX96 !== 0n) throw new PoolError('PoolAlreadyInitialized', this.sqrtPriceX96);
    const tick = getTickAtSqrtPrice(sqrtPriceX96);
    const lpFee = getInitialLPFee(this.keyFee);
    this.sqrtPriceX96 = sqrtPriceX96;
    this.tick = tick;
    this.lpFee = lpFee;
    this.protocolFee = 0;
    return tick;
  }

  /** Pool.setProtocolFee (PoolManager checks the value): packed per-direction fee, each <= 1000 pips. */
  setProtocolFee(protocolFee: number): void {
    this.checkPoolInitialized();
    if (!isValidProtocolFee(protocolFee)) throw new PoolError('ProtocolFeeTooLarge', protocolFee);
    this.protocolFee = protocolFee;
  }

  /** Pool.setLPFee (PoolManager.updateDynamicLPFee validates it): the stored LP fee in pips. */
  setLPFee(lpFee: number): void {
    this.checkPoolInitialized();
    this.lpFee = validateLpFee(lpFee);
  }

  /** Pool.checkPoolInitialized: throws PoolNotInitialized before initialize(). */
  checkPoolInitialized(): void {
    if (this.sqrtPriceX96 === 0n) throw new PoolError('PoolNotInitialized', 0n);
  }

  /**
   * PoolManager.modifyLiquidity → Pool.modifyLiquidity: updates both ticks and the bitmap, credits
   * the position's fees, applies the liquidity change, and returns the caller's delta (principal
   * + fees; negative = caller pays). Throws PoolNotInitialized, TicksMisordered,
   * TickLowerOutOfBounds, TickUpperOutOfBounds, TickMisaligned, TickLiquidityOverflow,
   * CannotUpdateEmptyPosition, SafeCastOverflow, or the math library's error on a liquidity
   * underflow; on any error nothing changes.
   */
  modifyLiquidity(params: ModifyLiquidityParams): ModifyLiquidityResult {
    this.checkPoolInitialized();
    const { owner, tickLower, tickUpper } = params;
    const liquidityDelta = params.liquidityDelta;
    if (liquidityDelta < MIN_INT128 || liquidityDelta > MAX_INT128) throw new PoolError('SafeCastOverflow', liquidityDelta);
    checkTicks(tickLower, tickUpper);

    // Work on copies and commit at the end, so that a throw leaves the pool untouched.
    const lower = copyTickInfo(this.ticks.get(tickLower));
    const upper = copyTickInfo(this.ticks.get(tickUpper));
    let flippedLower = false;
    let flippedUpper = false;
    if (liquidityDelta !== 0n) {
      const lowerGrossAfter = this.updateTick(lower, tickLower, liquidityDelta, false);
      flippedLower = isFlipped(this.ticks.get(tickLower), lowerGrossAfter);
      const upperGrossAfter = this.updateTick(upper, tickUpper, liquidityDelta, true);
      flippedUpper = isFlipped(this.ticks.get(tickUpper), upperGrossAfter);
      if (liquidityDelta >= 0n) {
        if (lowerGrossAfter > this.maxLiquidityPerTick) throw new PoolError('TickLiquidityOverflow', tickLower);
        if (upperGrossAfter > this.maxLiquidityPerTick) throw new PoolError('TickLiquidityOverflow', tickUpper);
      }
      // TickBitmap.flipTick reverts on a tick that is not a multiple of tickSpacing.
      if (flippedLower) assertAligned(tickLower, this.tickSpacing);
      if (flippedUpper) assertAligned(tickUpper, this.tickSpacing);
    }

    const [feeGrowthInside0X128, feeGrowthInside1X128] = feeGrowthInside(
      lower,
      upper,
      tickLower,
      tickUpper,
      this.tick,
      this.feeGrowthGlobal0X128,
      this.feeGrowthGlobal1X128,
    );
    const key = positionMapKey(owner, tickLower, tickUpper, params.salt ?? ZERO_SALT);
    const existing = this.positions.get(key);
    const position: PositionState = { ...(existing ?? EMPTY_POSITION) };
    const { feesOwed0, feesOwed1 } = updatePosition(position, liquidityDelta, feeGrowthInside0X128, feeGrowthInside1X128);
    const feesAccrued = toBalanceDelta(feesOwed0, feesOwed1);

    let principalDelta = ZERO_DELTA;
    let liquidityAfter = this.liquidity;
    if (liquidityDelta !== 0n) {
      if (this.tick < tickLower) {
        principalDelta = toBalanceDelta(
          getAmount0DeltaSigned(getSqrtPriceAtTick(tickLower), getSqrtPriceAtTick(tickUpper), liquidityDelta),
          0n,
        );
      } else if (this.tick < tickUpper) {
        principalDelta = toBalanceDelta(
          getAmount0DeltaSigned(this.sqrtPriceX96, getSqrtPriceAtTick(tickUpper), liquidityDelta),
          getAmount1DeltaSigned(getSqrtPriceAtTick(tickLower), this.sqrtPriceX96, liquidityDelta),
        );
        liquidityAfter = addDelta(this.liquidity, liquidityDelta);
      } else {
        principalDelta = toBalanceDelta(
          0n,
          getAmount1DeltaSigned(getSqrtPriceAtTick(tickLower), getSqrtPriceAtTick(tickUpper), liquidityDelta),
        );
      }
    }
    const callerDelta = addBalanceDelta(principalDelta, feesAccrued);

    // Commit.
    if (liquidityDelta !== 0n) {
      if (flippedLower) flipTick(this.tickBitmap, tickLower, this.tickSpacing);
      if (flippedUpper) flipTick(this.tickBitmap, tickUpper, this.tickSpacing);
      if (liquidityDelta < 0n && flippedLower) this.ticks.delete(tickLower);
      else this.ticks.set(tickLower, lower);
      if (liquidityDelta < 0n && flippedUpper) this.ticks.delete(tickUpper);
      else this.ticks.set(tickUpper, upper);
    }
    this.positions.set(key, position);
    this.liquidity = liquidityAfter;
    return { callerDelta, feesAccrued, principalDelta };
  }

  /**
   * PoolManager.swap → Pool.swap: walks the tick bitmap word by word exactly as Pool.sol does and
   * returns the swapper's BalanceDelta and the new price, tick and liquidity (what the Swap event
   * carries), with the fee taken. Throws PoolNotInitialized, SwapAmountCannotBeZero,
   * InvalidFeeForExactOut, PriceLimitAlreadyExceeded, PriceLimitOutOfBounds, LPFeeTooLarge or
   * SafeCastOverflow; on any error nothing changes.
   */
  swap(params: SwapParams): SwapResult {
    const { zeroForOne, amountSpecified, sqrtPriceLimitX96 } = params;
    if (amountSpecified === 0n) throw new PoolError('SwapAmountCannotBeZero', amountSpecified);
    this.checkPoolInitialized();

    const slot0SqrtPrice = this.sqrtPriceX96;
    const protocolFee = zeroForOne ? getZeroForOneFee(this.protocolFee) : getOneForZeroFee(this.protocolFee);
    let amountSpecifiedRemaining = amountSpecified;
    let amountCalculated = 0n;
    let sqrtPriceX96 = slot0SqrtPrice;
    let tick = this.tick;
    let liquidity = this.liquidity;

    // Hooks.beforeSwap passes the hook's fee on only for a dynamic-fee pool; Pool.swap uses it only with the override flag
    const override = this.isDynamicFee ? params.lpFeeOverride : undefined;
    const lpFee = override !== undefined && isOverride(override) ? removeOverrideFlagAndValidate(override) : this.lpFee;
    const swapFee = protocolFee === 0 ? lpFee : calculateSwapFee(protocolFee, lpFee);
    if (swapFee >= MAX_SWAP_FEE && amountSpecified > 0n) throw new PoolError('InvalidFeeForExactOut', swapFee);

    if (zeroForOne) {
      if (sqrtPriceLimitX96 >= slot0SqrtPrice) {
        throw new PoolError('PriceLimitAlreadyExceeded', { sqrtPriceCurrentX96: slot0SqrtPrice, sqrtPriceLimitX96 });
      }
      if (sqrtPriceLimitX96 <= MIN_SQRT_PRICE) throw new PoolError('PriceLimitOutOfBounds', sqrtPriceLimitX96);
    } else {
      if (sqrtPriceLimitX96 <= slot0SqrtPrice) {
        throw new PoolError('PriceLimitAlreadyExceeded', { sqrtPriceCurrentX96: slot0SqrtPrice, sqrtPriceLimitX96 });
      }
      if (sqrtPriceLimitX96 >= MAX_SQRT_PRICE) throw new PoolError('PriceLimitOutOfBounds', sqrtPriceLimitX96);
    }

    const exactOutput = amountSpecified > 0n;
    const protocolFeeBig = BigInt(protocolFee);
    const swapFeeBig = BigInt(swapFee);
    const pips = BigInt(PIPS_DENOMINATOR);
    let feeGrowthGlobalX128 = zeroForOne ? this.feeGrowthGlobal0X128 : this.feeGrowthGlobal1X128;
    let amountToProtocol = 0n;
    let feeTotal = 0n;
    // initialized ticks crossed, and the input token's global fee growth at each crossing
    // (applied after the loop, so that a throw leaves the pool unchanged)
    const crossedTicks: number[] = [];
    const crossedGrowth: bigint[] = [];

    while (!(amountSpecifiedRemaining === 0n || sqrtPriceX96 === sqrtPriceLimitX96)) {
      const sqrtPriceStartX96 = sqrtPriceX96;
      const nextTick = nextInitializedTickWithinOneWord(this.tickBitmap, tick, this.tickSpacing, zeroForOne);
      let tickNext = nextTick.next;
      if (tickNext <= MIN_TICK) tickNext = MIN_TICK;
      if (tickNext >= MAX_TICK) tickNext = MAX_TICK;
      const sqrtPriceNextX96 = getSqrtPriceAtTick(tickNext);
      const sqrtPriceTargetX96 = (zeroForOne ? sqrtPriceNextX96 < sqrtPriceLimitX96 : sqrtPriceNextX96 > sqrtPriceLimitX96)
        ? sqrtPriceLimitX96
        : sqrtPriceNextX96;

      const step = computeSwapStep(sqrtPriceX96, sqrtPriceTargetX96, liquidity, amountSpecifiedRemaining, swapFee);
      sqrtPriceX96 = step.sqrtPriceNextX96;
      const amountIn = step.amountIn;
      let feeAmount = step.feeAmount;

      if (exactOutput) {
        amountSpecifiedRemaining -= step.amountOut;
        amountCalculated -= amountIn + feeAmount;
      } else {
        amountSpecifiedRemaining += amountIn + feeAmount;
        amountCalculated += step.amountOut;
      }
      feeTotal += feeAmount;
      if (params.onStep !== undefined) {
        params.onStep({
          sqrtPriceStartX96,
          tickNext,
          initialized: nextTick.initialized,
          sqrtPriceTargetX96,
          liquidity,
          sqrtPriceX96,
          amountIn,
          amountOut: step.amountOut,
          feeAmount,
        });
      }

      if (protocolFee > 0) {
        const delta = swapFeeBig === protocolFeeBig ? feeAmount : ((amountIn + feeAmount) * protocolFeeBig) / pips;
        feeAmount -= delta;
        amountToProtocol += delta;
      }

      if (liquidity > 0n) {
        // UnsafeMath.simpleMulDiv(feeAmount, Q128, liquidity), then an unchecked uint256 add
        let product = feeAmount << 128n;
        if (product > UINT256_MASK) product &= UINT256_MASK;
        feeGrowthGlobalX128 += product / liquidity;
        if (feeGrowthGlobalX128 > UINT256_MASK) feeGrowthGlobalX128 &= UINT256_MASK;
      }

      if (sqrtPriceX96 === sqrtPriceNextX96) {
        if (nextTick.initialized) {
          crossedTicks.push(tickNext);
          crossedGrowth.push(feeGrowthGlobalX128);
          const liquidityNet = (this.ticks.get(tickNext) ?? EMPTY_TICK).liquidityNet;
          const after = zeroForOne ? liquidity - liquidityNet : liquidity + liquidityNet;
          // LiquidityMath.addDelta, inlined; its error when out of uint128 range
          liquidity = after < 0n || after > MAX_UINT128 ? addDelta(liquidity, zeroForOne ? -liquidityNet : liquidityNet) : after;
        }
        tick = zeroForOne ? tickNext - 1 : tickNext;
      } else if (sqrtPriceX96 !== sqrtPriceStartX96) {
        tick = getTickAtSqrtPrice(sqrtPriceX96);
      }
    }

    // "if currency1 is specified"
    const delta =
      zeroForOne !== amountSpecified < 0n
        ? toBalanceDelta(amountCalculated, amountSpecified - amountSpecifiedRemaining)
        : toBalanceDelta(amountSpecified - amountSpecifiedRemaining, amountCalculated);

    // Commit.
    for (let i = 0; i < crossedTicks.length; i++) {
      const growth = crossedGrowth[i]!;
      if (zeroForOne) this.crossTick(crossedTicks[i]!, growth, this.feeGrowthGlobal1X128);
      else this.crossTick(crossedTicks[i]!, this.feeGrowthGlobal0X128, growth);
    }
    this.sqrtPriceX96 = sqrtPriceX96;
    this.tick = tick;
    this.liquidity = liquidity;
    if (zeroForOne) this.feeGrowthGlobal0X128 = feeGrowthGlobalX128;
    else this.feeGrowthGlobal1X128 = feeGrowthGlobalX128;

    return {
      amount0: delta.amount0,
      amount1: delta.amount1,
      sqrtPriceX96,
      tick,
      liquidity,
      swapFee,
      feeAmount: feeTotal,
      amountToProtocol,
      ticksCrossed: crossedTicks.length,
    };
  }

  /**
   * PoolManager.donate → Pool.donate: adds the amounts to fee growth of in-range liquidity and
   * returns the caller's delta (both amounts negative). Throws PoolNotInitialized,
   * NoLiquidityToReceiveFees, or SafeCastOverflow for an amount beyond int128.
   */
  donate(amount0: bigint, amount1: bigint): BalanceDelta {
    this.checkPoolInitialized();
    const liquidity = this.liquidity;
    if (liquidity === 0n) throw new PoolError('NoLiquidityToReceiveFees', liquidity);
    if (amount0 < 0n) throw new PoolError('SafeCastOverflow', amount0, 'donate amount0 is a uint256');
    if (amount1 < 0n) throw new PoolError('SafeCastOverflow', amount1, 'donate amount1 is a uint256');
    const delta = toBalanceDelta(-amount0, -amount1);
    if (amount0 > 0n) this.feeGrowthGlobal0X128 = (this.feeGrowthGlobal0X128 + (amount0 * Q128) / liquidity) & UINT256_MASK;
    if (amount1 > 0n) this.feeGrowthGlobal1X128 = (this.feeGrowthGlobal1X128 + (amount1 * Q128) / liquidity) & UINT256_MASK;
    return delta;
  }

  /** StateView.getSlot0. */
  getSlot0(): Slot0 {
    return { sqrtPriceX96: this.sqrtPriceX96, tick: this.tick, protocolFee: this.protocolFee, lpFee: this.lpFee };
  }

  /** StateView.getLiquidity: the in-range liquidity. */
  getLiquidity(): bigint {
    return this.liquidity;
  }

  /** StateView.getFeeGrowthGlobals. */
  getFeeGrowthGlobals(): { feeGrowthGlobal0X128: bigint; feeGrowthGlobal1X128: bigint } {
    return { feeGrowthGlobal0X128: this.feeGrowthGlobal0X128, feeGrowthGlobal1X128: this.feeGrowthGlobal1X128 };
  }

  /** StateView.getTickInfo: a copy of the tick's info (all zero when uninitialized). */
  getTick(tick: number): TickInfo {
    return copyTickInfo(this.ticks.get(tick));
  }

  /** StateView.getTickBitmap: the bitmap word at wordPos (compressed ticks, 256 per word). */
  getTickBitmap(wordPos: number): bigint {
    return this.tickBitmap.get(wordPos) ?? 0n;
  }

  /** Every initialized tick, ascending, with a copy of its info. */
  initializedTicks(): InitializedTick[] {
    return [...this.ticks.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([tick, info]) => ({ tick, info: copyTickInfo(info) }));
  }

  /** StateView.getPositionInfo: a copy of the position (all zero when unknown). */
  getPosition(owner: string, tickLower: number, tickUpper: number, salt: string = ZERO_SALT): PositionState {
    return { ...(this.positions.get(positionMapKey(owner, tickLower, tickUpper, salt)) ?? EMPTY_POSITION) };
  }

  /** Pool.getFeeGrowthInside / StateView.getFeeGrowthInside: all-time fee growth per liquidity inside a range. */
  getFeeGrowthInside(tickLower: number, tickUpper: number): { feeGrowthInside0X128: bigint; feeGrowthInside1X128: bigint } {
    const [feeGrowthInside0X128, feeGrowthInside1X128] = feeGrowthInside(
      this.ticks.get(tickLower) ?? EMPTY_TICK,
      this.ticks.get(tickUpper) ?? EMPTY_TICK,
      tickLower,
      tickUpper,
      this.tick,
      this.feeGrowthGlobal0X128,
      this.feeGrowthGlobal1X128,
    );
    return { feeGrowthInside0X128, feeGrowthInside1X128 };
  }

  /** The whole state as plain data (see PoolSnapshot); ticks ascending. */
  toSnapshot(): PoolSnapshot {
    return {
      tickSpacing: this.tickSpacing,
      fee: this.keyFee,
      sqrtPriceX96: this.sqrtPriceX96,
      tick: this.tick,
      protocolFee: this.protocolFee,
      lpFee: this.lpFee,
      liquidity: this.liquidity,
      feeGrowthGlobal0X128: this.feeGrowthGlobal0X128,
      feeGrowthGlobal1X128: this.feeGrowthGlobal1X128,
      ticks: this.initializedTicks().map(({ tick, info }) => ({ tick, ...info })),
      positions: [...this.positions].map(([key, p]) => {
        const [owner, tickLower, tickUpper, salt] = key.split('|') as [string, string, string, string];
        return { owner, tickLower: Number(tickLower), tickUpper: Number(tickUpper), salt, ...p };
      }),
    };
  }

  /**
   * A pool holding exactly the snapshot's state (e.g. read from StateView), so that swaps from
   * there behave as on chain. Throws PoolError('InvalidSnapshot') naming the first broken
   * invariant: price out of range or tick not matching it, fees out of range, a tick misaligned,
   * out of bounds, empty or over the per-tick cap, |liquidityNet| > liquidityGross, liquidityNet
   * not summing to 0 over all ticks or not to `liquidity` over the ticks at or below `tick`, or a
   * bigint outside its Solidity type.
   */
  static fromSnapshot(s: PoolSnapshot): Pool {
    const pool = new Pool({ tickSpacing: s.tickSpacing, fee: s.fee });
    const bad = (what: string, value: PoolErrorValue): never => {
      throw new PoolError('InvalidSnapshot', value, what);
    };
    if (s.sqrtPriceX96 < MIN_SQRT_PRICE || s.sqrtPriceX96 >= MAX_SQRT_PRICE) bad('sqrtPriceX96 out of range', s.sqrtPriceX96);
    const tickOfPrice = getTickAtSqrtPrice(s.sqrtPriceX96);
    // after a zeroForOne swap that ends on a tick's price, slot0.tick is that tick - 1
    const preemptive = s.tick === tickOfPrice - 1 && s.sqrtPriceX96 === getSqrtPriceAtTick(tickOfPrice);
    if (s.tick !== tickOfPrice && !preemptive) bad('tick does not match sqrtPriceX96', { tick: s.tick, tickOfPrice });
    if (!isValidProtocolFee(s.protocolFee)) bad('protocolFee out of range', s.protocolFee);
    validateLpFee(s.lpFee);
    for (const [name, v] of [
      ['feeGrowthGlobal0X128', s.feeGrowthGlobal0X128],
      ['feeGrowthGlobal1X128', s.feeGrowthGlobal1X128],
    ] as const) {
      if (v < 0n || v > UINT256_MASK) bad(`${name} is not a uint256`, v);
    }
    if (s.liquidity < 0n || s.liquidity > MAX_UINT128) bad('liquidity is not a uint128', s.liquidity);
    let netSum = 0n;
    for (const t of s.ticks) {
      if (!Number.isInteger(t.tick) || t.tick % s.tickSpacing !== 0) bad('tick not a multiple of tickSpacing', t.tick);
      if (t.tick < MIN_TICK || t.tick > MAX_TICK) bad('tick out of bounds', t.tick);
      if (pool.ticks.has(t.tick)) bad('tick listed twice', t.tick);
      if (t.liquidityGross <= 0n || t.liquidityGross > pool.maxLiquidityPerTick) bad('liquidityGross not in (0, maxLiquidityPerTick]', t.tick);
      if (t.liquidityNet > t.liquidityGross || -t.liquidityNet > t.liquidityGross) bad('|liquidityNet| > liquidityGross', t.tick);
      for (const v of [t.feeGrowthOutside0X128, t.feeGrowthOutside1X128]) if (v < 0n || v > UINT256_MASK) bad('feeGrowthOutside is not a uint256', t.tick);
      netSum += t.liquidityNet;
      pool.ticks.set(t.tick, {
        liquidityGross: t.liquidityGross,
        liquidityNet: t.liquidityNet,
        feeGrowthOutside0X128: t.feeGrowthOutside0X128,
        feeGrowthOutside1X128: t.feeGrowthOutside1X128,
      });
      flipTick(pool.tickBitmap, t.tick, s.tickSpacing);
    }
    if (netSum !== 0n) bad('liquidityNet of all ticks does not sum to 0', netSum);
    let active = 0n;
    for (const t of s.ticks) if (t.tick <= s.tick) active += t.liquidityNet;
    if (active !== s.liquidity) bad('liquidity is not the sum of liquidityNet at or below the tick', { liquidity: s.liquidity, sum: active });
    for (const p of s.positions) {
      checkTicks(p.tickLower, p.tickUpper);
      if (p.liquidity < 0n || p.liquidity > MAX_UINT128) bad('position liquidity is not a uint128', p.liquidity);
      pool.positions.set(positionMapKey(p.owner, p.tickLower, p.tickUpper, p.salt), {
        liquidity: p.liquidity,
        feeGrowthInside0LastX128: p.feeGrowthInside0LastX128,
        feeGrowthInside1LastX128: p.feeGrowthInside1LastX128,
      });
    }
    pool.sqrtPriceX96 = s.sqrtPriceX96;
    pool.tick = s.tick;
    pool.protocolFee = s.protocolFee;
    pool.lpFee = s.lpFee;
    pool.liquidity = s.liquidity;
    pool.feeGrowthGlobal0X128 = s.feeGrowthGlobal0X128;
    pool.feeGrowthGlobal1X128 = s.feeGrowthGlobal1X128;
    return pool;
  }

  /** An independent deep copy (for what-if simulation). */
  clone(): Pool {
    const copy = new Pool({ tickSpacing: this.tickSpacing, fee: this.keyFee });
    copy.sqrtPriceX96 = this.sqrtPriceX96;
    copy.tick = this.tick;
    copy.protocolFee = this.protocolFee;
    copy.lpFee = this.lpFee;
    copy.feeGrowthGlobal0X128 = this.feeGrowthGlobal0X128;
    copy.feeGrowthGlobal1X128 = this.feeGrowthGlobal1X128;
    copy.liquidity = this.liquidity;
    copy.tickBitmap = new Map(this.tickBitmap);
    copy.ticks = new Map([...this.ticks].map(([t, info]) => [t, copyTickInfo(info)]));
    copy.positions = new Map([...this.positions].map(([k, p]) => [k, { ...p }]));
    return copy;
  }

  /**
   * Pool.updateTick on a copy `info` of the tick: applies liquidityDelta to gross and net, and on
   * first initialization assumes all past growth happened below the tick. Returns liquidityGrossAfter.
   */
  private updateTick(info: TickInfo, tick: number, liquidityDelta: bigint, upper: boolean): bigint {
    const liquidityGrossBefore = info.liquidityGross;
    const liquidityGrossAfter = addDelta(liquidityGrossBefore, liquidityDelta);
    if (liquidityGrossBefore === 0n && tick <= this.tick) {
      info.feeGrowthOutside0X128 = this.feeGrowthGlobal0X128;
      info.feeGrowthOutside1X128 = this.feeGrowthGlobal1X128;
    }
    const liquidityNet = upper ? info.liquidityNet - liquidityDelta : info.liquidityNet + liquidityDelta;
    if (liquidityNet < MIN_INT128 || liquidityNet > MAX_INT128) throw new PoolError('SafeCastOverflow', liquidityNet, `tick ${tick} liquidityNet`);
    info.liquidityGross = liquidityGrossAfter;
    info.liquidityNet = liquidityNet;
    return liquidityGrossAfter;
  }

  /** Pool.crossTick: flips the tick's outside fee growth to the other side. */
  private crossTick(tick: number, feeGrowthGlobal0X128: bigint, feeGrowthGlobal1X128: bigint): void {
    const info = this.ticks.get(tick);
    if (info === undefined) {
      // An uninitialized tick is never reported as initialized by the bitmap; nothing to flip.
      return;
    }
    // unchecked uint256 subtraction
    const outside0 = feeGrowthGlobal0X128 - info.feeGrowthOutside0X128;
    const outside1 = feeGrowthGlobal1X128 - info.feeGrowthOutside1X128;
    info.feeGrowthOutside0X128 = outside0 < 0n ? outside0 + TWO_256 : outside0;
    info.feeGrowthOutside1X128 = outside1 < 0n ? outside1 + TWO_256 : outside1;
  }
}

/** Pool.checkTicks: throws TicksMisordered, TickLowerOutOfBounds or TickUpperOutOfBounds. */
export function checkTicks(tickLower: number, tickUpper: number): void {
  if (!Number.isInteger(tickLower)) throw new PoolError('TickLowerOutOfBounds', tickLower, 'tickLower is not an int24');
  if (!Number.isInteger(tickUpper)) throw new PoolError('TickUpperOutOfBounds', tickUpper, 'tickUpper is not an int24');
  if (tickLower >= tickUpper) throw new PoolError('TicksMisordered', { tickLower, tickUpper });
  if (tickLower < MIN_TICK) throw new PoolError('TickLowerOutOfBounds', tickLower);
  if (tickUpper > MAX_TICK) throw new PoolError('TickUpperOutOfBounds', tickUpper);
}

function assertAligned(tick: number, tickSpacing: number): void {
  if (tick % tickSpacing !== 0) throw new PoolError('TickMisaligned', { tick, tickSpacing });
}

function isFlipped(before: Readonly<TickInfo> | undefined, liquidityGrossAfter: bigint): boolean {
  const grossBefore = before?.liquidityGross ?? 0n;
  return (liquidityGrossAfter === 0n) !== (grossBefore === 0n);
}

/** Pool.getFeeGrowthInside on given tick infos (unchecked uint256 arithmetic). */
function feeGrowthInside(
  lower: Readonly<TickInfo>,
  upper: Readonly<TickInfo>,
  tickLower: number,
  tickUpper: number,
  tickCurrent: number,
  feeGrowthGlobal0X128: bigint,
  feeGrowthGlobal1X128: bigint,
): [bigint, bigint] {
  if (tickCurrent < tickLower) {
    return [
      (lower.feeGrowthOutside0X128 - upper.feeGrowthOutside0X128) & UINT256_MASK,
      (lower.feeGrowthOutside1X128 - upper.feeGrowthOutside1X128) & UINT256_MASK,
    ];
  }
  if (tickCurrent >= tickUpper) {
    return [
      (upper.feeGrowthOutside0X128 - lower.feeGrowthOutside0X128) & UINT256_MASK,
      (upper.feeGrowthOutside1X128 - lower.feeGrowthOutside1X128) & UINT256_MASK,
    ];
  }
  return [
    (feeGrowthGlobal0X128 - lower.feeGrowthOutside0X128 - upper.feeGrowthOutside0X128) & UINT256_MASK,
    (feeGrowthGlobal1X128 - lower.feeGrowthOutside1X128 - upper.feeGrowthOutside1X128) & UINT256_MASK,
  ];
}
