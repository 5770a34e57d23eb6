/**
 * Before the first kill: the agent is started once and left to mint every pool's first position,
 * then stopped cleanly (SIGTERM; not one of the kills). The kills are about rolls, hedges and
 * restarts of an agent that has positions: without this the first kills fell on the first mints
 * and their approvals, and the first cycles checked an agent that had nothing yet.
 */
import { AgentProcess } from './agentProcess.js';
import { fetchAgentState } from './agentState.js';

export interface FirstPositions {
  /** ms from the spawn until every pool had a live position. */
  ms: number;
  /** Token id per pool id. */
  positions: Record<string, string>;
}

/** Starts the agent, waits until every pool in `poolIds` has a position, stops it (see the module comment). */
export async function firstPositions(configFile: string, privateKey: string, poolIds: string[], timeoutMs: number): Promise<FirstPositions> {
  const agent = AgentProcess.start(configFile, privateKey);
  try {
    const stateUrl = await agent.running(timeoutMs);
    const deadline = agent.startedAt + timeoutMs;
    for (;;) {
      const state = await fetchAgentState(stateUrl);
      const positions: Record<string, string> = {};
      for (const id of poolIds) {
        const p = state.positions.find((x) => x.poolId.toLowerCase() === id.toLowerCase());
        if (p !== undefined && p.position !== null && BigInt(p.position.liquidity) > 0n) positions[id] = p.position.tokenId;
      }
      if (Object.keys(positions).length === poolIds.length) return { ms: Date.now() - agent.startedAt, positions };
      if (Date.now() > deadline) throw new Error(`the agent had no position in ${poolIds.length - Object.keys(positions).length} pool(s) ${timeoutMs / 1000} s after its start; last lines: ${agent.tail(3).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await agent.child.stop('SIGTERM');
  }
}
