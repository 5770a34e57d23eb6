/**
 * Start-up of a ccxt venue: load markets (every configured symbol must be listed), check the API
 * key's permissions (a key that can withdraw is refused unless the operator overrides), and set
 * the configured leverage on every symbol. The agent should use the venue only after this.
 */
import { enforceKeyPermissions, type KeyPermissions } from '../../keys/keyPermissions.js';
import type { CcxtVenue, CcxtVenueOptions } from './ccxtVenue.js';
import { createCcxtVenue } from './createVenue.js';

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
}

/** Opens, checks and prepares a ccxt venue; closes it again if any step fails. */
export async function openCcxtVenue(opts: OpenVenueOptions): Promise<OpenedVenue> {
  const venue = createCcxtVenue(opts);
  const log = opts.log.child({ venue: venue.id });
  try {
    await venue.loadMarkets();
    let permissions: KeyPermissions | null = null;
    if (opts.config.sandbox && opts.config.venue === 'binanceusdm') {
      log.warn('Binance futures testnet has no API-restrictions endpoint: key permission check skipped (testnet keys move no real funds)');
    } else {
      const check: Parameters<typeof enforceKeyPermissions>[0] = { venue: opts.config.venue, fetchRaw: () => venue.keyPermissionsRaw(), log };
      if (opts.allowWithdrawKey !== undefined) check.allowWithdraw = opts.allowWithdrawKey;
      permissions = await enforceKeyPermissions(check);
    }
    if (opts.applyLeverage !== false) for (const symbol of opts.config.symbols) await venue.setLeverage(symbol, opts.config.leverage);
    return { venue, permissions };
  } catch (err) {
    await venue.close();
    throw err;
  }
}
