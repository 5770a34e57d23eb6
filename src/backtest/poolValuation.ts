/**
 * Values a pool's token amounts in USD the way the backtest's accounting does: the quote token
 * (the one that is not the pool's asset) is 1 USD, the asset is worth the pool's price.
 */
import type { PoolDescriptor } from '../actors/ports.js';
import { getAmountsForLiquidity } from '../math/liquidityAmounts.js';
import { getSqrtPriceAtTick } from '../math/tickMath.js';

/** Whole-token amounts of the asset and of the quote token. */
export interface AssetQuote {
  asset: number;
  quote: number;
}

export class PoolValuation {
  private readonly scale0: number;
  private readonly scale1: number;
  /** 10^((d0 + d1) / 2): raw liquidity over it is liquidity in whole asset/quote units. */
  readonly liquidityScale: number;

  constructor(readonly desc: PoolDescriptor) {
    this.scale0 = 10 ** desc.token0.decimals;
    this.scale1 = 10 ** desc.token1.decimals;
    this.liquidityScale = 10 ** ((desc.token0.decimals + desc.token1.decimals) / 2);
  }

  /** The asset's price in quote units from the pool's human price (token1 per token0). */
  assetPrice(poolPrice: number): number {
    return this.desc.assetIsToken0 ? poolPrice : 1 / poolPrice;
  }

  /** Raw token amounts as whole asset and quote amounts. */
  split(amount0: bigint, amount1: bigint): AssetQuote {
    const a0 = Number(amount0) / this.scale0;
    const a1 = Number(amount1) / this.scale1;
    return this.desc.assetIsToken0 ? { asset: a0, quote: a1 } : { asset: a1, quote: a0 };
  }

  /** USD value of raw amounts at an asset price. */
  usd(amount0: bigint, amount1: bigint, assetPrice: number): number {
    const s = this.split(amount0, amount1);
    return s.asset * assetPrice + s.quote;
  }

  /** The asset and quote a position of `liquidity` on [tickLower, tickUpper) holds at sqrtPriceX96. */
  positionAt(sqrtPriceX96: bigint, tickLower: number, tickUpper: number, liquidity: bigint): AssetQuote {
    const a = getAmountsForLiquidity(sqrtPriceX96, getSqrtPriceAtTick(tickLower), getSqrtPriceAtTick(tickUpper), liquidity);
    return this.split(a.amount0, a.amount1);
  }
}
