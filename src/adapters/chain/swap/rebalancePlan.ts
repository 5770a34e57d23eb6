/**
 * The re-balancing swap of a roll: how much of which token to sell so that what the wallet holds
 * for the new range (the old position's principal and fees) is in the ratio the new range needs
 * at the price AFTER the swap. Every candidate amount is swapped on our exact pool model, so the
 * swap's own price impact and fee are accounted for; the amount is found by bisection (the
 * excess of the input token strictly falls as the amount sold grows).
 */
import type { Provider } from 'ethers';
import { getSqrtPriceAtTick } from '../../../math/tickMath.js';
import type { PoolKey } from '../poolId.js';
import { quoteOnModel, type ExactInQuote } from './exactInQuote.js';
import { readPoolModel, type PoolModelWindow } from './poolModelReader.js';

const Q192 = 1n << 192n;

/** What planning needs of a model read from chain: the pool and where it is exact. */
export type ModelView = Pick<PoolModelWindow, 'pool' | 'knownRange'>;

/** Token amounts available for the new range. */
export interface Holdings {
  amount0: bigint;
  amount1: bigint;
}

/** The new range. */
export interface TargetRange {
  tickLower: number;
  tickUpper: number;
}

/** The swap to make, with its predicted outcome; null from planRebalanceSwap when none is needed. */
export interface RebalancePlan {
  zeroForOne: boolean;
  amountIn: bigint;
  quote: ExactInQuote;
}

/**
 * The excess of token0 over what the range needs at sqrt price `s`, scaled (sign only matters):
 * holdings fit the range when amount0·(s − √A)·s·√B = amount1·(√B − s)·2^192.
 */
function excess0(s: bigint, sa: bigint, sb: bigint, amount0: bigint, amount1: bigint): bigint {
  const p = s < sa ? sa : s > sb ? sb : s;
  return amount0 * (p - sa) * p * sb - amount1 * (sb - p) * Q192;
}

/** A candidate swap left the model's known price range: read a wider window of ticks. */
export class RebalanceOutsideModelError extends Error {
  override readonly name = 'RebalanceOutsideModelError';
  constructor(readonly amountIn: bigint) {
    super(`rebalance plan: a swap of ${amountIn} runs past the ticks read`);
  }
}

function quoteOrThrow(model: ModelView, zeroForOne: boolean, amountIn: bigint): ExactInQuote {
  const q = quoteOnModel(model, zeroForOne, amountIn);
  if (q === null) throw new RebalanceOutsideModelError(amountIn);
  return q;
}

/**
 * Plans the swap on `model` (null: the holdings already fit, or nothing to sell). `maxAmountIn`
 * caps what may be sold per token (e.g. what the wallet holds to front the swap).
 * Throws RebalanceOutsideModelError when a candidate leaves the model's known range.
 */
export function planRebalanceOnModel(model: ModelView, have: Holdings, range: TargetRange, maxAmountIn: Holdings): RebalancePlan | null {
  const sa = getSqrtPriceAtTick(range.tickLower);
  const sb = getSqrtPriceAtTick(range.tickUpper);
  const s0 = model.pool.getSlot0().sqrtPriceX96;
  const e = excess0(s0, sa, sb, have.amount0, have.amount1);
  if (e === 0n) return null;
  const zeroForOne = e > 0n;
  const cap = zeroForOne ? min(have.amount0, maxAmountIn.amount0) : min(have.amount1, maxAmountIn.amount1);
  if (cap <= 0n) return null;
  // excess of the INPUT token after selling `a` of it; falls strictly as `a` grows
  const excessIn = (a: bigint): bigint => {
    const q = quoteOrThrow(model, zeroForOne, a);
    const x = zeroForOne ? have.amount0 - q.amountIn : have.amount0 + q.amountOut;
    const y = zeroForOne ? have.amount1 + q.amountOut : have.amount1 - q.amountIn;
    const d = excess0(q.sqrtPriceX96After, sa, sb, x, y);
    return zeroForOne ? d : -d;
  };
  // largest a in [0, cap] that leaves the input token in excess (or exactly fitting)
  let lo = 0n;
  let hi = cap;
  if (excessIn(hi) >= 0n) lo = hi;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (excessIn(mid) >= 0n) lo = mid;
    else hi = mid;
  }
  if (lo === 0n) return null;
  const quote = quoteOrThrow(model, zeroForOne, lo);
  if (quote.amountOut === 0n) return null;
  return { zeroForOne, amountIn: lo, quote };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** What planRebalanceSwap reads and plans. */
export interface PlanRebalanceRequest {
  provider: Provider;
  stateView: string;
  poolId: string;
  key: PoolKey;
  have: Holdings;
  range: TargetRange;
  /** Cap on what may be sold, per token; default no cap beyond the holdings. */
  maxAmountIn?: Holdings;
}

/** Reads the pool (widening the tick window as needed) and plans the re-balancing swap; null when none is needed. */
export async function planRebalanceSwap(req: PlanRebalanceRequest): Promise<{ plan: RebalancePlan | null; model: PoolModelWindow }> {
  const cap = req.maxAmountIn ?? req.have;
  for (let radius = 4; ; radius *= 8) {
    const model = await readPoolModel({ provider: req.provider, stateView: req.stateView, poolId: req.poolId, key: req.key, radiusWords: radius });
    try {
      return { plan: planRebalanceOnModel(model, req.have, req.range, cap), model };
    } catch (err) {
      if (!(err instanceof RebalanceOutsideModelError) || model.complete) throw err;
    }
  }
}
