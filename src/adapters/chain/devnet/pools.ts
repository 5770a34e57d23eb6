/**
 * Pool keys, pool ids and initialization of the devnet's WETH/USDC pools on the real PoolManager.
 */
import { Contract, ZeroAddress, type Signer } from 'ethers';
import { poolIdOf } from '../poolId.js';
import { loadArtifact } from './artifacts.js';
import type { ManifestPool, PoolKeyJson, TokenInfo } from './manifest.js';
import { isCurrency0, quotePriceToSqrtPriceX96 } from './quotePrice.js';
import { confirmTx } from './setupTx.js';

/** Fee (hundredths of a bip) and tick spacing of one pool to create. */
export interface PoolSpec {
  fee: number;
  tickSpacing: number;
}

/** The devnet's pools: WETH/USDC 0.05% (spacing 10) and 0.30% (spacing 60), no hooks. */
export const DEVNET_POOLS: readonly PoolSpec[] = [
  { fee: 500, tickSpacing: 10 },
  { fee: 3000, tickSpacing: 60 },
];

/** The PoolKey for a pair of tokens (sorted so currency0 < currency1) with no hooks. */
export function poolKeyFor(a: TokenInfo, b: TokenInfo, spec: PoolSpec): { key: PoolKeyJson; token0: TokenInfo; token1: TokenInfo } {
  const [token0, token1] = isCurrency0(a.address, b.address) ? [a, b] : [b, a];
  return {
    key: { currency0: token0.address, currency1: token1.address, fee: spec.fee, tickSpacing: spec.tickSpacing, hooks: ZeroAddress },
    token0,
    token1,
  };
}

/** The key as the tuple ethers encodes for a `PoolKey` argument. */
export function poolKeyTuple(key: PoolKeyJson): [string, string, number, number, string] {
  return [key.currency0, key.currency1, key.fee, key.tickSpacing, key.hooks];
}

/**
 * Creates one pool per spec for base/quote at `quotePerBase` (e.g. 3000 USDC per WETH) and
 * returns them in manifest form.
 */
export async function initializePools(
  signer: Signer,
  poolManager: string,
  base: TokenInfo,
  quote: TokenInfo,
  quotePerBase: number,
  specs: readonly PoolSpec[] = DEVNET_POOLS,
): Promise<ManifestPool[]> {
  const pm = new Contract(poolManager, loadArtifact('PoolManager').abi, signer);
  const sqrtPriceX96 = quotePriceToSqrtPriceX96(quotePerBase, base, quote);
  const pools: ManifestPool[] = [];
  for (const spec of specs) {
    const { key, token0, token1 } = poolKeyFor(base, quote, spec);
    await confirmTx(`initialize pool ${token0.symbol}/${token1.symbol} fee ${spec.fee}`, pm.getFunction('initialize')(poolKeyTuple(key), sqrtPriceX96));
    pools.push({ id: poolIdOf(key), key, token0: token0.symbol, token1: token1.symbol });
  }
  return pools;
}
