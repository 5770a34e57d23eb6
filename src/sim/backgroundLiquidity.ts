/**
 * The other LPs of a simulated pool: the same book the devnet seeds (src/adapters/chain/devnet/
 * seed.ts) — a full-range position plus concentrated bands of decreasing width around the
 * initial price, more liquidity near the price, values in the quote token jittered by a seeded
 * generator and scaled by fee tier — planned here as positions the simulated pool adds at
 * start-up. With the default book an agent position of tens of thousands of quote tokens is a
 * small minority of the in-range liquidity, as it would be in a real ETH/USDC pool.
 */
import type { PoolDescriptor } from '../actors/ports.js';
import { LOG_TICK_BASE, sqrtPriceX96ToPrice } from '../math/priceTick.js';
import { createSeededRandom } from '../math/seededRandom.js';
import { MAX_TICK, MIN_TICK } from '../math/tickMath.js';
import { BAND_SCALE_BY_FEE, DEFAULT_BANDS, bandTicks, liquidityForValue, type LiquidityBand } from '../adapters/chain/devnet/seed.js';

export type { LiquidityBand } from '../adapters/chain/devnet/seed.js';

export interface BackgroundLiquidityOptions {
  /**
   * Bands around the initial price: ±halfWidth (null = full range) holding about `valueQuote`
   * whole quote tokens (the token that is not the pool's asset). Default: the devnet's book
   * (DEFAULT_BANDS, about 14.5 M quote tokens for a 0.05% pool). [] = no other LPs.
   */
  bands?: readonly LiquidityBand[];
  /** Multiplies every band's value (default 1); the fee tier's BAND_SCALE_BY_FEE applies too. */
  scale?: number;
  /** Seed of the width and size jitter (default 1). */
  seed?: number;
}

/** A position of another LP in a simulated pool. */
export interface BackgroundPosition {
  owner: string;
  /** bytes32 hex. */
  salt: string;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
}

function tickOfRawPrice(raw: number): number {
  const t = Math.floor(Math.log(raw) / LOG_TICK_BASE);
  return Math.min(Math.max(t, MIN_TICK), MAX_TICK);
}

/** The address of the background LP of band `i`. */
export function backgroundOwner(i: number): string {
  return `0x${(0xb6000 + i).toString(16).padStart(40, '0')}`;
}

/** Plans the other LPs' positions of a pool initialized at sqrtPriceX96 (deterministic for a seed). */
export function planBackgroundLiquidity(desc: PoolDescriptor, sqrtPriceX96: bigint, o: BackgroundLiquidityOptions = {}): BackgroundPosition[] {
  const rng = createSeededRandom(o.seed ?? 1);
  const bands = o.bands ?? DEFAULT_BANDS;
  const scale = (BAND_SCALE_BY_FEE[desc.fee] ?? 0.25) * (o.scale ?? 1);
  const spacing = desc.tickSpacing;
  const rawP = sqrtPriceX96ToPrice(sqrtPriceX96);
  // the asset's quote price moves by a factor f ⇒ the raw pool price by f (asset = token0) or 1/f
  const rawAt = (f: number): number => (desc.assetIsToken0 ? rawP * f : rawP / f);
  const out: BackgroundPosition[] = [];
  bands.forEach((band, i) => {
    const { tickLower, tickUpper } = bandTicks(band, spacing, rng, (f) => tickOfRawPrice(rawAt(f)));
    const valueQuote = band.valueQuote * scale * (0.7 + 0.6 * rng.next());
    // value in raw token1: the quote is token1 when the asset is token0, else token0 priced at rawP
    const valueToken1 = desc.assetIsToken0 ? valueQuote * 10 ** desc.token1.decimals : valueQuote * 10 ** desc.token0.decimals * rawP;
    if (tickLower >= tickUpper || !(valueToken1 > 0) || !Number.isFinite(valueToken1)) return;
    const liquidity = liquidityForValue(valueToken1, rawP, tickLower, tickUpper);
    if (liquidity <= 0n) return;
    out.push({ owner: backgroundOwner(i), salt: `0x${i.toString(16).padStart(64, '0')}`, tickLower, tickUpper, liquidity });
  });
  return out;
}
