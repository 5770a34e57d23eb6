/**
 * The devnet's simulated market: a reference price stream (seeded GBM or a replayed recording)
 * and, at each new price, a few noise trades in every pool followed by an arbitrage swap that
 * puts each pool exactly at the reference price. Steps run one at a time; when the chain is
 * slower than the price stream, intermediate prices are skipped and the next step uses the latest.
 */
import type { JsonRpcProvider } from 'ethers';
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { Logger } from '../../../../logging/logger.js';
import { createSeededRandom } from '../../../../math/seededRandom.js';
import type { DevnetManifest } from '../manifest.js';
import { walletFor } from '../wallets.js';
import { createArbitrageur } from './arbitrageur.js';
import { createNoiseTrader, type NoiseTraderOptions } from './noiseTrader.js';
import { PoolSwapper, type SimSwap } from './poolSwapper.js';
import { gbmPrice$, pacedPrices, referencePriceFeed, type PricePoint } from './referencePrice.js';

export interface MarketSimulatorOptions {
  manifest: DevnetManifest;
  provider: JsonRpcProvider;
  logger: Logger;
  /** Seed of the GBM path and of the noise traders; default 1. */
  seed?: number;
  /** GBM start price (USDC per WETH); default 3000. */
  initialPrice?: number;
  /** GBM annualized volatility; default 0.8. */
  sigma?: number;
  /** GBM annualized drift; default 0. */
  drift?: number;
  /** Simulated seconds per price step; default 60. */
  stepSeconds?: number;
  /** Wall-clock ms between price steps; default 1000. */
  intervalMs?: number;
  /** Stop the price path after this many points; default endless (GBM) or the whole recording. */
  maxPoints?: number;
  /** Replay these points (e.g. from readPriceCsv) instead of a GBM path. */
  path?: readonly PricePoint[];
  /** Use this price stream as the reference instead (it is shared by the simulator). */
  price$?: Observable<PricePoint>;
  /** Noise trades per pool per step; default 2. */
  noiseTradesPerStep?: number;
  noise?: NoiseTraderOptions;
  /**
   * Send a step's trades concurrently (all noise trades, then all arbitrage swaps), so a step
   * takes two blocks instead of one block per trade when blocks are timed. Default false: one
   * trade at a time, which on automine gives the same chain history for the same seed.
   */
  concurrent?: boolean;
}

/** A swap made by the simulator, tagged with who made it. */
export type SimulatorSwap = SimSwap & { kind: 'arbitrage' | 'noise'; referencePrice: number };

export interface SimulatorStats {
  steps: number;
  arbitrageSwaps: number;
  noiseSwaps: number;
  errors: number;
  lastPrice: PricePoint | undefined;
}

/** A running market simulator. */
export interface MarketSimulator {
  /** The shared reference price: subscribe to follow the market (paper exchange, dashboard). */
  readonly price$: Observable<PricePoint>;
  /** Every swap the simulator makes, once mined. */
  readonly swaps$: Observable<SimulatorSwap>;
  /** Resolves when the price source has completed and the last step is done (or after stop()). */
  readonly done: Promise<void>;
  stats(): SimulatorStats;
  /** Stops following prices and waits for the step in flight. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the simulated market on a devnet. */
export function startMarketSimulator(opts: MarketSimulatorOptions): MarketSimulator {
  const log = opts.logger.child({ component: 'market-simulator' });
  const seed = opts.seed ?? 1;
  const source =
    opts.price$ ??
    (opts.path !== undefined
      ? pacedPrices(opts.path, { intervalMs: opts.intervalMs ?? 1000, ...(opts.maxPoints === undefined ? {} : { maxPoints: opts.maxPoints }) })
      : gbmPrice$({
        initialPrice: opts.initialPrice ?? 3000,
        sigma: opts.sigma ?? 0.8,
        drift: opts.drift ?? 0,
        stepSeconds: opts.stepSeconds ?? 60,
        seed,
        startTime: Date.now(),
        intervalMs: opts.intervalMs ?? 1000,
        ...(opts.maxPoints === undefined ? {} : { maxPoints: opts.maxPoints }),
      }));
  const price$ = referencePriceFeed(source);
  const swaps = new Subject<SimulatorSwap>();
  const swapper = new PoolSwapper(opts.manifest, opts.provider);
  const arbAccount = opts.manifest.accounts.find((a) => a.role === 'arbitrageur');
  if (arbAccount === undefined) throw new Error('devnet manifest has no arbitrageur account');
  const arbitrageur = createArbitrageur({ manifest: opts.manifest, provider: opts.provider, swapper, signer: walletFor(arbAccount, opts.provider) });
  const noiseSigners = opts.manifest.accounts.filter((a) => a.role === 'noise').map((a) => walletFor(a, opts.provider));
  const noiseCount = noiseSigners.length === 0 ? 0 : (opts.noiseTradesPerStep ?? 2);
  const noise = noiseCount === 0 ? undefined : createNoiseTrader(opts.manifest, swapper, noiseSigners, createSeededRandom(seed ^ 0x5eed), opts.noise ?? {});

  const stats: SimulatorStats = { steps: 0, arbitrageSwaps: 0, noiseSwaps: 0, errors: 0, lastPrice: undefined };
  let latest: PricePoint | undefined;
  let pending = false;
  let stopped = false;
  let sourceDone = false;
  let running: Promise<void> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const attempt = async (what: string, f: () => Promise<SimSwap | null>, kind: SimulatorSwap['kind'], p: PricePoint): Promise<void> => {
    try {
      const s = await f();
      if (s === null) return;
      if (kind === 'arbitrage') stats.arbitrageSwaps++;
      else stats.noiseSwaps++;
      swaps.next({ ...s, kind, referencePrice: p.price });
    } catch (err) {
      stats.errors++;
      if (!stopped) log.warn({ err, what, price: p.price }, 'simulated trade failed');
    }
  };

  const step = async (p: PricePoint): Promise<void> => {
    const pools = opts.manifest.pools;
    if (opts.concurrent === true) {
      await Promise.all(pools.flatMap((pool) => Array.from({ length: noiseCount }, () => attempt(`noise trade in ${pool.id}`, () => noise!.trade(pool, p.price), 'noise', p))));
      if (stopped) return;
      await Promise.all(pools.map((pool) => attempt(`arbitrage in ${pool.id}`, () => arbitrageur.align(pool, p.price), 'arbitrage', p)));
    } else {
      for (const pool of pools) {
        for (let i = 0; i < noiseCount && !stopped; i++) await attempt(`noise trade in ${pool.id}`, () => noise!.trade(pool, p.price), 'noise', p);
        if (stopped) return;
        await attempt(`arbitrage in ${pool.id}`, () => arbitrageur.align(pool, p.price), 'arbitrage', p);
      }
    }
    stats.steps++;
    stats.lastPrice = p;
    log.debug({ price: p.price, steps: stats.steps }, 'market step');
  };

  const finishIfDone = (): void => {
    if (running === undefined && (stopped || (sourceDone && !pending))) {
      swaps.complete();
      resolveDone();
    }
  };

  const kick = (): void => {
    if (running !== undefined || stopped) return;
    running = (async () => {
      while (pending && !stopped && latest !== undefined) {
        pending = false;
        await step(latest);
      }
    })().finally(() => {
      running = undefined;
      finishIfDone();
    });
  };

  const sub: Subscription = price$.subscribe({
    next: (p) => {
      latest = p;
      pending = true;
      kick();
    },
    error: (err: unknown) => {
      log.error({ err }, 'reference price stream failed; simulator stops');
      sourceDone = true;
      finishIfDone();
    },
    complete: () => {
      sourceDone = true;
      finishIfDone();
    },
  });
  log.info({ pools: opts.manifest.pools.length, noiseTradesPerStep: noiseCount }, 'market simulator started');

  let stopping: Promise<void> | undefined;
  return {
    price$,
    swaps$: swaps.asObservable(),
    done,
    stats: () => ({ ...stats }),
    stop() {
      stopping ??= (async () => {
        stopped = true;
        sub.unsubscribe();
        await running;
        finishIfDone();
        await done;
      })();
      return stopping;
    },
  };
}
