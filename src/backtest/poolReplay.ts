/**
 * Replays a pool's recorded history on the exact v4 pool model (src/math/pool), so that fees are
 * fee growth as the chain computes it, to the wei, and a backtested position's liquidity joins
 * the other LPs' and is diluted as on chain.
 *
 * The other LPs. A history has no tick map from before its first event, so the replay learns it
 * from the data: it holds the others' liquidity as one model position per tick-spacing segment
 * (`crossedLiquidity`, owner OTHERS). After each recorded swap (or bar) it sets the segment the
 * price ended in to the in-range liquidity the data reports there, less the recorded positions
 * the replay tracks itself and never counting positions added with `addPosition` (ours): those
 * come on top of the recorded liquidity. A segment the price crosses before any observation
 * takes the liquidity of its nearest known neighbour on the way. Recorded mints and burns of
 * positions that opened before the history are applied to the others' segments of their range.
 *
 * Swaps. A recorded swap is replayed as what the chain did: an exact-input swap of the recorded
 * input amount, limited at the recorded final price, with the pool's LP fee. When the model's
 * liquidity along the path differs from the chain's, the model stops short of the price (too
 * much liquidity) or reaches it with input left (too little); the rest of the move is then made
 * fee-free and the mismatch is counted in `stats`, so a replay says how exact it was.
 *
 * Minute bars (`replayBar`). A bar has no path: the price moves fee-free to the close, the
 * segment takes the bar's liquidity, and the LP fee of the bar's gross input volume
 * (inAmount × fee, fee-inclusive as the data is) is donated to the liquidity in range at the
 * close. So a position's fee share is L_pos / (L_data + L_ours) of the bar's fees when it is in
 * range at the close, as demeter's volume-share model assumes.
 */
import { getSqrtPriceAtTick } from '../math/tickMath.js';
import { DYNAMIC_FEE_FLAG, OVERRIDE_FEE_FLAG, Pool, type ModifyLiquidityResult, type SwapResult } from '../math/pool/index.js';
import type { HistorySwap } from './poolHistory.js';
import type { MinuteBar } from './minuteBarsCsv.js';

/** The owner of the other LPs' per-segment positions in the model. */
export const OTHERS = 'replay:others';
/** Exact input large enough for any fee-free move to reach its price limit. */
const UNLIMITED = -(1n << 120n);
const FEE_FREE = OVERRIDE_FEE_FLAG; // an override of 0 pips (the flag makes Pool.swap use it)

export interface PoolReplayOptions {
  tickSpacing: number;
  /** The pool's LP fee in pips (500 = 0.05%). */
  fee: number;
  /** The price the replay starts at (e.g. the first recorded swap's). */
  sqrtPriceX96: bigint;
  /** The in-range liquidity there. */
  liquidity: bigint;
}

/** How closely the replay followed the record. */
export interface ReplayStats {
  swaps: number;
  /** Swaps that reached the recorded price using exactly the recorded input. */
  exactSwaps: number;
  /** Swaps whose end needed a fee-free move (model liquidity along the path ≠ the chain's). */
  correctedSwaps: number;
  /** Recorded input the model did not need, summed per token (model liquidity too low). */
  unusedInput0: bigint;
  unusedInput1: bigint;
  /** Times the data's in-range liquidity was below what tracked positions alone hold (others clamped at 0). */
  liquidityClamps: number;
  bars: number;
  /** Bars whose LP fee could not be donated because no liquidity was in range. */
  barsWithoutLiquidity: number;
}

/** A position the replay holds besides the others: recorded (`historic`) or added by the backtest. */
interface Held {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  historic: boolean;
}

export class PoolReplay {
  /** Where the model pool is read from: its own, or the simulated chain's copy it `follow`s. */
  private source: () => Pool;
  readonly tickSpacing: number;
  readonly fee: number;
  readonly stats: ReplayStats = {
    swaps: 0, exactSwaps: 0, correctedSwaps: 0, unusedInput0: 0n, unusedInput1: 0n, liquidityClamps: 0, bars: 0, barsWithoutLiquidity: 0,
  };
  /** The others' liquidity per segment (keyed by the segment's lower tick). */
  private readonly others = new Map<number, bigint>();
  private readonly held = new Map<string, Held>();

  constructor(opts: PoolReplayOptions) {
    this.tickSpacing = opts.tickSpacing;
    this.fee = opts.fee;
    const pool = new Pool({ tickSpacing: opts.tickSpacing, fee: DYNAMIC_FEE_FLAG });
    pool.initialize(opts.sqrtPriceX96);
    pool.setLPFee(opts.fee);
    this.source = () => pool;
    this.setOthers(this.segmentOf(this.pool.getSlot0().tick), 0n);
    this.setInRangeLiquidity(opts.liquidity);
  }

  /** The model pool (dynamic-fee, so that corrections can be fee-free; its LP fee is the pool's fee). */
  get pool(): Pool {
    return this.source();
  }

  /**
   * Replays on the pool `source` returns from now on: the simulated chain's live model of this
   * pool, which a transaction of ours replaces with its committed copy (src/sim/simulatedChain.ts).
   */
  follow(source: () => Pool): void {
    this.source = source;
  }

  /** The lower tick of the tick-spacing segment holding `tick`. */
  segmentOf(tick: number): number {
    return Math.floor(tick / this.tickSpacing) * this.tickSpacing;
  }

  /** The others' liquidity the model holds in `segment` (undefined before the replay has seen it). */
  othersIn(segment: number): bigint | undefined {
    return this.others.get(segment);
  }

  /** Replays one recorded swap (see the module comment) and returns the model's result for its recorded part. */
  replaySwap(e: HistorySwap): SwapResult | undefined {
    this.stats.swaps++;
    const zeroForOne = e.amount0 > 0n;
    const amountIn = zeroForOne ? e.amount0 : e.amount1;
    const start = this.pool.getSlot0().sqrtPriceX96;
    const target = e.sqrtPriceX96;
    this.fillSegmentsTo(e.tick);
    // the segment the swap ends in had the recorded liquidity during its last step too
    this.setRecordedLiquidity(this.segmentOf(e.tick), e.liquidity);
    let result: SwapResult | undefined;
    const rightWay = zeroForOne ? target < start : target > start;
    if (amountIn > 0n && rightWay) {
      result = this.pool.swap({ zeroForOne, amountSpecified: -amountIn, sqrtPriceLimitX96: target });
      const used = zeroForOne ? result.amount0 : result.amount1; // swapper side: negative = paid in
      const unused = amountIn + used;
      if (zeroForOne) this.stats.unusedInput0 += unused;
      else this.stats.unusedInput1 += unused;
      if (unused === 0n && result.sqrtPriceX96 === target) this.stats.exactSwaps++;
    }
    if (this.pool.getSlot0().sqrtPriceX96 !== target) {
      this.stats.correctedSwaps++;
      // stopped short (more model liquidity on the path than the chain had): the chain's swap went
      // on to the recorded price, and every step of it paid the LP fee. Fee growth per unit of
      // liquidity depends on the price path, not on the liquidity, so the rest is swapped with the
      // fee (its input unlimited): a position in range earns on it as on chain.
      if (rightWay) this.moveWithFee(target);
      else this.moveFeeFree(target);
    } else if (!rightWay) {
      this.stats.correctedSwaps++;
    }
    this.setInRangeLiquidity(e.liquidity);
    return result;
  }

  /** Replays one minute bar (see the module comment). */
  replayBar(bar: MinuteBar): void {
    this.stats.bars++;
    this.fillSegmentsTo(bar.closeTick);
    this.moveFeeFree(getSqrtPriceAtTick(bar.closeTick));
    this.setInRangeLiquidity(bar.liquidity);
    const pips = 1_000_000n;
    const fee0 = (bar.inAmount0 * BigInt(this.fee)) / pips;
    const fee1 = (bar.inAmount1 * BigInt(this.fee)) / pips;
    if (fee0 === 0n && fee1 === 0n) return;
    if (this.pool.getLiquidity() === 0n) {
      this.stats.barsWithoutLiquidity++;
      return;
    }
    this.pool.donate(fee0, fee1);
  }

  /**
   * Adds liquidity for `owner` on [tickLower, tickUpper). `historic` = a position of the record
   * (its liquidity is part of the data's in-range figure); otherwise it is ours, on top of it.
   */
  addPosition(owner: string, tickLower: number, tickUpper: number, liquidity: bigint, historic: boolean): ModifyLiquidityResult {
    const result = this.pool.modifyLiquidity({ owner, tickLower, tickUpper, liquidityDelta: liquidity });
    const held = this.held.get(owner);
    if (held !== undefined && (held.tickLower !== tickLower || held.tickUpper !== tickUpper)) {
      throw new RangeError(`replay: position ${owner} is held on [${held.tickLower}, ${held.tickUpper}), not [${tickLower}, ${tickUpper})`);
    }
    this.held.set(owner, { tickLower, tickUpper, liquidity: (held?.liquidity ?? 0n) + liquidity, historic });
    return result;
  }

  /** Removes liquidity of a position added with addPosition (0 pokes it: collects its fees). */
  removePosition(owner: string, liquidity: bigint): ModifyLiquidityResult {
    const held = this.held.get(owner);
    if (held === undefined) throw new RangeError(`replay: no position ${owner}`);
    if (liquidity > held.liquidity) throw new RangeError(`replay: position ${owner} holds ${held.liquidity}, cannot remove ${liquidity}`);
    const result = this.pool.modifyLiquidity({ owner, tickLower: held.tickLower, tickUpper: held.tickUpper, liquidityDelta: -liquidity });
    held.liquidity -= liquidity;
    if (held.liquidity === 0n) this.held.delete(owner);
    return result;
  }

  /** The liquidity held for `owner` (0 when none). */
  heldLiquidity(owner: string): bigint {
    return this.held.get(owner)?.liquidity ?? 0n;
  }

  /**
   * A recorded liquidity change of a position the replay does not hold (opened before the
   * history): applied to the others' liquidity of every known segment in its range.
   */
  othersChange(tickLower: number, tickUpper: number, liquidityDelta: bigint): void {
    for (const [segment, l] of [...this.others]) {
      if (segment >= tickLower && segment < tickUpper) {
        const next = l + liquidityDelta;
        if (next < 0n) this.stats.liquidityClamps++;
        this.setOthers(segment, next < 0n ? 0n : next);
      }
    }
  }

  /** Makes the in-range liquidity, less our positions in range, equal to `recorded`, through the others' segment. */
  private setInRangeLiquidity(recorded: bigint): void {
    this.setRecordedLiquidity(this.segmentOf(this.pool.getSlot0().tick), recorded);
  }

  /**
   * Makes the recorded liquidity of `segment` (the others' plus the recorded positions the replay
   * holds there; never ours) equal to `recorded`, by setting the others' share.
   */
  private setRecordedLiquidity(segment: number, recorded: bigint): void {
    let historic = 0n;
    for (const h of this.held.values()) if (h.historic && h.tickLower <= segment && segment < h.tickUpper) historic += h.liquidity;
    const next = recorded - historic;
    if (next < 0n) this.stats.liquidityClamps++;
    this.setOthers(segment, next < 0n ? 0n : next);
  }

  /** Gives every segment from the current one to `tick`'s that the replay has not seen its neighbour's liquidity. */
  private fillSegmentsTo(tick: number): void {
    const from = this.segmentOf(this.pool.getSlot0().tick);
    const to = this.segmentOf(tick);
    const step = to >= from ? this.tickSpacing : -this.tickSpacing;
    let last = this.others.get(from) ?? 0n;
    for (let s = from; step > 0 ? s <= to : s >= to; s += step) {
      const known = this.others.get(s);
      if (known === undefined) this.setOthers(s, last);
      else last = known;
    }
  }

  private setOthers(segment: number, liquidity: bigint): void {
    const before = this.others.get(segment) ?? 0n;
    if (liquidity !== before) {
      this.pool.modifyLiquidity({ owner: OTHERS, tickLower: segment, tickUpper: segment + this.tickSpacing, liquidityDelta: liquidity - before });
    }
    this.others.set(segment, liquidity);
  }

  /** Moves the price to `sqrtPriceX96` with a swap that pays the pool's LP fee (fee growth as on the path). */
  private moveWithFee(sqrtPriceX96: bigint): void {
    const now = this.pool.getSlot0().sqrtPriceX96;
    if (now === sqrtPriceX96) return;
    this.pool.swap({ zeroForOne: sqrtPriceX96 < now, amountSpecified: UNLIMITED, sqrtPriceLimitX96: sqrtPriceX96, lpFeeOverride: this.fee | OVERRIDE_FEE_FLAG });
  }

  /** Moves the price to `sqrtPriceX96` with a fee-free swap (no fee growth). */
  private moveFeeFree(sqrtPriceX96: bigint): void {
    const now = this.pool.getSlot0().sqrtPriceX96;
    if (now === sqrtPriceX96) return;
    this.pool.swap({ zeroForOne: sqrtPriceX96 < now, amountSpecified: UNLIMITED, sqrtPriceLimitX96: sqrtPriceX96, lpFeeOverride: FEE_FREE });
  }
}
