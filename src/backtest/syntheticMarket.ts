/**
 * Synthetic markets for backtests and compare runs: a seeded price path that follows geometric
 * Brownian motion, or Merton's jump diffusion (GBM plus Poisson-arriving log-normal jumps, the
 * drift compensated so that E[S] still grows at μ). The same seed gives the same path; the steps
 * are exact in distribution (src/math/priceProcess.ts, shared with the devnet's reference price).
 */
import { InvalidPriceError } from '../adapters/chain/devnet/errors.js';
import { SECONDS_PER_YEAR, gbmLogStep, gbmStep, jumpCompensator, jumpDiffusionStep, type JumpParams } from '../math/priceProcess.js';
import { createSeededRandom } from '../math/seededRandom.js';

/** One point of a price path: `time` in ms since the Unix epoch (simulated clock), `price` in quote per base. */
export interface PricePoint {
  time: number;
  price: number;
}

export interface SyntheticMarketOptions {
  /** First price of the path (quote per base, e.g. 3000 USDC/WETH). */
  initialPrice: number;
  /** Annualized volatility σ of the diffusion (0.8 = 80%/year). */
  sigma: number;
  /** Annualized drift μ of the price (0 = driftless in expectation). */
  drift?: number;
  /** Simulated seconds between consecutive points. */
  stepSeconds: number;
  /** Seed of the random draws: the same seed gives the same path. */
  seed: number;
  /** Simulated time of the first point, ms since epoch; default 0. */
  startTime?: number;
  /** Merton jumps; absent = pure GBM. */
  jumps?: JumpParams;
}

/** Throws RangeError naming the option unless `value` is finite and within [min, ∞) (or > min if strict). */
export function requireAtLeast(name: string, value: number, min: number, strict: boolean): void {
  if (!Number.isFinite(value) || (strict ? value <= min : value < min)) {
    throw new RangeError(`${name} must be a finite number ${strict ? '>' : '>='} ${min}, got ${value}`);
  }
}

/**
 * An endless price path: the first point is the initial price, then one point every
 * `stepSeconds`. Throws InvalidPriceError for a bad initial price and RangeError for a bad option.
 */
export function* syntheticPricePath(opts: SyntheticMarketOptions): Generator<PricePoint, never> {
  if (!Number.isFinite(opts.initialPrice) || opts.initialPrice <= 0) throw new InvalidPriceError(opts.initialPrice);
  requireAtLeast('sigma', opts.sigma, 0, false);
  requireAtLeast('stepSeconds', opts.stepSeconds, 0, true);
  const drift = opts.drift ?? 0;
  requireAtLeast('drift', drift, -Infinity, false);
  const jumps = opts.jumps;
  if (jumps !== undefined) {
    requireAtLeast('jumps.intensity', jumps.intensity, 0, false);
    requireAtLeast('jumps.sdLogJump', jumps.sdLogJump, 0, false);
    requireAtLeast('jumps.meanLogJump', jumps.meanLogJump, -Infinity, false);
  }
  const rng = createSeededRandom(opts.seed);
  const dt = opts.stepSeconds / SECONDS_PER_YEAR;
  const diffusion = gbmLogStep(opts.sigma, drift, dt);
  const step = jumps === undefined ? diffusion : { mean: diffusion.mean + jumpCompensator(jumps, dt), sd: diffusion.sd };
  let time = opts.startTime ?? 0;
  let price = opts.initialPrice;
  for (;;) {
    yield { time, price };
    price = jumps === undefined ? gbmStep(price, step, rng.nextNormal()) : jumpDiffusionStep(price, step, jumps, dt, rng);
    time += opts.stepSeconds * 1000;
  }
}

/** The first `count` points of a synthetic path, as an array. */
export function syntheticMarket(opts: SyntheticMarketOptions, count: number): PricePoint[] {
  requireAtLeast('count', count, 0, true);
  const out: PricePoint[] = [];
  for (const p of syntheticPricePath(opts)) {
    if (out.length >= count) break;
    out.push(p);
  }
  return out;
}
