/**
 * The agent's output as the drill reads it: pino JSON log lines (level, msg and fields) and the
 * plain "rangekeeper running … state feed ws://…" line, parsed with zod. Any other line is ignored.
 */
import { z } from 'zod';

export const agentLogLineSchema = z.looseObject({
  level: z.number(),
  time: z.number(),
  msg: z.string(),
});
export type AgentLogLine = z.infer<typeof agentLogLineSchema>;

/** The pino line on `line`, or undefined. */
export function parseAgentLog(line: string): AgentLogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const r = agentLogLineSchema.safeParse(JSON.parse(line));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state snapshot URL from the agent's "running" line, or undefined for any other line (the
 * line may end with its lease, or, with ha.mode pools, the holder name it shares the pools as).
 */
export function parseRunningLine(line: string): string | undefined {
  const m = /^rangekeeper running \([^)]*\): state feed (ws:\/\/[^/\s]+)\/ws(?: \(active, lease token \d+\)| \(pools shared with the other processes as [^)\s]+\))?\s*$/.exec(line);
  return m === null ? undefined : `${m[1]!.replace(/^ws:/, 'http:')}/api/v1/state`;
}

/** The standby's state snapshot URL from its "rangekeeper standby" line (high availability), or undefined. */
export function parseStandbyLine(line: string): string | undefined {
  const m = /^rangekeeper standby \(.*state (http:\/\/[^/\s]+\/api\/v1\/state)\s*$/.exec(line);
  return m === null ? undefined : m[1];
}

/** Log messages of the moments the drill kills at. */
export const LOG = {
  /** The roll's re-balancing swap is mined, the roll transaction not yet sent. */
  rebalancingSwap: 'roll re-balancing swap',
  hedgeOrderPlaced: 'hedge order placed',
  /** Start-up reconciliation of one pool's position is done (more may follow). */
  reconciled: 'position reconciled with chain',
  minted: 'position minted',
  rolled: 'range rolled',
  /** A roll that failed (after its swap, the swap stays done). */
  rollFailed: 'roll failed',
  agentStarted: 'agent started',
  /** ha.mode pools: a pool (or the hedge) taken and its start-up reconciliation done (fields group, item, adoptMs). */
  itemAdopted: 'lease shares: item adopted',
} as const;
