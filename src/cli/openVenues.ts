/**
 * Opens every exchange of an agent configuration: paper venues through the caller (they need
 * the run's price stream), ccxt venues (Binance USDⓈ-M, Bybit linear) with credentials from the
 * encrypted key store kept in the agent's own store, checked before use (a key that can withdraw
 * is refused unless the operator overrides).
 */
import { followKeyRotation } from '../adapters/exchange/ccxt/keyRotation.js';
import { openConfiguredVenue } from '../adapters/exchange/ccxt/openConfiguredVenue.js';
import type { CcxtVenue } from '../adapters/exchange/ccxt/ccxtVenue.js';
import type { ExchangeVenue } from '../adapters/exchange/venue.js';
import type { WriteGate } from '../adapters/http/gatedDispatcher.js';
import type { KeyStore } from '../adapters/keys/keyStore.js';
import type { Store } from '../adapters/store/store.js';
import type { AgentConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import { openKeyStore } from './openKeyStore.js';

type ExchangeEntry = AgentConfig['exchanges'][number];
export type PaperEntry = Extract<ExchangeEntry, { kind: 'paper' }>;

export interface OpenVenuesOptions {
  log: Logger;
  /** The agent's store; the key store lives in it (`rangekeeper keys --data-dir` / `--redis`). */
  store: Store;
  paper: (entry: PaperEntry) => Promise<ExchangeVenue>;
  allowWithdrawKey?: boolean;
  masterKeyFile?: string | undefined;
  /** How often the key store is checked for a rotated key, ms (default: the config's keyRotationCheckMs). */
  keyRotationCheckMs?: number;
  /** Asked at the socket write of each order, cancel and leverage change to a ccxt venue (the agent's lease, under high availability). */
  writeGate?: WriteGate;
}

export interface OpenedVenues {
  venues: ExchangeVenue[];
  /** The ccxt venues among them (their mark prices can serve as the reference price). */
  ccxt: CcxtVenue[];
  closeAll(): Promise<void>;
}

/** Opens the configured venues in order; on a failure closes the ones already open and rethrows. */
export async function openVenues(cfg: AgentConfig, o: OpenVenuesOptions): Promise<OpenedVenues> {
  const venues: ExchangeVenue[] = [];
  const ccxt: CcxtVenue[] = [];
  const stopWatching: Array<() => void> = [];
  const closeAll = async (): Promise<void> => {
    for (const stop of stopWatching) stop();
    for (const v of venues) await v.close().catch(() => undefined);
  };
  let keyStore: KeyStore | undefined;
  const symbols = [...new Set(cfg.pools.map((p) => p.hedgeSymbol))];
  try {
    for (const ex of cfg.exchanges) {
      if (ex.kind === 'paper') {
        venues.push(await o.paper(ex));
        continue;
      }
      keyStore ??= await openKeyStore(o.store, o.masterKeyFile);
      const { venue, keyGeneration, checkKey } = await openConfiguredVenue({
        exchange: { kind: ex.kind, id: ex.id, label: ex.label, sandbox: ex.sandbox, apiUrl: ex.apiUrl, watch: ex.watch },
        symbols,
        leverage: cfg.hedge.leverage,
        keyStore,
        log: o.log,
        ...(o.allowWithdrawKey === undefined ? {} : { allowWithdrawKey: o.allowWithdrawKey }),
        ...(o.writeGate === undefined ? {} : { writeGate: o.writeGate }),
      });
      venues.push(venue);
      ccxt.push(venue);
      stopWatching.push(followKeyRotation({ venue, keyStore, kind: ex.kind, label: ex.label, generation: keyGeneration, checkKey, intervalMs: o.keyRotationCheckMs ?? cfg.keyRotationCheckMs, log: o.log }));
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  return { venues, ccxt, closeAll };
}
