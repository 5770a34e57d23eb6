/**
 * Noise traders: random small swaps in random directions so the pools see volume and
 * liquidity positions earn fees. Sizes are log-normal around a median notional.
 */
import type { Signer } from 'ethers';
import type { SeededRandom } from '../../../../math/seededRandom.js';
import type { DevnetManifest, ManifestPool } from '../manifest.js';
import type { PoolSwapper, SimSwap } from './poolSwapper.js';

export interface NoiseTraderOptions {
  /** Median size of a trade in quote units (USDC); default 5000. */
  medianNotional?: number;
  /** σ of log(size); default 1 (most trades within ~0.4x-2.7x the median). */
  sizeLogSigma?: number;
  /** No trade larger than this in quote units; default 250000. */
  maxNotional?: number;
}

/** Makes random trades. */
export interface NoiseTrader {
  /** One random exact-input swap in `pool` at about `quotePerBase`, from one of the signers. */
  trade(pool: ManifestPool, quotePerBase: number): Promise<SimSwap>;
}

/** Creates noise traders from signers (role 'noise', approved PoolSwapTest) and a seeded generator. */
export function createNoiseTrader(manifest: DevnetManifest, swapper: PoolSwapper, signers: readonly Signer[], rng: SeededRandom, opts: NoiseTraderOptions = {}): NoiseTrader {
  if (signers.length === 0) throw new Error('noise trader needs at least one signer');
  const { WETH: base, USDC: quote } = manifest.contracts.tokens;
  const median = opts.medianNotional ?? 5000;
  const logSigma = opts.sizeLogSigma ?? 1;
  const max = opts.maxNotional ?? 250_000;
  return {
    trade(pool, quotePerBase) {
      const signer = signers[rng.nextInt(signers.length)]!;
      const notional = Math.min(median * Math.exp(logSigma * rng.nextNormal()), max);
      const sellBase = rng.next() < 0.5;
      const input = sellBase ? base : quote;
      const whole = sellBase ? notional / quotePerBase : notional;
      const amountIn = BigInt(Math.max(1, Math.round(whole * 10 ** Math.min(input.decimals, 12)))) * 10n ** BigInt(Math.max(0, input.decimals - 12));
      const zeroForOne = input.address.toLowerCase() === pool.key.currency0.toLowerCase();
      return swapper.swapExactIn(signer, pool, zeroForOne, amountIn);
    },
  };
}
