/**
 * The hedge-follows-the-real-delta check: the perp position the venue stand-in holds against the
 * target a correct agent must hold, computed from the chain — short hedgeRatio × the asset the
 * agent really has (its share of the wallet plus its live positions' principal, see
 * accountingCheck.ts). Sampled every second until it has been within the band for
 * HEDGE_SETTLED_SAMPLES samples in a row (a hedge merely passing through the band while it moves
 * does not count) or the window closes.
 */
import { getAddress, type JsonRpcProvider } from 'ethers';
import { principalByToken, readChainHoldings } from './chainHoldings.js';
import type { AccountingContext } from './accountingCheck.js';
import type { VenueStandIn } from './venueStandIn.js';

export interface HedgeSample {
  /** ms since the window's origin (the agent up and reconciled). */
  afterMs: number;
  /** Target from the chain, and the venue's position, signed base units. */
  target: number;
  venue: number;
  /** |venue − target| / |target|. */
  error: number;
  within: boolean;
}

/** Consecutive in-band samples (about a second apart) that count as the hedge having reached its target. */
export const HEDGE_SETTLED_SAMPLES = 3;

/** Whether the last HEDGE_SETTLED_SAMPLES samples were all within the band. */
export function hedgeSettled(samples: HedgeSample[]): boolean {
  return samples.length >= HEDGE_SETTLED_SAMPLES && samples.slice(-HEDGE_SETTLED_SAMPLES).every((x) => x.within);
}

/** The hedge a correct agent holds now, from the chain (signed, whole units of the asset). */
export async function chainHedgeTarget(ctx: AccountingContext, hedgeRatio: number): Promise<number> {
  const chain = await readChainHoldings(ctx.reader);
  const asset = ctx.pools[0]!.assetIsToken0 ? ctx.pools[0]!.token0 : ctx.pools[0]!.token1;
  const token = getAddress(asset.address);
  let raw = chain.wallet[token]! - ctx.unmanaged[token]!;
  for (const pool of ctx.pools) {
    for (const p of chain.positions) {
      if (p.poolId.toLowerCase() !== pool.poolId.toLowerCase() || p.liquidity === 0n) continue;
      raw += principalByToken(pool, chain.prices[pool.poolId]!, p.tickLower, p.tickUpper, p.liquidity)[token]!;
    }
  }
  return -hedgeRatio * (Number(raw) / 10 ** asset.decimals);
}

/**
 * Samples until the venue's hedge has settled within `band` of the chain's target (see
 * hedgeSettled) or `windowMs` after `origin` (ms since epoch) passed; returns every sample.
 * `beforeSample` runs before each sample (the drill mines the agent's pending transactions there).
 */
export async function checkHedge(
  ctx: AccountingContext, venue: VenueStandIn, marketId: string, hedgeRatio: number, band: number, origin: number, windowMs: number,
  beforeSample: () => Promise<void> = async () => undefined,
): Promise<HedgeSample[]> {
  const t0 = origin;
  const samples: HedgeSample[] = [];
  for (;;) {
    await beforeSample();
    const [target, report] = await Promise.all([chainHedgeTarget(ctx, hedgeRatio), venue.report()]);
    const size = report.positions[marketId] ?? 0;
    const error = target === 0 ? (size === 0 ? 0 : Infinity) : Math.abs(size - target) / Math.abs(target);
    const s: HedgeSample = { afterMs: Date.now() - t0, target, venue: size, error, within: error <= band };
    samples.push(s);
    if (hedgeSettled(samples) || Date.now() - t0 >= windowMs) return samples;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/**
 * Runs `f` with the market held still: anvil stops mining (the simulator's swaps wait in its
 * mempool; reads and the venue keep working), since a target that moves every half second is
 * never 'reached', and a hedge passing through the band by chance proves nothing. (SIGSTOP to the
 * devnet's process, tried first, also stopped it draining anvil's output pipe, and anvil hung on a
 * full pipe.) A saga the agent began just before (a roll's swap mined, its roll transaction then
 * waiting in the stopped mempool) would be held half done, with the chain's target already moved
 * by the swap and the agent's books not yet (they take a saga when it ends): so `f` is handed
 * `mineAgentPending`, which mines one block (with whatever the market sent meanwhile) while the
 * agent (`owner`) has a transaction pending; call it before each sample. Mining resumes after.
 */
export async function withMarketHeld<T>(provider: JsonRpcProvider, owner: string, f: (mineAgentPending: () => Promise<void>) => Promise<T>): Promise<T> {
  await provider.send('evm_setAutomine', [false]);
  const mineAgentPending = async (): Promise<void> => {
    const [pending, mined] = await Promise.all([provider.getTransactionCount(owner, 'pending'), provider.getTransactionCount(owner, 'latest')]);
    if (pending > mined) await provider.send('evm_mine', []);
  };
  try {
    return await f(mineAgentPending);
  } finally {
    await provider.send('evm_setAutomine', [true]);
  }
}
