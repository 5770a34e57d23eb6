import { toArray, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { accountWithRole } from '../../src/adapters/chain/devnet/manifest.js';
import { quotePriceToSqrtPriceX96, quotePriceToTick, sqrtPriceX96ToQuotePrice } from '../../src/adapters/chain/devnet/quotePrice.js';
import { createArbitrageur } from '../../src/adapters/chain/devnet/simulator/arbitrageur.js';
import { startMarketSimulator } from '../../src/adapters/chain/devnet/simulator/marketSimulator.js';
import { PoolSwapper } from '../../src/adapters/chain/devnet/simulator/poolSwapper.js';
import { StateViewReader } from '../../src/adapters/chain/stateView.js';
import { parsePriceCsv } from '../../src/adapters/chain/devnet/simulator/priceCsv.js';
import { walletFor } from '../../src/adapters/chain/devnet/wallets.js';
import { createLogger } from '../../src/logging/logger.js';
import { revert, snapshot, useDevnet } from '../support/devnet.js';

describe('market simulator on the devnet', () => {
  const devnet = useDevnet({ seed: 5 });
  const quiet = createLogger({ name: 'sim', level: 'silent' });

  it('the arbitrageur moves each pool to the reference price, up and down', async () => {
    const d = devnet();
    const id = await snapshot(d);
    try {
      const { manifest, provider } = d;
      const { WETH, USDC } = manifest.contracts.tokens;
      const swapper = new PoolSwapper(manifest, provider);
      const arb = createArbitrageur({ manifest, provider, swapper, signer: walletFor(accountWithRole(manifest, 'arbitrageur'), provider) });
      for (const target of [3150, 2850.5, 3333.33]) {
        for (const pool of manifest.pools) {
          const swap = await arb.align(pool, target);
          expect(swap).not.toBeNull();
          const { sqrtPriceX96, tick } = await swapper.slot0(pool);
          // the swap reports the pool's Swap event: the price it left the pool at, and what the arbitrageur paid in
          expect(swap).toMatchObject({ poolId: pool.id, sqrtPriceX96After: sqrtPriceX96, tickAfter: tick });
          expect(swap!.zeroForOne ? swap!.amount0 < 0n && swap!.amount1 > 0n : swap!.amount1 < 0n && swap!.amount0 > 0n).toBe(true);
          expect(sqrtPriceX96).toBe(quotePriceToSqrtPriceX96(target, WETH, USDC));
          expect(Math.abs(tick - quotePriceToTick(target, WETH, USDC))).toBeLessThanOrEqual(pool.key.tickSpacing);
          expect(sqrtPriceX96ToQuotePrice(sqrtPriceX96, WETH, USDC)).toBeCloseTo(target, 4);
          expect(await arb.align(pool, target)).toBeNull(); // already there
        }
      }
    } finally {
      await revert(d, id);
    }
  });

  it('replays a price path: noise trades earn fees, pools end at the last reference price', async () => {
    const d = devnet();
    const id = await snapshot(d);
    try {
      const { manifest, provider } = d;
      const { WETH, USDC } = manifest.contracts.tokens;
      const stateView = new StateViewReader(manifest.contracts.stateView, provider);
      const feesBefore = await Promise.all(manifest.pools.map((p) => stateView.getFeeGrowthGlobals(p.id)));
      const path = parsePriceCsv('timestamp,price\n1704067200,3000\n1704067260,3045\n1704067320,2990\n1704067380,3012.5\n');
      const sim = startMarketSimulator({ manifest, provider, logger: quiet, path, intervalMs: 0, noiseTradesPerStep: 3, seed: 2 });
      const seen = firstValueFrom(sim.price$.pipe(toArray()));
      const swaps = firstValueFrom(sim.swaps$.pipe(toArray()));
      await sim.done;
      const stats = sim.stats();
      expect(stats.errors).toBe(0);
      expect(stats.lastPrice?.price).toBe(3012.5);
      expect(stats.noiseSwaps).toBeGreaterThanOrEqual(3 * manifest.pools.length);
      const all = await swaps;
      expect(all.filter((s) => s.kind === 'noise').length).toBe(stats.noiseSwaps);
      expect(all.filter((s) => s.kind === 'arbitrage').length).toBe(stats.arbitrageSwaps);
      expect((await seen).map((p) => p.price)).toContain(3012.5);
      for (const [i, pool] of manifest.pools.entries()) {
        const { sqrtPriceX96 } = await new PoolSwapper(manifest, provider).slot0(pool);
        expect(sqrtPriceX96).toBe(quotePriceToSqrtPriceX96(3012.5, WETH, USDC));
        const g = await stateView.getFeeGrowthGlobals(pool.id);
        expect(g.feeGrowth0X128 + g.feeGrowth1X128).toBeGreaterThan(feesBefore[i]!.feeGrowth0X128 + feesBefore[i]!.feeGrowth1X128);
      }
      await sim.stop();
    } finally {
      await revert(d, id);
    }
  });

  it('concurrent mode (for timed blocks) also ends each step at the reference price without errors', async () => {
    const d = devnet();
    const id = await snapshot(d);
    try {
      const { WETH, USDC } = d.manifest.contracts.tokens;
      const path = parsePriceCsv('1704067200,2950\n1704067260,3070.25\n');
      const sim = startMarketSimulator({ manifest: d.manifest, provider: d.provider, logger: quiet, path, intervalMs: 0, noiseTradesPerStep: 3, seed: 8, concurrent: true });
      await sim.done;
      expect(sim.stats().errors).toBe(0);
      expect(sim.stats().noiseSwaps).toBeGreaterThanOrEqual(6);
      for (const pool of d.manifest.pools) {
        expect((await new PoolSwapper(d.manifest, d.provider).slot0(pool)).sqrtPriceX96).toBe(quotePriceToSqrtPriceX96(3070.25, WETH, USDC));
      }
    } finally {
      await revert(d, id);
    }
  });

  it('stop() ends an endless GBM simulation after the step in flight', async () => {
    const d = devnet();
    const id = await snapshot(d);
    try {
      const sim = startMarketSimulator({ manifest: d.manifest, provider: d.provider, logger: quiet, intervalMs: 0, sigma: 0.8, noiseTradesPerStep: 1 });
      const firstSwap = firstValueFrom(sim.swaps$);
      await firstSwap;
      await sim.stop();
      const after = sim.stats();
      expect(after.steps + after.noiseSwaps).toBeGreaterThan(0);
      const block = await d.provider.getBlockNumber();
      await new Promise((r) => setTimeout(r, 100));
      expect(await d.provider.getBlockNumber()).toBe(block); // nothing trades after stop
      await sim.done;
    } finally {
      await revert(d, id);
    }
  });
});
