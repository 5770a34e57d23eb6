/**
 * Binance USDⓈ-M perpetual futures through ccxt's binanceusdm. Markets come from
 * /fapi/v1/exchangeInfo only (no currency or margin-pair calls); orders are found by client id
 * through `origClientOrderId`.
 */
import { binanceusdm, type Exchange } from 'ccxt';
import { CcxtVenue, type CcxtVenueOptions, type VenueCredentials } from './ccxtVenue.js';

export class BinanceUsdmVenue extends CcxtVenue {
  constructor(opts: CcxtVenueOptions) {
    super(opts);
  }

  protected createExchange(credentials: VenueCredentials, timeoutMs: number): Exchange {
    return new binanceusdm({
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      timeout: timeoutMs,
      options: { fetchCurrencies: false, fetchMargins: false, defaultType: 'future' },
    });
  }

  /** GET /sapi/v1/account/apiRestrictions (a spot-API endpoint; the futures testnet has none). */
  keyPermissionsRaw(): Promise<unknown> {
    return this.call('apiRestrictions', () => (this.exchange as binanceusdm).sapiGetAccountApiRestrictions());
  }

  protected restApiKey(): string {
    return 'fapiPrivate';
  }

  protected clientIdLookupParams(clientOrderId: string): Record<string, unknown> {
    return { origClientOrderId: clientOrderId };
  }
}
