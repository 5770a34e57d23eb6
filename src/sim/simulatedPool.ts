/**
 * One simulated pool: the exact v4 pool model (src/math/pool, Pool.sol to the wei) plus the
 * tokens the pool holds, as PoolManager's balance of each currency would be for this pool, and
 * the net amounts outside traders paid in. Every token that enters or leaves goes through
 * modifyLiquidity or swap here, so reserves = what LPs put in − what they took out + what
 * swappers paid in net. Copy-on-write: SimulatedChain works on a clone() and keeps it only when
 * a whole transaction succeeded.
 */
import type { PoolDescriptor } from '../actors/ports.js';
import { feesOwed as feesOwedOn } from '../math/feeGrowth.js';
import { MAX_INT128 } from '../math/fixedPoint.js';
import { Pool, type ModifyLiquidityParams, type ModifyLiquidityResult, type SwapResult } from '../math/pool/index.js';
import type { BackgroundPosition } from './backgroundLiquidity.js';

/** Token amounts of one pool, raw units. */
export interface PoolTokenAmounts {
  amount0: bigint;
  amount1: bigint;
}

/** An exact-input amount large enough that a swap always stops at its price limit. */
const UNBOUNDED_AMOUNT_IN = MAX_INT128;

export class SimulatedPool {
  private constructor(
    readonly desc: PoolDescriptor,
    readonly model: Pool,
    /** Tokens held by the pool. */
    private reserves: PoolTokenAmounts,
    /** Net tokens outside traders paid in (negative: they took out). */
    private market: PoolTokenAmounts,
  ) {}

  /** Initializes the pool at sqrtPriceX96 and adds the other LPs' positions. */
  static open(desc: PoolDescriptor, sqrtPriceX96: bigint, background: readonly BackgroundPosition[]): SimulatedPool {
    const model = new Pool({ tickSpacing: desc.tickSpacing, fee: desc.fee });
    model.initialize(sqrtPriceX96);
    const pool = new SimulatedPool(desc, model, { amount0: 0n, amount1: 0n }, { amount0: 0n, amount1: 0n });
    for (const b of background) {
      pool.modifyLiquidity({ owner: b.owner, tickLower: b.tickLower, tickUpper: b.tickUpper, liquidityDelta: b.liquidity, salt: b.salt });
    }
    return pool;
  }

  /** Wraps an existing model (e.g. a backtest's replayed pool); the reserves count from here on. */
  static adopt(desc: PoolDescriptor, model: Pool): SimulatedPool {
    return new SimulatedPool(desc, model, { amount0: 0n, amount1: 0n }, { amount0: 0n, amount1: 0n });
  }

  /** An independent copy (a draft for an atomic transaction). */
  clone(): SimulatedPool {
    return new SimulatedPool(this.desc, this.model.clone(), { ...this.reserves }, { ...this.market });
  }

  get reserveAmounts(): PoolTokenAmounts {
    return { ...this.reserves };
  }

  get marketPaidIn(): PoolTokenAmounts {
    return { ...this.market };
  }

  /**
   * PoolManager.modifyLiquidity: the caller's delta (negative = pays in) moves the pool's
   * reserves the other way.
   */
  modifyLiquidity(params: ModifyLiquidityParams): ModifyLiquidityResult {
    const r = this.model.modifyLiquidity(params);
    this.reserves = { amount0: this.reserves.amount0 - r.callerDelta.amount0, amount1: this.reserves.amount1 - r.callerDelta.amount1 };
    return r;
  }

  /** An exact-input swap by the caller (e.g. the agent's re-balancing swap). */
  swapExactIn(zeroForOne: boolean, amountIn: bigint, sqrtPriceLimitX96: bigint): SwapResult {
    const r = this.model.swap({ zeroForOne, amountSpecified: -amountIn, sqrtPriceLimitX96 });
    this.reserves = { amount0: this.reserves.amount0 - r.amount0, amount1: this.reserves.amount1 - r.amount1 };
    return r;
  }

  /**
   * An outside trader swaps the pool to sqrtTargetX96 (exact input, unbounded amount, the
   * target as price limit, so the limit binds): in-range LPs earn the fee through fee growth.
   * Returns null when the pool is already there.
   */
  marketSwapTo(sqrtTargetX96: bigint): SwapResult | null {
    const current = this.model.getSlot0().sqrtPriceX96;
    if (sqrtTargetX96 === current) return null;
    const zeroForOne = sqrtTargetX96 < current;
    const r = this.swapExactIn(zeroForOne, UNBOUNDED_AMOUNT_IN, sqrtTargetX96);
    this.market = { amount0: this.market.amount0 - r.amount0, amount1: this.market.amount1 - r.amount1 };
    return r;
  }

  /**
   * Fees a position has earned and not yet been credited, per token: what the next
   * modifyLiquidity on it would credit (Position.update's feesOwed: fee growth inside the range
   * since its last update, times its liquidity, rounded down).
   */
  feesOwed(owner: string, tickLower: number, tickUpper: number, salt: string): PoolTokenAmounts {
    const pos = this.model.getPosition(owner, tickLower, tickUpper, salt);
    const g = this.model.getFeeGrowthInside(tickLower, tickUpper);
    return {
      amount0: feesOwedOn(pos.liquidity, g.feeGrowthInside0X128, pos.feeGrowthInside0LastX128),
      amount1: feesOwedOn(pos.liquidity, g.feeGrowthInside1X128, pos.feeGrowthInside1LastX128),
    };
  }
}
