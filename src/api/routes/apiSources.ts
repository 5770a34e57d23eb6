/**
 * What the API's route modules read and drive: the agent's feed (live states), its history
 * database (null when history is off), the agent (manual rolls) and the vault (none yet).
 */
import type { StateEvent, StateFeed } from '../../actors/core/stateFeed.js';
import type { ManualRollResult, PoolSettingsPatch, PositionState, TickRange } from '../../actors/position/positionActor.js';
import type { SqlDatabase } from '../../adapters/history/sqlDatabase.js';

export interface ApiSources {
  agentId: string;
  feed: StateFeed;
  /** The open, migrated history database; null when the history is disabled. */
  history: { database(): Promise<SqlDatabase> } | null;
  /** Pools the agent manages, by id. */
  poolIds: () => string[];
  rebalance(poolId: string, range: TickRange | null, by: string): Promise<ManualRollResult>;
  /** An operator's per-pool settings, applied by the pool's PositionActor; the position's state after. */
  poolSettings(poolId: string, patch: PoolSettingsPatch, by: string): Promise<PositionState>;
  /** The vault's accounting, once a vault is configured (absent: the agent's capital is the vault, and there are no shares). */
  vault?: VaultReader;
}

export interface VaultReader {
  /** A depositor's shares and their value; null when the address holds none. */
  portfolio(address: string): Promise<Record<string, unknown> | null>;
}

/** The latest published states of one kind. */
export function statesOf(feed: StateFeed, kind: StateEvent['kind']): StateEvent[] {
  return feed.snapshot().filter((e) => e.kind === kind);
}
