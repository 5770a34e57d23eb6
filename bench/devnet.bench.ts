/**
 * The local devnet.
 * 1. Start-to-ready time of startDevnet (anvil + deploy the v4 stack + 2 pools + funding + a
 *    14-position liquidity book), median of 5, next to a bare anvil start-to-listening measured
 *    in the same run (median of 5): the ratio is what deployment and seeding add.
 * 2. Simulated market throughput on automine: mined swaps per second for the simulator's step
 *    (per pool: 2 noise trades then an arbitrage to a new GBM price), 2 pools, 30 steps, no reference.
 */
import { startAnvil } from '../src/adapters/chain/devnet/anvil.js';
import { startDevnet } from '../src/adapters/chain/devnet/devnet.js';
import { accountWithRole } from '../src/adapters/chain/devnet/manifest.js';
import { createArbitrageur } from '../src/adapters/chain/devnet/simulator/arbitrageur.js';
import { createNoiseTrader } from '../src/adapters/chain/devnet/simulator/noiseTrader.js';
import { PoolSwapper } from '../src/adapters/chain/devnet/simulator/poolSwapper.js';
import { gbmPath } from '../src/adapters/chain/devnet/simulator/referencePrice.js';
import { walletFor } from '../src/adapters/chain/devnet/wallets.js';
import { createSeededRandom } from '../src/math/seededRandom.js';
import { createLogger } from '../src/logging/logger.js';
import { result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const RUNS = 5;
const quiet = createLogger({ name: 'bench', level: 'silent' });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeIt(f: () => Promise<{ stop(): Promise<void> }>): Promise<number> {
  const t0 = performance.now();
  const x = await f();
  const ms = performance.now() - t0;
  await x.stop();
  return ms;
}

export const devnetSuite: Suite = {
  name: 'devnet',
  async run(emit) {
    const out: BenchResult[] = [];
    const push = (r: BenchResult): void => {
      out.push(r);
      emit(r);
    };
    const bare: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(await timeIt(() => startAnvil({ port: 0 })));
      full.push(await timeIt(() => startDevnet({ port: 0, logger: quiet })));
    }
    push(result('devnet start-to-ready (ref: bare anvil start)', median(full), median(bare), 'ms', `median of ${RUNS}`));

    const devnet = await startDevnet({ port: 0, logger: quiet });
    try {
      const { manifest, provider } = devnet;
      const swapper = new PoolSwapper(manifest, provider);
      const arb = createArbitrageur({ manifest, provider, swapper, signer: walletFor(accountWithRole(manifest, 'arbitrageur'), provider) });
      const noiseSigners = manifest.accounts.filter((a) => a.role === 'noise').map((a) => walletFor(a, provider));
      const noise = createNoiseTrader(manifest, swapper, noiseSigners, createSeededRandom(7));
      const path = gbmPath({ initialPrice: 3000, sigma: 0.8, stepSeconds: 60, seed: 3 });
      path.next();
      let swaps = 0;
      const t0 = performance.now();
      for (let step = 0; step < 30; step++) {
        const price = path.next().value.price;
        for (const pool of manifest.pools) {
          for (let i = 0; i < 2; i++) {
            await noise.trade(pool, price);
            swaps++;
          }
          if ((await arb.align(pool, price)) !== null) swaps++;
        }
      }
      const secs = (performance.now() - t0) / 1000;
      push(result('devnet simulated swaps/s (noise + arbitrage, automine)', swaps / secs, null, 'swaps/s', `${swaps} swaps in 30 steps`));
    } finally {
      await devnet.stop();
    }
    return out;
  },
};
