/**
 * The part of a PoolManager Swap event the pool model must reproduce exactly: the swapper's
 * amounts, the price, liquidity and tick after the swap, and the fee charged.
 */
import type { SwapEvent } from '../../../src/adapters/chain/poolManagerEvents.js';
import type { SwapResult } from '../../../src/math/pool/index.js';

export type ModelledSwapEvent = Pick<SwapEvent, 'amount0' | 'amount1' | 'sqrtPriceX96' | 'liquidity' | 'tick' | 'fee'>;

/** The fields of a decoded Swap event the model must reproduce. */
export function modelledFieldsOf(event: ModelledSwapEvent): ModelledSwapEvent {
  return { amount0: event.amount0, amount1: event.amount1, sqrtPriceX96: event.sqrtPriceX96, liquidity: event.liquidity, tick: event.tick, fee: event.fee };
}

/** The Swap event a swap must emit that the model computed as `result`, charged `fee` (in pips). */
export function expectedSwapEvent(result: SwapResult, fee: number): ModelledSwapEvent {
  return { amount0: result.amount0, amount1: result.amount1, sqrtPriceX96: result.sqrtPriceX96, liquidity: result.liquidity, tick: result.tick, fee };
}
