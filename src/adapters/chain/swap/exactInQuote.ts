/**
 * What an exact-input swap does to a pool, from our exact pool model (src/math/pool): the
 * input taken, the output paid and the price after, bit for bit as PoolManager.swap computes
 * them (as V4Router calls it: amountSpecified = -amountIn, the price limit at the end of the
 * price range). Hooks that change a swap are not modelled.
 */
import type { Provider } from 'ethers';
import { PoolError, type Pool } from '../../../math/pool/index.js';
import { MAX_SQRT_PRICE, MIN_SQRT_PRICE } from '../../../math/tickMath.js';
import type { PoolKey } from '../poolId.js';
import { readPoolModel, type PoolModelWindow } from './poolModelReader.js';

/** The predicted outcome of an exact-input swap. */
export interface ExactInQuote {
  zeroForOne: boolean;
  /** Input the pool takes (the whole amountIn unless the price range ends first). */
  amountIn: bigint;
  amountOut: bigint;
  sqrtPriceX96After: bigint;
  tickAfter: number;
}

/** The swap runs past the ticks the model knows (or the model refused it). */
export class QuoteOutsideModelError extends Error {
  override readonly name = 'QuoteOutsideModelError';
  constructor(readonly poolId: string, readonly amountIn: bigint, reason: string) {
    super(`swap quote for pool ${poolId}, amountIn ${amountIn}: ${reason}`);
  }
}

/** The known range of a model that holds the whole pool (an in-memory pool, or a complete read). */
export const WHOLE_PRICE_RANGE: PoolModelWindow['knownRange'] = { lowSqrtPriceX96: MIN_SQRT_PRICE, highSqrtPriceX96: MAX_SQRT_PRICE };

/** The price limit of an exact-input swap bounded only by the end of the price range. */
export function openPriceLimit(zeroForOne: boolean): bigint {
  return zeroForOne ? MIN_SQRT_PRICE + 1n : MAX_SQRT_PRICE - 1n;
}

/** The swap on a copy of `pool`; null when it would leave the model's known price range. */
export function quoteOnModel(model: Pick<PoolModelWindow, 'pool' | 'knownRange'>, zeroForOne: boolean, amountIn: bigint): ExactInQuote | null {
  const pool: Pool = model.pool.clone();
  const r = pool.swap({ zeroForOne, amountSpecified: -amountIn, sqrtPriceLimitX96: openPriceLimit(zeroForOne) });
  const { lowSqrtPriceX96, highSqrtPriceX96 } = model.knownRange;
  if (r.sqrtPriceX96 <= lowSqrtPriceX96 || r.sqrtPriceX96 >= highSqrtPriceX96) return null;
  const paid = zeroForOne ? -r.amount0 : -r.amount1;
  const got = zeroForOne ? r.amount1 : r.amount0;
  return { zeroForOne, amountIn: paid, amountOut: got, sqrtPriceX96After: r.sqrtPriceX96, tickAfter: r.tick };
}

/** Reads the pool (as little of it as the swap needs) and quotes an exact-input swap on it. */
export interface QuoteExactInRequest {
  provider: Provider;
  stateView: string;
  poolId: string;
  key: PoolKey;
  zeroForOne: boolean;
  amountIn: bigint;
  blockNumber?: number;
}

/**
 * Quotes the swap on a model read from chain, widening the window of ticks read (4 words each
 * side, then ×8) until the swap stays inside it. Returns the quote and the model it used.
 */
export async function quoteExactIn(req: QuoteExactInRequest): Promise<{ quote: ExactInQuote; model: PoolModelWindow }> {
  for (let radius = 4; ; radius *= 8) {
    const model = await readPoolModel({ ...req, radiusWords: radius });
    let quote: ExactInQuote | null;
    try {
      quote = quoteOnModel(model, req.zeroForOne, req.amountIn);
    } catch (err) {
      if (err instanceof PoolError) throw new QuoteOutsideModelError(req.poolId, req.amountIn, err.message);
      throw err;
    }
    if (quote !== null) return { quote, model };
    if (model.complete) throw new QuoteOutsideModelError(req.poolId, req.amountIn, 'the swap runs to the end of the price range');
  }
}
