/**
 * Who owns what in an agent whose pools are spread over processes (ha.mode pools), from one
 * process's state snapshot: each process's role entry `ha/<host:pid>` (mirrored to every process)
 * names the pools it holds and whether it holds the hedge. Parsed with zod: only what the drill
 * reads.
 */
import { z } from 'zod';
import { fetchStateEvents } from './agentState.js';

const roleSchema = z.looseObject({
  mode: z.literal('pools'),
  holder: z.string(),
  members: z.array(z.string()),
  pools: z.array(z.looseObject({ poolId: z.string(), fencingToken: z.number(), adoptedAt: z.number().nullable() })),
  hedge: z.looseObject({ fencingToken: z.number() }).nullable(),
});

export interface ProcessShare {
  /** "host:pid", as the processes name each other. */
  holder: string;
  pid: number;
  /** Pool ids it holds and has adopted (lower case). */
  pools: string[];
  hedge: boolean;
  members: string[];
}

/** The pid in a holder name "host:pid". */
export function holderPid(holder: string): number {
  return Number(holder.slice(holder.lastIndexOf(':') + 1));
}

/** Every process's share as the process at `stateUrl` shows it (its own entry and the mirrored ones). */
export async function fetchShares(stateUrl: string): Promise<ProcessShare[]> {
  const out: ProcessShare[] = [];
  for (const e of await fetchStateEvents(stateUrl)) {
    if (e.kind !== 'ha' || !e.actor.startsWith('ha/')) continue;
    const r = roleSchema.safeParse(e.state);
    if (!r.success) continue;
    out.push({
      holder: r.data.holder, pid: holderPid(r.data.holder), members: r.data.members, hedge: r.data.hedge !== null,
      pools: r.data.pools.filter((p) => p.adoptedAt !== null).map((p) => p.poolId.toLowerCase()),
    });
  }
  return out;
}
