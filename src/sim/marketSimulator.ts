/**
 * A seeded market for the simulated chain: the reference price of an asset follows a geometric
 * random walk with optional drift, ticking on a timer; each tick moves the reference (prices$),
 * and the pools that trade the asset follow it: SimulatedChain.setPrice, an outside trader's
 * exact swap through the pool to that price, paying the pool fee to its in-range LPs. Used by
 * `npm start` when no devnet is available and by demos; deterministic for a given seed.
 */
import { Subject, type Observable } from 'rxjs';
import { gbmStep } from '../math/priceProcess.js';
import { createSeededRandom, type SeededRandom } from '../math/seededRandom.js';
import type { SimulatedChain } from './simulatedChain.js';

export interface MarketTick {
  asset: string;
  price: number;
  at: number;
}

export interface MarketSimulatorOptions {
  asset: string;
  startPrice: number;
  /** Pools (on `chain`) that follow this asset's price; a pool whose asset is token1 gets 1/price. */
  pools: { poolId: string; assetIsToken0: boolean }[];
  chain: SimulatedChain;
  /** Per-tick volatility of ln(price) (0.003 = 0.3%). */
  tickVolatility: number;
  /** Per-tick drift of ln(price). */
  tickDrift: number;
  tickMs: number;
  seed: number;
}

export class MarketSimulator {
  private readonly subject = new Subject<MarketTick>();
  private readonly rng: SeededRandom;
  private timer: NodeJS.Timeout | null = null;
  private current: number;
  /** Reference prices, one per tick (hot). */
  readonly prices$: Observable<MarketTick> = this.subject.asObservable();

  constructor(private readonly o: MarketSimulatorOptions) {
    this.rng = createSeededRandom(o.seed);
    this.current = o.startPrice;
  }

  get price(): number {
    return this.current;
  }

  /** Advances one tick: moves the reference and the pools. */
  step(): MarketTick {
    this.current = gbmStep(this.current, { mean: this.o.tickDrift, sd: this.o.tickVolatility }, this.rng.nextNormal());
    return this.set(this.current);
  }

  /** Sets the price outright (tests, scripted scenarios). */
  set(price: number): MarketTick {
    this.current = price;
    const tick = { asset: this.o.asset, price, at: Date.now() };
    this.subject.next(tick);
    for (const p of this.o.pools) this.o.chain.setPrice(p.poolId, p.assetIsToken0 ? price : 1 / price);
    return tick;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.step(), this.o.tickMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.subject.complete();
  }
}
