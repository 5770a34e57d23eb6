/**
 * Binance USDⓈ-M perpetual futures through ccxt.pro's binanceusdm (REST and the futures user data
 * stream). Markets come from /fapi/v1/exchangeInfo only (no currency or margin-pair calls); orders
 * are found by client id through `origClientOrderId`.
 */
import { pro, type binanceusdm, type Exchange, type Tickers } from 'ccxt';
import { CcxtVenue, type VenueCredentials } from './ccxtVenue.js';

export class BinanceUsdmVenue extends CcxtVenue {
  protected createExchange(credentials: VenueCredentials, timeoutMs: number): Exchange {
    return new pro.binanceusdm({
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      timeout: timeoutMs,
      // watchMyTrades would otherwise fetch a positions snapshot nobody reads.
      options: { fetchCurrencies: false, fetchMargins: false, defaultType: 'future', watchPositions: { fetchPositionsSnapshot: false } },
    });
  }

  /** GET /sapi/v1/account/apiRestrictions (a spot-API endpoint; the futures testnet has none). */
  keyPermissionsRaw(): Promise<unknown> {
    return this.call('apiRestrictions', () => (this.exchange as binanceusdm).sapiGetAccountApiRestrictions());
  }

  protected restApiKey(): string {
    return 'fapiPrivate';
  }

  /** The listenKey belongs to the key that created it: after a rotation the next connect asks for a new one. */
  protected override forgetSocketAuth(): void {
    const future = this.exchange.options['future'] as Record<string, unknown> | undefined;
    this.exchange.options['future'] = { ...future, listenKey: undefined, lastAuthenticatedTime: 0 };
  }

  /** `<symbol>@markPrice@1s` on the futures market stream. */
  protected watchMarkTickers(): ((symbols: string[]) => Promise<Tickers>) | null {
    return this.exchange.has['watchMarkPrices'] === true ? (symbols) => this.exchange.watchMarkPrices(symbols) : null;
  }

  protected isMarkSubscription(key: string): boolean {
    return key.startsWith('markPrice');
  }

  /** The user data stream client (its URL carries the listenKey) is subscribed per market type. */
  protected tradeSubscriptionKey(): string {
    return 'future';
  }

  protected clientIdLookupParams(clientOrderId: string): Record<string, unknown> {
    return { origClientOrderId: clientOrderId };
  }
}
