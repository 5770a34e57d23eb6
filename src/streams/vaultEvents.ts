import { share, type Observable } from 'rxjs';
import { decodeVaultLog, vaultEventTopics, type PlacedVaultEvent, type VaultAddresses } from '../adapters/chain/vault/vaultEvents.js';
import { exactlyOnce } from './exactlyOnce.js';
import { followLogs, type FollowerOptions, type LogSource } from './logFollower.js';
import type { StreamItem } from './streamItem.js';

export type VaultStreamItem = StreamItem<PlacedVaultEvent>;

/** The vault's DepositMade / WithdrawalExecuted / FeesCollected and its hook's PositionCreated / PositionRebalanced / FeesCollected. */
export function vaultLogSource(addresses: VaultAddresses): LogSource<PlacedVaultEvent> {
  const t = vaultEventTopics();
  return { address: [addresses.vault, addresses.hook], topics: [[...t.vault, ...t.hook]], decode: (log) => decodeVaultLog(log, addresses) };
}

/**
 * The vault's and hook's events through the reorg-safe follower, each delivered once (and
 * retracted once if a reorg removes it): the same follower, checkpoints and guarantees as the
 * pool streams. Subscribe every consumer before the first head arrives.
 */
export function vaultEventStream(opts: FollowerOptions & { addresses: VaultAddresses }): Observable<VaultStreamItem> {
  return followLogs(opts, vaultLogSource(opts.addresses)).pipe(exactlyOnce(), share());
}
