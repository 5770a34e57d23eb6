/**
 * Does the hedge net every pool (ha.mode pools)? The pools' owners publish each pool's delta; the
 * hedge's owner nets them. Sampled about every second from the processes' own states and the venue
 * stand-in, until HEDGE_SETTLED_SAMPLES samples in a row hold or the window closes:
 *
 *   - the hedge owner's net delta is made of every pool (one entry each) and equals the sum of the
 *     deltas each pool's owner shows for it (within NETTING_TOLERANCE: the same numbers, passed on);
 *   - the venue's position is within the hedge band of the hedge's target (what the agent sized
 *     from that net delta).
 *
 * Each sample also carries the target the chain implies (hedgeCheck.ts chainHedgeTarget: hedge
 * ratio × the asset the agent holds), an independent check of the whole chain → delta → hedge path.
 */
import type { AccountingContext } from './accountingCheck.js';
import { fetchAgentState } from './agentState.js';
import { chainHedgeTarget, HEDGE_SETTLED_SAMPLES } from './hedgeCheck.js';
import { fetchShares } from './poolOwners.js';
import type { VenueStandIn } from './venueStandIn.js';

/** How far the hedge owner's net delta may be from the sum of the owners' deltas (relative). */
export const NETTING_TOLERANCE = 0.001;

export interface NettingSample {
  afterMs: number;
  /** Pools the hedge owner's net delta is made of. */
  pools: number;
  netDelta: number;
  /** Σ of each pool's delta as its owner shows it. */
  ownersSum: number;
  /** Pools some process owns and shows a delta for. */
  owned: number;
  target: number;
  venue: number;
  /** |venue − target| / |target|. */
  hedgeError: number;
  chainTarget: number;
  /** |venue − chain target| / |chain target|. */
  chainError: number;
  within: boolean;
}

export interface NettingCheck {
  hedgeOwnerUrl: string;
  /** Every live process: its state URL and pid. */
  processes: { url: string; pid: number }[];
  poolCount: number;
  asset: string;
  marketId: string;
  band: number;
  hedgeRatio: number;
  venue: VenueStandIn;
  chain: AccountingContext;
  origin: number;
  windowMs: number;
  beforeSample?: () => Promise<void>;
}

const rel = (a: number, b: number): number => (b === 0 ? (a === 0 ? 0 : Infinity) : Math.abs(a - b) / Math.abs(b));

async function sample(o: NettingCheck): Promise<NettingSample> {
  const deltas = new Map<string, number>();
  await Promise.all(o.processes.map(async (p) => {
    const own = (await fetchShares(p.url)).find((s) => s.pid === p.pid);
    const mine = new Set(own?.pools ?? []);
    for (const x of (await fetchAgentState(p.url)).positions) {
      const d = x['delta'];
      if (mine.has(x.poolId.toLowerCase()) && typeof d === 'number') deltas.set(x.poolId.toLowerCase(), d);
    }
  }));
  const [owner, report, chainTarget] = await Promise.all([fetchAgentState(o.hedgeOwnerUrl), o.venue.report(), chainHedgeTarget(o.chain, o.hedgeRatio)]);
  const h = owner.hedge?.assets[o.asset];
  // the feed carries the count of pools netted (`pools`); the per-pool record (`deltas`) only in older agents' states
  const netted = typeof h?.['pools'] === 'number' ? h['pools'] : Object.keys((h?.['deltas'] ?? {}) as Record<string, unknown>).length;
  const netDelta = typeof h?.['netDelta'] === 'number' ? h['netDelta'] : NaN;
  const ownersSum = [...deltas.values()].reduce((a, b) => a + b, 0);
  const target = h?.target ?? NaN;
  const venue = report.positions[o.marketId] ?? 0;
  const pools = netted;
  const hedgeError = rel(venue, target);
  const within = pools === o.poolCount && deltas.size === o.poolCount && rel(netDelta, ownersSum) <= NETTING_TOLERANCE && hedgeError <= o.band;
  return { afterMs: Date.now() - o.origin, pools, netDelta, ownersSum, owned: deltas.size, target, venue, hedgeError, chainTarget, chainError: rel(venue, chainTarget), within };
}

/** Samples until HEDGE_SETTLED_SAMPLES in a row hold, or the window closes; returns every sample. */
export async function checkNetting(o: NettingCheck): Promise<NettingSample[]> {
  const samples: NettingSample[] = [];
  for (;;) {
    await o.beforeSample?.();
    samples.push(await sample(o));
    if (nettingSettled(samples) || Date.now() - o.origin >= o.windowMs) return samples;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

export function nettingSettled(samples: NettingSample[]): boolean {
  return samples.length >= HEDGE_SETTLED_SAMPLES && samples.slice(-HEDGE_SETTLED_SAMPLES).every((s) => s.within);
}
