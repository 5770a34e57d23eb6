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

/** Fee tiers and tick spacings the devnet combines for more pools than DEVNET_POOLS (no hooks). */
const EXTRA_FEES = [500, 3000, 100, 10_000, 1_000, 2_500] as const;
const EXTRA_SPACINGS = [10, 60, 20, 30, 40, 50, 15, 25, 5, 45] as const;

/** The most pools {@link devnetPoolSpecs} can give: every fee × spacing combination. */
export const MAX_DEVNET_POOLS = EXTRA_FEES.length * EXTRA_SPACINGS.length;

/**
 * `count` WETH/USDC pools with distinct keys: DEVNET_POOLS first (so 2 gives exactly the default
 * devnet), then fee × tick-spacing combinations, spacing by spacing. Spacings stay at 60 or below:
 * the agent's ranges (a few percent wide, ~200 ticks a side) need several spacings.
 */
export function devnetPoolSpecs(count: number): PoolSpec[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEVNET_POOLS) throw new RangeError(`devnet pools: count must be an integer 1..${MAX_DEVNET_POOLS}, got ${count}`);
  const specs: PoolSpec[] = [...DEVNET_POOLS];
  for (const tickSpacing of EXTRA_SPACINGS) {
    for (const fee of EXTRA_FEES) {
      if (!specs.some((s) => s.fee === fee && s.tickSpacing === tickSpacing)) specs.push({ fee, tickSpacing });
    }
  }
  return specs.slice(0, count);
}

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
