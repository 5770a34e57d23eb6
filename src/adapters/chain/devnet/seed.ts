/**
 * Background liquidity for the devnet's pools: several LP accounts add a realistic distribution
 * through PoolModifyLiquidityTest — a full-range position plus concentrated bands of decreasing
 * width around the initial price (more liquidity near the price, like a real ETH/USDC pool).
 * Widths and sizes are jittered by a seeded generator, so each seed gives a different but
 * reproducible book.
 */
import { Contract, toBeHex, zeroPadValue, type JsonRpcProvider } from 'ethers';
import { createSeededRandom, type SeededRandom } from '../../../math/seededRandom.js';
import { maxUsableTick, minUsableTick } from '../../../math/tickMath.js';
import { loadArtifact } from './artifacts.js';
import type { ManifestAccount, ManifestPool, TokenInfo } from './manifest.js';
import { poolKeyTuple } from './pools.js';
import { isCurrency0, quotePriceToTick } from './quotePrice.js';
import { confirmTx } from './setupTx.js';
import { walletFor } from './wallets.js';

/** One band: ±halfWidth around the price (null = full range) holding about `valueQuote` quote tokens of value. */
export interface LiquidityBand {
  halfWidth: number | null;
  valueQuote: number;
}

/** The default book of the 0.05% pool (values in USDC); other pools get it scaled by BAND_SCALE_BY_FEE. */
export const DEFAULT_BANDS: readonly LiquidityBand[] = [
  { halfWidth: null, valueQuote: 2_000_000 },
  { halfWidth: 0.5, valueQuote: 1_500_000 },
  { halfWidth: 0.25, valueQuote: 2_000_000 },
  { halfWidth: 0.1, valueQuote: 3_000_000 },
  { halfWidth: 0.05, valueQuote: 3_000_000 },
  { halfWidth: 0.02, valueQuote: 2_000_000 },
  { halfWidth: 0.01, valueQuote: 1_000_000 },
];

/** Relative size of each fee tier's book (the 0.30% pool is shallower than the 0.05% one). */
export const BAND_SCALE_BY_FEE: Readonly<Record<number, number>> = { 500: 1, 3000: 0.4 };

/** A position the seeder added. */
export interface SeededPosition {
  poolId: string;
  owner: string;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  salt: string;
}

export interface SeedOptions {
  provider: JsonRpcProvider;
  pools: readonly ManifestPool[];
  /** Accounts with role 'liquidity' (they must have approved PoolModifyLiquidityTest). */
  lps: readonly ManifestAccount[];
  base: TokenInfo;
  quote: TokenInfo;
  /** Current price in quote per base (the price pools were initialized at). */
  quotePerBase: number;
  poolModifyLiquidityTest: string;
  seed: number;
  bands?: readonly LiquidityBand[];
}

const MODIFY_LIQUIDITY = 'modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)';

/**
 * Liquidity L of a position on ticks [tickLower, tickUpper] worth `valueToken1` (raw token1
 * units) at raw price `p`: V = L·(2√P − P/√Pb − √Pa) when Pa < P < Pb. Float64 is enough here:
 * the contract takes whatever amounts L needs.
 */
export function liquidityForValue(valueToken1: number, p: number, tickLower: number, tickUpper: number): bigint {
  const sa = Math.sqrt(1.0001 ** tickLower);
  const sb = Math.sqrt(1.0001 ** tickUpper);
  const sp = Math.sqrt(p);
  const perL = sp <= sa ? (1 / sa - 1 / sb) * p : sp >= sb ? sb - sa : 2 * sp - p / sb - sa;
  return BigInt(Math.floor(valueToken1 / perL));
}

function alignDown(tick: number, spacing: number): number {
  return Math.floor(tick / spacing) * spacing;
}

/**
 * The ticks of one band of the book: the full usable range for a full-range band, else
 * ±halfWidth around the price, each side jittered to 80–120% by `rng` (down first, then up: the
 * order fixes a seed's book), aligned to the spacing. `tickAt(f)` is the tick where the asset's
 * quote price is f times today's (it handles token order and decimals).
 */
export function bandTicks(band: LiquidityBand, spacing: number, rng: SeededRandom, tickAt: (factor: number) => number): { tickLower: number; tickUpper: number } {
  if (band.halfWidth === null) return { tickLower: minUsableTick(spacing), tickUpper: maxUsableTick(spacing) };
  const down = band.halfWidth * (0.8 + 0.4 * rng.next());
  const up = band.halfWidth * (0.8 + 0.4 * rng.next());
  const t1 = tickAt(Math.max(1 - down, 0.01));
  const t2 = tickAt(1 + up);
  return {
    tickLower: Math.max(alignDown(Math.min(t1, t2), spacing), minUsableTick(spacing)),
    tickUpper: Math.min(alignDown(Math.max(t1, t2), spacing) + spacing, maxUsableTick(spacing)),
  };
}

/** Adds the background book to every pool; returns the positions it created. */
export async function seedLiquidity(opts: SeedOptions): Promise<SeededPosition[]> {
  const rng = createSeededRandom(opts.seed);
  const bands = opts.bands ?? DEFAULT_BANDS;
  const { base, quote, quotePerBase } = opts;
  if (opts.lps.length === 0) throw new Error('seedLiquidity needs at least one liquidity account');
  const baseIs0 = isCurrency0(base.address, quote.address);
  const rawQuotePerBase = quotePerBase * 10 ** (quote.decimals - base.decimals);
  const rawP = baseIs0 ? rawQuotePerBase : 1 / rawQuotePerBase;

  // Plan every position first (deterministic order), then send them grouped by LP account.
  const plan: { lp: ManifestAccount; pool: ManifestPool; tickLower: number; tickUpper: number; liquidity: bigint; salt: string }[] = [];
  let n = 0;
  for (const pool of opts.pools) {
    const spacing = pool.key.tickSpacing;
    const scale = BAND_SCALE_BY_FEE[pool.key.fee] ?? 0.25;
    for (const band of bands) {
      const { tickLower, tickUpper } = bandTicks(band, spacing, rng, (f) => quotePriceToTick(quotePerBase * f, base, quote));
      const valueQuote = band.valueQuote * scale * (0.7 + 0.6 * rng.next());
      // value in raw token1: quote is token1 when base is token0; otherwise convert to base units.
      const valueToken1 = baseIs0 ? valueQuote * 10 ** quote.decimals : (valueQuote / quotePerBase) * 10 ** base.decimals;
      const liquidity = liquidityForValue(valueToken1, rawP, tickLower, tickUpper);
      const lp = opts.lps[n % opts.lps.length]!;
      plan.push({ lp, pool, tickLower, tickUpper, liquidity, salt: zeroPadValue(toBeHex(n), 32) });
      n++;
    }
  }

  const abi = loadArtifact('PoolModifyLiquidityTest').abi;
  await Promise.all(
    opts.lps.map(async (lp) => {
      const router = new Contract(opts.poolModifyLiquidityTest, abi, walletFor(lp, opts.provider));
      for (const p of plan.filter((x) => x.lp === lp)) {
        await confirmTx(
          `seed liquidity ${p.liquidity} on [${p.tickLower}, ${p.tickUpper}] in pool ${p.pool.id}`,
          router.getFunction(MODIFY_LIQUIDITY)(poolKeyTuple(p.pool.key), [p.tickLower, p.tickUpper, p.liquidity, p.salt], '0x'),
        );
      }
    }),
  );
  return plan.map((p) => ({ poolId: p.pool.id, owner: p.lp.address, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity, salt: p.salt }));
}
