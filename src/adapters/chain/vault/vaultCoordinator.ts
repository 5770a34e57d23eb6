/**
 * The agent's side of the vault: the vault's and hook's events come through the reorg-safe
 * follower into the ledger (each applied once, across restarts, WebSocket drops and reorgs), and
 * every deposit or withdrawal tells the vault pool's PositionActor (a deposit with `deploy`: the
 * actor puts it into the range at the next safe moment; a withdrawal: the vault has already
 * served it on chain; either way the actor re-reads the vault's position, idle tokens and capital). The share
 * price is sampled on each event and every `sampleMs` for the vault's performance figures.
 */
import { Contract, type Provider } from 'ethers';
import type { Observable, Subscription } from 'rxjs';
import type { Logger } from '../../../logging/logger.js';
import type { Store } from '../../store/store.js';
import { vaultEventStream } from '../../../streams/vaultEvents.js';
import { loadVaultArtifact } from './artifacts.js';
import { LedgerCheckpointStore, VaultLedger } from './vaultLedger.js';
import type { VaultAddresses } from './vaultEvents.js';

export interface VaultCoordinatorOptions {
  provider: Provider;
  addresses: VaultAddresses;
  store: Store;
  /** Store keys are `${keyPrefix}books` and `${keyPrefix}checkpoint`. */
  keyPrefix: string;
  heads: Observable<number>;
  /** First block to read when there is no checkpoint (the vault's deployment). */
  fromBlock: number;
  confirmations?: number;
  reorgWindow?: number;
  /** How often the share price is sampled besides at each event, ms (default 60 s). */
  sampleMs?: number;
  now: () => number;
  log: Logger;
  /** The vault pool's actor: a deposit or withdrawal changed its capital; `deploy`: new capital to put into the range. */
  onCapital: (deploy: boolean) => void;
}

export interface VaultCoordinator {
  ledger: VaultLedger;
  vault: Contract;
  /** Stops following and waits for the books' last write. */
  stop(): Promise<void>;
}

export async function startVaultCoordinator(o: VaultCoordinatorOptions): Promise<VaultCoordinator> {
  const ledger = new VaultLedger(o.store, `${o.keyPrefix}books`, o.now);
  await ledger.load();
  const vault = new Contract(o.addresses.vault, loadVaultArtifact('RangeVault').abi, o.provider);
  const checkpoints = new LedgerCheckpointStore(o.store, `${o.keyPrefix}checkpoint`, ledger);
  let stopped = false;
  const sample = (): void => {
    (vault.getFunction('sharePrice')() as Promise<bigint>).then(
      (p) => { if (!stopped) ledger.recordSharePrice(p); },
      (err: unknown) => o.log.warn({ err }, 'vault: share price read failed'),
    );
  };
  const stream = vaultEventStream({
    provider: o.provider, heads: o.heads, checkpoints, fromBlock: o.fromBlock, confirmations: o.confirmations ?? 1, logger: o.log, addresses: o.addresses,
    ...(o.reorgWindow === undefined ? {} : { reorgWindow: o.reorgWindow }),
  });
  const sub: Subscription = stream.subscribe({
    next: (item) => {
      const change = ledger.apply(item);
      if (change === null) return;
      o.log.info({ kind: change.kind, key: item.key, retracted: change.retracted, tx: item.event.txHash }, 'vault event');
      if (change.kind === 'DepositMade' || change.kind === 'WithdrawalExecuted') o.onCapital(change.deploy);
      sample();
    },
    error: (err: unknown) => o.log.error({ err }, 'vault event stream failed: deposits are no longer followed'),
  });
  sample();
  const timer = setInterval(sample, o.sampleMs ?? 60_000);
  timer.unref();
  return {
    ledger,
    vault,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      sub.unsubscribe();
      await ledger.flush().catch((err: unknown) => o.log.warn({ err }, 'vault: last books write failed'));
    },
  };
}
