/**
 * Shared by the simulated chain's tests: pool descriptors (asset as token0 and as token1), a
 * chain factory, random operation sequences (fast-check), and an independent replay of those
 * operations on a fresh src/math/pool Pool.
 */
import fc from 'fast-check';
import type { PoolDescriptor } from '../../src/actors/ports.js';
import { getLiquidityForAmounts } from '../../src/math/liquidityAmounts.js';
import { Pool, type BalanceDelta } from '../../src/math/pool/index.js';
import { getSqrtPriceAtTick } from '../../src/math/tickMath.js';
import { humanPriceToSqrtPriceX96 } from '../../src/sim/humanSqrtPrice.js';
import { WHOLE_PRICE_RANGE, openPriceLimit } from '../../src/adapters/chain/swap/exactInQuote.js';
import { planRebalanceOnModel } from '../../src/adapters/chain/swap/rebalancePlan.js';
import {
  SIMULATED_POSITION_MANAGER, SimulatedChain, positionSalt, type BackgroundLiquidityOptions,
} from '../../src/sim/simulatedChain.js';

/** ETH (18 decimals) as token0, USDC (6) as token1, 0.30%. */
export const ETH_USDC: PoolDescriptor = {
  poolId: `0x01${'ab'.repeat(31)}`, asset: 'ETH', assetIsToken0: true, hedgeSymbol: 'ETH/USDT:USDT',
  token0: { symbol: 'ETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 }, fee: 3000, tickSpacing: 60,
};

/** USDC (6) as token0, WETH (18) as token1, 0.05%, as on the devnet when USDC sorts first. */
export const USDC_WETH: PoolDescriptor = {
  poolId: `0x02${'ef'.repeat(31)}`, asset: 'ETH', assetIsToken0: false, hedgeSymbol: 'ETH/USDT:USDT',
  token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: 500, tickSpacing: 10,
};

export const WALLET: Readonly<Record<string, bigint>> = { ETH: 10n ** 24n, WETH: 10n ** 24n, USDC: 10n ** 15n };

/** The pool's human price (token1 per token0) when the asset costs `usd` quote tokens. */
export function poolPrice(desc: PoolDescriptor, usd: number): number {
  return desc.assetIsToken0 ? usd : 1 / usd;
}

export function newChain(desc: PoolDescriptor, usd = 3000, background?: BackgroundLiquidityOptions): SimulatedChain {
  return new SimulatedChain({
    pools: [{ ...desc, price: poolPrice(desc, usd) }],
    balances: { ...WALLET },
    gasPriceWei: 1_000_000_000n,
    now: () => 0,
    ...(background === undefined ? {} : { background }),
  });
}

/** One operation of a random sequence. Ranges are in tick spacings around the current tick. */
export type Op =
  | { kind: 'setPrice'; usd: number }
  | { kind: 'mint'; lowerOffset: number; width: number; usd0: number; usd1: number }
  | { kind: 'roll'; pick: number; lowerOffset: number; width: number }
  | { kind: 'withdraw'; pick: number };

const rangeArb = { lowerOffset: fc.integer({ min: -40, max: 30 }), width: fc.integer({ min: 1, max: 40 }) };

/** One random operation. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('setPrice' as const), usd: fc.double({ min: 2000, max: 4500, noNaN: true }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('mint' as const), ...rangeArb,
      usd0: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.double({ min: 1e-6, max: 50_000, noNaN: true }) }),
      usd1: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.double({ min: 1e-6, max: 50_000, noNaN: true }) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('roll' as const), pick: fc.nat(), ...rangeArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }) },
);

/** Raw amounts worth about usd0 / usd1 of each token (the asset at 3000). */
export function amountsFor(desc: PoolDescriptor, usd0: number, usd1: number): { amount0: bigint; amount1: bigint } {
  const raw = (usd: number, t: { symbol: string; decimals: number }, isAsset: boolean): bigint =>
    BigInt(Math.floor((isAsset ? usd / 3000 : usd) * 10 ** t.decimals));
  return { amount0: raw(usd0, desc.token0, desc.assetIsToken0), amount1: raw(usd1, desc.token1, !desc.assetIsToken0) };
}

/** An aligned range around `tick`. */
export function rangeAround(desc: PoolDescriptor, tick: number, lowerOffset: number, width: number): { tickLower: number; tickUpper: number } {
  const s = desc.tickSpacing;
  const tickLower = (Math.floor(tick / s) + lowerOffset) * s;
  return { tickLower, tickUpper: tickLower + width * s };
}

/** Results of the replay, in the chain's terms. */
export interface ReplayMint { liquidity: bigint; amount0: bigint; amount1: bigint }
export interface ReplayWithdraw { amount0: bigint; amount1: bigint; fees0: bigint; fees1: bigint }
export interface ReplayRoll { liquidity: bigint; amount0: bigint; amount1: bigint; fees0: bigint; fees1: bigint; returned0: bigint; returned1: bigint }

const neg = (d: BalanceDelta): { amount0: bigint; amount1: bigint } => ({ amount0: -d.amount0, amount1: -d.amount1 });

/**
 * The same operations on a fresh Pool, written from the v4 rules (not from the chain's code):
 * initialize, the other LPs' positions, market swaps to the target price, getLiquidityForAmounts
 * + modifyLiquidity for mints, modifyLiquidity(−L) for withdrawals, and for a roll: withdraw,
 * the re-balancing swap the on-chain port's planner (planRebalanceOnModel) asks for, mint. Each
 * operation works on a copy that replaces the pool only if it succeeds.
 */
export class Replay {
  pool: Pool;
  readonly wallet: { amount0: bigint; amount1: bigint };

  constructor(readonly desc: PoolDescriptor, usd: number, background: readonly { owner: string; salt: string; tickLower: number; tickUpper: number; liquidity: bigint }[]) {
    this.pool = new Pool({ tickSpacing: desc.tickSpacing, fee: desc.fee });
    this.pool.initialize(humanPriceToSqrtPriceX96(poolPrice(desc, usd), desc.token0.decimals, desc.token1.decimals));
    for (const b of background) this.pool.modifyLiquidity({ owner: b.owner, tickLower: b.tickLower, tickUpper: b.tickUpper, liquidityDelta: b.liquidity, salt: b.salt });
    this.wallet = { amount0: WALLET[desc.token0.symbol]!, amount1: WALLET[desc.token1.symbol]! };
  }

  private atomically<T>(f: (p: Pool, w: { amount0: bigint; amount1: bigint }) => T): T {
    const p = this.pool.clone();
    const w = { ...this.wallet };
    const out = f(p, w);
    if (w.amount0 < 0n || w.amount1 < 0n) throw new Error('replay: wallet overdrawn');
    this.pool = p;
    Object.assign(this.wallet, w);
    return out;
  }

  get tick(): number {
    return this.pool.getSlot0().tick;
  }

  setPrice(usd: number): void {
    const target = humanPriceToSqrtPriceX96(poolPrice(this.desc, usd), this.desc.token0.decimals, this.desc.token1.decimals);
    const current = this.pool.getSlot0().sqrtPriceX96;
    if (target === current) return;
    // a different (but ample) amount than the chain's: with the limit binding, the result is the same
    this.pool.swap({ zeroForOne: target < current, amountSpecified: -(1n << 120n), sqrtPriceLimitX96: target });
  }

  private static mintOn(p: Pool, w: { amount0: bigint; amount1: bigint }, tokenId: string, tickLower: number, tickUpper: number, max0: bigint, max1: bigint): ReplayMint {
    const liquidity = getLiquidityForAmounts(p.getSlot0().sqrtPriceX96, getSqrtPriceAtTick(tickLower), getSqrtPriceAtTick(tickUpper), max0, max1);
    if (liquidity === 0n) throw new Error('replay: no liquidity');
    const r = p.modifyLiquidity({ owner: SIMULATED_POSITION_MANAGER, tickLower, tickUpper, liquidityDelta: liquidity, salt: positionSalt(tokenId) });
    w.amount0 += r.callerDelta.amount0;
    w.amount1 += r.callerDelta.amount1;
    return { liquidity, ...neg(r.callerDelta) };
  }

  private static burnOn(p: Pool, w: { amount0: bigint; amount1: bigint }, tokenId: string, tickLower: number, tickUpper: number, liquidity: bigint): ReplayWithdraw {
    const r = p.modifyLiquidity({ owner: SIMULATED_POSITION_MANAGER, tickLower, tickUpper, liquidityDelta: -liquidity, salt: positionSalt(tokenId) });
    w.amount0 += r.callerDelta.amount0;
    w.amount1 += r.callerDelta.amount1;
    return { amount0: r.principalDelta.amount0, amount1: r.principalDelta.amount1, fees0: r.feesAccrued.amount0, fees1: r.feesAccrued.amount1 };
  }

  mint(tokenId: string, tickLower: number, tickUpper: number, max0: bigint, max1: bigint): ReplayMint {
    return this.atomically((p, w) => Replay.mintOn(p, w, tokenId, tickLower, tickUpper, max0, max1));
  }

  withdraw(tokenId: string, tickLower: number, tickUpper: number, liquidity: bigint): ReplayWithdraw {
    return this.atomically((p, w) => Replay.burnOn(p, w, tokenId, tickLower, tickUpper, liquidity));
  }

  roll(old: { tokenId: string; tickLower: number; tickUpper: number; liquidity: bigint }, newTokenId: string, tickLower: number, tickUpper: number): ReplayRoll {
    return this.atomically((p, w) => {
      const b = Replay.burnOn(p, w, old.tokenId, old.tickLower, old.tickUpper, old.liquidity);
      let avail0 = b.amount0 + b.fees0;
      let avail1 = b.amount1 + b.fees1;
      const have = { amount0: avail0, amount1: avail1 };
      const s = planRebalanceOnModel({ pool: p, knownRange: WHOLE_PRICE_RANGE }, have, { tickLower, tickUpper }, have);
      if (s !== null) {
        const r = p.swap({ zeroForOne: s.zeroForOne, amountSpecified: -s.amountIn, sqrtPriceLimitX96: openPriceLimit(s.zeroForOne) });
        w.amount0 += r.amount0;
        w.amount1 += r.amount1;
        avail0 += r.amount0;
        avail1 += r.amount1;
      }
      const m = Replay.mintOn(p, w, newTokenId, tickLower, tickUpper, avail0, avail1);
      return { ...m, fees0: b.fees0, fees1: b.fees1, returned0: avail0 - m.amount0, returned1: avail1 - m.amount1 };
    });
  }
}

/** A random operation sequence, long enough for positions to live through several moves. */
export const opsArb: fc.Arbitrary<Op[]> = fc.array(opArb, { minLength: 5, maxLength: 40, size: 'medium' });
