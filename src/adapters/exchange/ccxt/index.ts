/** ccxt venues (Binance USDⓈ-M, Bybit linear): construction, start-up, configuration. */
export { CcxtVenue, rewriteApiUrls, type CcxtVenueOptions, type VenueCredentials } from './ccxtVenue.js';
export { BinanceUsdmVenue } from './binanceUsdm.js';
export { BybitLinearVenue } from './bybitLinear.js';
export { createCcxtVenue } from './createVenue.js';
export { openCcxtVenue, type OpenVenueOptions, type OpenedVenue } from './openVenue.js';
export { openConfiguredVenue, type ConfiguredExchange, type OpenConfiguredVenueOptions } from './openConfiguredVenue.js';
export { parseVenueConfig, VenueConfigSchema, type VenueConfig, type VenueConfigInput } from './venueConfig.js';
