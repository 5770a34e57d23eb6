/**
 * Opens the ccxt venue an agent configuration names: its credentials come from the encrypted
 * key store (stored with `rangekeeper keys add <venue> <label>`), then openCcxtVenue loads
 * markets, refuses a key that can withdraw, and sets the leverage.
 */
import type { Logger } from '../../../logging/logger.js';
import type { WriteGate } from '../../http/gatedDispatcher.js';
import type { KeyStore } from '../../keys/keyStore.js';
import { VenueError } from '../errors.js';
import { openCcxtVenue, type OpenedVenue } from './openVenue.js';
import { parseVenueConfig } from './venueConfig.js';

/** One `exchanges[]` entry of kind binanceusdm or bybit. */
export interface ConfiguredExchange {
  kind: 'binanceusdm' | 'bybit';
  id?: string | undefined;
  label: string;
  sandbox: boolean;
  /** REST and websocket base URL override (an egress proxy, or a stand-in in tests). */
  apiUrl?: string | undefined;
  /** Fills through the venue's socket (default true); false polls them. */
  watch?: boolean | undefined;
}

export interface OpenConfiguredVenueOptions {
  exchange: ConfiguredExchange;
  /** Unified perp symbols the agent hedges on this venue, e.g. ["ETH/USDT:USDT"]. */
  symbols: string[];
  /** Leverage set on every symbol; venues take whole numbers. */
  leverage: number;
  keyStore: KeyStore;
  log: Logger;
  /** Operator's explicit override to accept a key that can withdraw. */
  allowWithdrawKey?: boolean;
  /** Asked at the socket write of each order, cancel and leverage change (CcxtVenueOptions.writeGate). */
  writeGate?: WriteGate;
}

/**
 * Opens, checks and prepares the configured venue; its id is `exchange.id` or the venue kind.
 * `keyGeneration` is the key store generation of the credentials it was opened with.
 */
export async function openConfiguredVenue(o: OpenConfiguredVenueOptions): Promise<OpenedVenue & { keyGeneration: number }> {
  const venueId = o.exchange.id ?? o.exchange.kind;
  if (!Number.isInteger(o.leverage)) {
    throw new VenueError('invalid-order', venueId, `leverage must be a whole number for ${o.exchange.kind}, got ${o.leverage} (config hedge.leverage)`);
  }
  const { credentials, info } = await o.keyStore.get(o.exchange.kind, o.exchange.label);
  const config = parseVenueConfig({
    venue: o.exchange.kind, id: venueId, label: o.exchange.label, sandbox: o.exchange.sandbox, leverage: o.leverage, symbols: o.symbols,
    ...(o.exchange.watch === undefined ? {} : { watch: o.exchange.watch }),
  });
  const opened = await openCcxtVenue({
    config,
    credentials,
    log: o.log,
    ...(o.allowWithdrawKey === undefined ? {} : { allowWithdrawKey: o.allowWithdrawKey }),
    ...(o.writeGate === undefined ? {} : { writeGate: o.writeGate }),
    ...(o.exchange.apiUrl === undefined ? {} : { apiBaseUrl: o.exchange.apiUrl }),
  });
  return { ...opened, keyGeneration: info.generation };
}
