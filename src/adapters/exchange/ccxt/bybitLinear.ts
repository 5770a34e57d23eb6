/**
 * Bybit USDT linear perpetuals through ccxt.pro's bybit (v5 REST and the v5 private websocket). Only linear markets are loaded;
 * currencies are not fetched (that endpoint needs wallet permissions); orders are found by client id through `orderLinkId` (ccxt's fetchOrder does not translate
 * clientOrderId for Bybit); "leverage not modified" (110043) counts as success.
 */
import { pro, type bybit, type Exchange, type Position as CcxtPosition, type Tickers } from 'ccxt';
import type { VenueError } from '../errors.js';
import { CcxtVenue, type VenueCredentials } from './ccxtVenue.js';
import { venueErrorCode } from './errorMapping.js';

export class BybitLinearVenue extends CcxtVenue {
  protected createExchange(credentials: VenueCredentials, timeoutMs: number): Exchange {
    const ex = new pro.bybit({
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      timeout: timeoutMs,
      options: { defaultType: 'swap', defaultSubType: 'linear', fetchMarkets: { types: ['linear'] } },
    });
    // Currencies (a wallet-permission endpoint) are not needed to trade USDT-settled perps.
    ex.has['fetchCurrencies'] = false;
    return ex;
  }

  /** GET /v5/user/query-api. */
  keyPermissionsRaw(): Promise<unknown> {
    return this.call('queryApi', () => (this.exchange as bybit).privateGetV5UserQueryApi());
  }

  protected restApiKey(): string {
    return 'private';
  }

  /** `tickers.<SYMBOL>` on the public linear stream (the ticker carries the mark price). */
  protected watchMarkTickers(): ((symbols: string[]) => Promise<Tickers>) | null {
    return this.exchange.has['watchTickers'] === true ? (symbols) => this.exchange.watchTickers(symbols) : null;
  }

  protected isMarkSubscription(key: string): boolean {
    return key.startsWith('ticker:');
  }

  /** The private socket's `execution` subscription is kept under the watchMyTrades message hash. */
  protected tradeSubscriptionKey(): string {
    return 'myTrades';
  }

  protected clientIdLookupParams(clientOrderId: string): Record<string, unknown> {
    return { orderLinkId: clientOrderId, acknowledged: true };
  }

  /** ccxt's bybit takes at most one symbol; ask for every USDT-settled linear position instead. */
  protected override rawPositions(_symbols: string[]): Promise<CcxtPosition[]> {
    return this.exchange.fetchPositions(undefined, { category: 'linear', settleCoin: 'USDT' });
  }

  /** ccxt's total is Bybit's walletBalance (no unrealized PnL): the coin's `equity` is the equity. */
  protected override equityOf(info: unknown, currency: string): number | null {
    const list = (info as { result?: { list?: { coin?: { coin?: string; equity?: string }[] }[] } } | undefined)?.result?.list ?? [];
    for (const account of list) {
      const coin = account.coin?.find((c) => c.coin === currency);
      const equity = Number(coin?.equity);
      if (coin?.equity !== undefined && coin.equity !== '' && Number.isFinite(equity)) return equity;
    }
    return null;
  }

  /** Bybit's funding execution carries the fee the account paid (execFee > 0: paid, < 0: received). */
  protected override fundingReceived(amount: number): number {
    return -amount;
  }

  protected override leverageUnchanged(err: VenueError): boolean {
    const cause = err.cause;
    return venueErrorCode(cause instanceof Error ? cause.message : String(cause)) === '110043';
  }
}
