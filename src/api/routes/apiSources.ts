/**
 * What the API's route modules read and drive: the agent's feed (live states), its history
 * database (null when history is off), the agent (manual rolls) and the vault (when one is configured).
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
  /** Where `rangekeeper compare` and `sweep` store their results (api.resultsDir); absent: none shown. */
  researchResultsDir?: string;
  /** The vault's accounting, once a vault is configured (absent: the agent's capital is the vault, and there are no shares). */
  vault?: VaultReader;
}

export interface VaultReader {
  /** A depositor's shares and their value; null when the address holds none. */
  portfolio(address: string): Promise<Record<string, unknown> | null>;
  /** The vault's own figures from the chain and its books (absent: the status is the agent's capital). */
  status?(): Promise<VaultChainStatus>;
}

/** The vault contract's figures: value, shares, position, and the share price's performance. */
export interface VaultChainStatus {
  blockNumber: number;
  totalValueUsd: number;
  totalAssets: string;
  totalSupply: string;
  sharePrice: string;
  position: { tokenId: string; tickLower: number; tickUpper: number; liquidity: string } | null;
  /** Annualized return of the share price over its history (null below an hour). */
  apy: number | null;
  sharpe: number | null;
  maxDrawdown: number | null;
  periodReturn: number | null;
  sharePricePoints: number;
  since: number | null;
  totals: Record<string, string | number>;
}

/** The latest published states of one kind. */
export function statesOf(feed: StateFeed, kind: StateEvent['kind']): StateEvent[] {
  return feed.snapshot().filter((e) => e.kind === kind);
}
