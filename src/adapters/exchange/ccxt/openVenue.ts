/**
 * Start-up of a ccxt venue: load markets (every configured symbol must be listed), check the API
 * key's permissions (a key that can withdraw is refused unless the operator overrides), and set
 * the configured leverage on every symbol. The agent should use the venue only after this. The
 * same permission check runs on a key rotated in later (`checkKey`), before it is swapped in.
 */
import type { Logger } from '../../../logging/logger.js';
import { enforceKeyPermissions, type KeyPermissions } from '../../keys/keyPermissions.js';
import type { CcxtVenue, CcxtVenueOptions, VenueCredentials } from './ccxtVenue.js';
import { createCcxtVenue } from './createVenue.js';
import type { VenueConfig } from './venueConfig.js';

export interface OpenVenueOptions extends CcxtVenueOptions {
  /** Operator's explicit override to run with a key that can withdraw (never the default). */
  allowWithdrawKey?: boolean;
  /** Set the configured leverage on every symbol (default true; a read-only check passes false). */
  applyLeverage?: boolean;
}

export interface OpenedVenue {
  venue: CcxtVenue;
  /** null when the check was skipped (Binance futures testnet has no permission endpoint). */
  permissions: KeyPermissions | null;
  /**
   * The start-up permission check, on other credentials (a rotated key), through a throwaway
   * client on the same endpoint: resolves with the permissions (null: skipped, as at start) or
   * throws KeyStoreError (WITHDRAW_PERMISSION, BAD_INPUT) for a key the venue must not use.
   */
  checkKey(credentials: VenueCredentials): Promise<KeyPermissions | null>;
}

/** The permission check of `venue`'s current key; null where the venue has no endpoint for it. */
async function checkPermissions(venue: CcxtVenue, config: VenueConfig, log: Logger, allowWithdraw: boolean | undefined): Promise<KeyPermissions | null> {
  if (config.sandbox && config.venue === 'binanceusdm') {
    log.warn('Binance futures testnet has no API-restrictions endpoint: key permission check skipped (testnet keys move no real funds)');
    return null;
  }
  const check: Parameters<typeof enforceKeyPermissions>[0] = { venue: config.venue, fetchRaw: () => venue.keyPermissionsRaw(), log };
  if (allowWithdraw !== undefined) check.allowWithdraw = allowWithdraw;
  return enforceKeyPermissions(check);
}

/** Opens, checks and prepares a ccxt venue; closes it again if any step fails. */
export async function openCcxtVenue(opts: OpenVenueOptions): Promise<OpenedVenue> {
  const venue = createCcxtVenue(opts);
  const log = opts.log.child({ venue: venue.id });
  const checkKey = async (credentials: VenueCredentials): Promise<KeyPermissions | null> => {
    // a client of its own: the running venue keeps signing with its current key meanwhile
    const probe = createCcxtVenue({ ...opts, credentials, config: { ...opts.config, watch: false }, log: opts.log.child({ keyCheck: true }) });
    try {
      return await checkPermissions(probe, opts.config, log, opts.allowWithdrawKey);
    } finally {
      await probe.close();
    }
  };
  try {
    await venue.loadMarkets();
    const permissions = await checkPermissions(venue, opts.config, log, opts.allowWithdrawKey);
    if (opts.applyLeverage !== false) for (const symbol of opts.config.symbols) await venue.setLeverage(symbol, opts.config.leverage);
    return { venue, permissions, checkKey };
  } catch (err) {
    await venue.close();
    throw err;
  }
}
