/**
 * The devnet's arbitrageur: moves a pool's price exactly to the reference price with one swap
 * through PoolSwapTest — a large exact-input amount bounded by sqrtPriceLimitX96 = the target, so
 * the swap stops at the target (as a real arbitrageur would, minus its profit threshold).
 */
import { Contract, type JsonRpcProvider, type Signer } from 'ethers';
import { loadArtifact } from '../artifacts.js';
import type { DevnetManifest, ManifestPool, TokenInfo } from '../manifest.js';
import { quotePriceToSqrtPriceX96 } from '../quotePrice.js';
import type { PoolSwapper, SimSwap } from './poolSwapper.js';

export interface ArbitrageurDeps {
  manifest: DevnetManifest;
  provider: JsonRpcProvider;
  swapper: PoolSwapper;
  /** The arbitrageur's signer (role 'arbitrageur', approved PoolSwapTest). */
  signer: Signer;
}

/** Aligns pools with a reference price. */
export interface Arbitrageur {
  /**
   * Swaps `pool` to `quotePerBase` (quote per base, e.g. USDC per WETH). Returns the swap, or
   * null when the pool already sits at the target. Spends at most its whole balance of the input
   * token: if that is not enough, the pool ends between where it was and the target.
   */
  align(pool: ManifestPool, quotePerBase: number): Promise<SimSwap | null>;
}

/** Creates the arbitrageur for a devnet (base = WETH, quote = USDC). */
export function createArbitrageur(deps: ArbitrageurDeps): Arbitrageur {
  const { WETH: base, USDC: quote } = deps.manifest.contracts.tokens;
  const erc20 = loadArtifact('MockERC20').abi;
  const tokenOf = (address: string): TokenInfo => (address.toLowerCase() === base.address.toLowerCase() ? base : quote);
  return {
    async align(pool, quotePerBase) {
      const target = quotePriceToSqrtPriceX96(quotePerBase, base, quote);
      const { sqrtPriceX96 } = await deps.swapper.slot0(pool);
      if (sqrtPriceX96 === target) return null;
      const zeroForOne = sqrtPriceX96 > target; // selling token0 lowers the price
      const input = tokenOf(zeroForOne ? pool.key.currency0 : pool.key.currency1);
      const owner = await deps.signer.getAddress();
      const balance = (await new Contract(input.address, erc20, deps.provider).getFunction('balanceOf')(owner)) as bigint;
      if (balance === 0n) throw new Error(`arbitrageur ${owner} has no ${input.symbol} left`);
      return deps.swapper.swapExactIn(deps.signer, pool, zeroForOne, balance, target);
    },
  };
}
