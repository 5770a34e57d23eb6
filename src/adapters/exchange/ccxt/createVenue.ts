/** Constructs the ccxt venue a config names. */
import type { CcxtVenue, CcxtVenueOptions } from './ccxtVenue.js';
import { BinanceUsdmVenue } from './binanceUsdm.js';
import { BybitLinearVenue } from './bybitLinear.js';

/** The ccxt venue for `opts.config.venue` (not yet started: see openCcxtVenue). */
export function createCcxtVenue(opts: CcxtVenueOptions): CcxtVenue {
  return opts.config.venue === 'binanceusdm' ? new BinanceUsdmVenue(opts) : new BybitLinearVenue(opts);
}
