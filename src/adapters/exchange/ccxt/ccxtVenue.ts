/**
 * One ccxt wrapper implementing ExchangeVenue for perpetual futures; the per-venue differences
 * (constructor options, client-id lookup, leverage quirks) live in the subclasses
 * BinanceUsdmVenue and BybitLinearVenue.
 *
 * Every call goes through `call()`: ccxt errors become typed VenueErrors (with the venue's
 * Retry-After), reads are retried with backoff, and createOrder is placed exactly once by client
 * order id. The exchange objects are ccxt.pro classes: fills come from watchMyTrades when the config
 * allows it, polled fetchMyTrades otherwise (see fillStream.ts); ccxt's delayed calls (Binance's
 * listenKey renewal) are leashed so a closed venue leaves no timer behind (delayedCalls.ts).
 */
import type { Exchange, Market, Order as CcxtOrder, Position as CcxtPosition, Tickers, Trade as CcxtTrade } from 'ccxt';
import { EMPTY, share, type Observable } from 'rxjs';
import type { Logger } from '../../../logging/logger.js';
import { VenueError } from '../errors.js';
import { assertOrderPlaceable } from '../orderCheck.js';
import type { Balance, ExchangeVenue, Fill, FundingPayment, FundingRate, MarketInfo, Order, OrderRequest, OrderStatus, PerpPosition } from '../venue.js';
import { LeaseLostError } from '../../store/lease.js';
import type { WriteGate } from '../../http/gatedDispatcher.js';
import { parseRetryAfter, toVenueError } from './errorMapping.js';
import { gatedCcxtFetch, type GatedFetch } from './gatedFetch.js';
import { leashDelayedCalls, type DelayedCalls } from './delayedCalls.js';
import { placeExactlyOnce } from './exactlyOnceOrder.js';
import { fillStream } from './fillStream.js';
import { marketInfoOf } from './orderCheck.js';
import { withRetry, type RetryHooks } from './retry.js';
import type { VenueConfig } from './venueConfig.js';
import { markPriceStream, type MarkTick } from './watchMarkPrices.js';
import { closeWsClients } from './wsClients.js';
import { canWatchMyTrades, ccxtTradeSocket, type TradeSocket } from './watchFills.js';

export interface VenueCredentials {
  apiKey: string;
  secret: string;
}

export interface CcxtVenueOptions {
  config: VenueConfig;
  credentials: VenueCredentials;
  log: Logger;
  /**
   * Replaces scheme and host of every ccxt `urls.api` entry (paths kept), REST and websocket
   * alike (ws:// or wss:// after the http(s) scheme of this base): a loopback stand-in in tests,
   * or an egress proxy. Applied after the sandbox switch.
   */
  apiBaseUrl?: string;
  /** Retry timing hooks (tests record the delays instead of sleeping them). */
  retryHooks?: RetryHooks;
  /**
   * Asked at the socket write of every REST request that changes something on the venue (an
   * order, a cancel, a leverage change), after signing and every await of ccxt's (gatedFetch.ts);
   * a throw refuses the request unsent. A high-availability agent passes its lease's check here.
   */
  writeGate?: WriteGate;
}

/** Marks whose age is below this are reused for the pre-flight notional check. */
const MARK_PRICE_MAX_AGE_MS = 5_000;

/** Socket failures within `timeouts.socketRetryMs` after which fills are polled for a while. */
const MAX_SOCKET_FAILURES = 3;

/** Leverage bound when the loaded market does not state one (Binance lists it per bracket only); the venue has the final say. */
const FALLBACK_MAX_LEVERAGE = 125;

/**
 * Rewrites every URL string in a ccxt `urls.api` tree to `base` (scheme + host), keeping paths;
 * websocket URLs get the ws:// (wss://) scheme matching the base's http:// (https://).
 */
export function rewriteApiUrls(api: unknown, base: string): unknown {
  if (typeof api === 'string') {
    const trimmed = base.replace(/\/+$/, '');
    const target = /^wss?:\/\//i.test(api) ? trimmed.replace(/^http(s?):\/\//i, 'ws$1://') : trimmed;
    return api.replace(/^[a-z]+:\/\/[^/]+/i, target);
  }
  if (api !== null && typeof api === 'object') {
    return Object.fromEntries(Object.entries(api as Record<string, unknown>).map(([k, v]) => [k, rewriteApiUrls(v, base)]));
  }
  return api;
}

function num(v: number | string | undefined | null, fallback = 0): number {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

function statusOf(s: string | undefined): OrderStatus {
  switch (s) {
    case 'closed':
      return 'closed';
    case 'canceled':
    case 'expired':
      return 'canceled';
    case 'rejected':
      return 'rejected';
    default:
      return 'open';
  }
}

/**
 * The wait a refusal asks for: HTTP Retry-After (Binance 429/418, any 503), else Bybit's
 * X-Bapi-Limit-Reset-Timestamp (ms epoch at which the rate-limit window resets).
 */
export function venueWaitMs(headers: Record<string, string | undefined>, now = Date.now()): number | undefined {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const retryAfter = parseRetryAfter(lower['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(lower['x-bapi-limit-reset-timestamp']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - now) : undefined;
}

export abstract class CcxtVenue implements ExchangeVenue {
  readonly id: string;
  readonly fills$: Observable<Fill>;
  protected readonly exchange: Exchange;
  protected readonly config: VenueConfig;
  protected readonly log: Logger;
  private readonly retryHooks: RetryHooks;
  private marketsLoaded = false;
  private markets = new Map<string, MarketInfo>();
  private readonly marks = new Map<string, { price: number; at: number }>();
  /** Client order id of every order seen, by venue order id (Binance trades do not carry it). */
  private readonly clientIds = new Map<string, string>();
  private closed = false;
  /** Aborted on close: stops the fill stream. */
  private readonly lifetime = new AbortController();
  private readonly delayedCalls: DelayedCalls;
  /** The account's trade feed over the venue's socket; null when fills are polled only. */
  private readonly tradeSocket: TradeSocket | null;
  /** ccxt's REST transport when a write gate was given (closed with the venue). */
  private readonly gatedFetch: GatedFetch | null;

  constructor(opts: CcxtVenueOptions) {
    this.config = opts.config;
    this.id = opts.config.id ?? `${opts.config.venue}:${opts.config.label}`;
    this.log = opts.log.child({ venue: this.id });
    this.retryHooks = opts.retryHooks ?? {};
    this.exchange = this.createExchange(opts.credentials, opts.config.timeouts.requestMs);
    this.delayedCalls = leashDelayedCalls(this.exchange);
    // Reconnect pacing is the fill stream's (its timers stop on close); ccxt's own backoff would sleep past close().
    this.exchange.options['ws'] = { ...(this.exchange.options['ws'] as Record<string, unknown> | undefined), backoff: { base: 0 } };
    this.exchange.enableRateLimit = opts.config.throttle;
    this.gatedFetch = opts.writeGate === undefined ? null : gatedCcxtFetch(opts.writeGate);
    if (this.gatedFetch !== null) this.exchange.fetchImplementation = this.gatedFetch.fetch;
    if (opts.config.sandbox) this.exchange.setSandboxMode(true);
    if (opts.apiBaseUrl !== undefined) {
      this.exchange.urls['api'] = rewriteApiUrls(this.exchange.urls['api'], opts.apiBaseUrl) as Exchange['urls']['api'];
    }
    this.tradeSocket = opts.config.watch && canWatchMyTrades(this.exchange)
      ? ccxtTradeSocket(this.exchange, {
          prepare: () => this.prepareSocket(),
          subscriptionKey: this.tradeSubscriptionKey(),
          forgetAuth: () => this.forgetSocketAuth(),
        })
      : null;
    const watch = this.tradeSocket !== null;
    this.fills$ = this.fillsFrom(this.tradeSocket).pipe(share());
    this.log.info({ endpoint: this.restEndpoint, sandbox: opts.config.sandbox, symbols: opts.config.symbols, fills: watch ? 'socket' : 'polling' }, 'venue configured');
  }

  /** Key of the private REST base in ccxt's `urls.api` ("fapiPrivate", "private"); a method, as the base constructor needs it. */
  protected abstract restApiKey(): string;

  /** The REST base URL private requests go to (testnet when `sandbox: true`). */
  get restEndpoint(): string {
    const api = this.exchange.urls['api'] as Record<string, unknown>;
    const url = api[this.restApiKey()];
    return typeof url === 'string' ? this.exchange.implodeHostname(url) : '';
  }

  /** Key ccxt sets in a websocket client's `subscriptions` once the account's trade feed is subscribed on it. */
  protected abstract tradeSubscriptionKey(): string;

  /** The venue's socket method for mark prices (watchMarkPrices, watchTickers), null when it has none. */
  protected abstract watchMarkTickers(): ((symbols: string[]) => Promise<Tickers>) | null;

  /** True for the `subscriptions` key ccxt gives a mark price subscription (to close that socket alone). */
  protected abstract isMarkSubscription(key: string): boolean;

  /** The ccxt(.pro) exchange object, with credentials, timeout and the venue's options. */
  protected abstract createExchange(credentials: VenueCredentials, timeoutMs: number): Exchange;

  /** ccxt params that make fetchOrder find an order by client order id. */
  protected abstract clientIdLookupParams(clientOrderId: string): Record<string, unknown>;

  /** The venue's raw answer about this API key's permissions (for enforceKeyPermissions). */
  abstract keyPermissionsRaw(): Promise<unknown>;

  /** ccxt positions covering `symbols` (more may come back; the caller filters). */
  protected rawPositions(symbols: string[]): Promise<CcxtPosition[]> {
    return this.exchange.fetchPositions(symbols);
  }

  /** True when a setLeverage error only says the leverage already has that value. */
  protected leverageUnchanged(_err: VenueError): boolean {
    return false;
  }

  /** Runs one ccxt request, mapping its failure to a VenueError (with Retry-After when sent). */
  protected async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new VenueError('unavailable', this.id, `${what}: venue closed`);
    try {
      return await fn();
    } catch (err) {
      // the write gate's refusal (the lease) is no venue error: nothing was sent, nothing to retry
      if (err instanceof LeaseLostError) throw err;
      const secrets = [this.exchange.apiKey, this.exchange.secret, this.exchange.password];
      let venueErr = toVenueError(this.id, err, undefined, secrets);
      if (venueErr.kind === 'rate-limit' || venueErr.kind === 'unavailable') {
        // Only a refusal carries a wait; a timeout has no response (the stored headers would be stale).
        const headers = (this.exchange.last_response_headers ?? {}) as Record<string, string | undefined>;
        const retryAfterMs = venueWaitMs(headers);
        if (retryAfterMs !== undefined) venueErr = toVenueError(this.id, err, retryAfterMs, secrets);
      }
      this.log.debug({ op: what, kind: venueErr.kind, retryable: venueErr.retryable }, 'venue request failed');
      throw venueErr;
    }
  }

  /** A read: `call` with bounded retries on retryable failures. */
  protected read<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(() => this.call(what, fn), this.config.retries, {
      ...this.retryHooks,
      onRetry: (info) => {
        this.log.warn({ op: what, attempt: info.attempt, kind: info.error.kind, delayMs: info.delayMs }, 'retrying venue request');
        this.retryHooks.onRetry?.(info);
      },
    });
  }

  async loadMarkets(): Promise<MarketInfo[]> {
    const reload = !this.marketsLoaded;
    const loaded = await this.read('loadMarkets', () => this.exchange.loadMarkets(reload));
    this.marketsLoaded = true;
    const infos = new Map<string, MarketInfo>();
    for (const symbol of this.config.symbols) {
      const m: Market | undefined = loaded[symbol];
      if (m === undefined) throw new VenueError('invalid-order', this.id, `configured symbol ${symbol} is not listed by the venue`);
      infos.set(symbol, marketInfoOf(m, FALLBACK_MAX_LEVERAGE));
    }
    this.markets = infos;
    return [...infos.values()];
  }

  private async market(symbol: string): Promise<MarketInfo | undefined> {
    if (!this.marketsLoaded) await this.loadMarkets();
    return this.markets.get(symbol);
  }

  async fetchBalance(): Promise<Balance> {
    const b = await this.read('fetchBalance', () => this.exchange.fetchBalance());
    const currency = 'USDT';
    const acct = (b as unknown as Record<string, { total?: number; free?: number; used?: number } | undefined>)[currency];
    return { currency, total: this.equityOf(b.info, currency) ?? num(acct?.total), free: num(acct?.free), used: num(acct?.used) };
  }

  /**
   * The account's equity in `currency` (wallet + unrealized PnL) from the venue's raw balance
   * answer, when ccxt's `total` is not it; null: ccxt's total is (Binance: marginBalance).
   */
  protected equityOf(_info: unknown, _currency: string): number | null {
    return null;
  }

  async fetchPositions(symbols?: string[]): Promise<PerpPosition[]> {
    await this.market(this.config.symbols[0] ?? '');
    const wanted = symbols ?? this.config.symbols;
    const raw = await this.read('fetchPositions', () => this.rawPositions(wanted));
    return raw.filter((p) => wanted.includes(p.symbol ?? '') && num(p.contracts) !== 0).map((p) => this.toPosition(p));
  }

  private toPosition(p: CcxtPosition): PerpPosition {
    const size = num(p.contracts) * num(p.contractSize, 1) * (p.side === 'short' ? -1 : 1);
    const markPrice = num(p.markPrice);
    if (markPrice > 0 && p.symbol !== undefined) this.marks.set(p.symbol, { price: markPrice, at: Date.now() });
    const liq = num(p.liquidationPrice);
    return {
      symbol: p.symbol ?? '',
      size,
      entryPrice: num(p.entryPrice),
      markPrice,
      unrealizedPnl: num(p.unrealizedPnl),
      leverage: num(p.leverage, this.config.leverage),
      margin: num(p.initialMargin ?? p.collateral),
      maintenanceMargin: num(p.maintenanceMargin),
      liquidationPrice: liq > 0 ? liq : null,
    };
  }

  protected toOrder(o: CcxtOrder, fallback?: OrderRequest): Order {
    const info = (o.info ?? {}) as Record<string, unknown>;
    const clientOrderId = o.clientOrderId ?? fallback?.clientOrderId;
    if (clientOrderId !== undefined && o.id !== undefined) this.clientIds.set(String(o.id), clientOrderId);
    return {
      id: String(o.id),
      clientOrderId: o.clientOrderId ?? fallback?.clientOrderId ?? '',
      symbol: o.symbol ?? fallback?.symbol ?? '',
      side: (o.side === 'sell' || o.side === 'buy' ? o.side : fallback?.side) ?? 'buy',
      amount: num(o.amount, fallback?.amount ?? 0),
      filled: num(o.filled),
      average: o.average !== undefined && num(o.average) > 0 ? num(o.average) : null,
      status: statusOf(o.status),
      fee: num(o.fee?.cost),
      reduceOnly: o.reduceOnly ?? (info['reduceOnly'] === true || info['reduceOnly'] === 'true' || fallback?.reduceOnly === true),
      timestamp: num(o.timestamp, Date.now()),
    };
  }

  async fetchOpenOrders(symbol?: string): Promise<Order[]> {
    const symbols = symbol === undefined ? this.config.symbols : [symbol];
    await this.market(symbols[0] ?? '');
    const out: Order[] = [];
    for (const s of symbols) {
      const orders = await this.read('fetchOpenOrders', () => this.exchange.fetchOpenOrders(s));
      out.push(...orders.map((o) => this.toOrder(o)));
    }
    return out;
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | null> {
    await this.market(symbol);
    try {
      const o = await this.call('fetchOrder', () => this.exchange.fetchOrder('', symbol, this.clientIdLookupParams(clientOrderId)));
      return this.toOrder(o);
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'not-found') return null;
      throw err;
    }
  }

  async setLeverage(symbol: string, leverage: number): Promise<void> {
    const m = await this.market(symbol);
    if (m === undefined) throw new VenueError('invalid-order', this.id, `unknown symbol ${symbol}`);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > m.maxLeverage) {
      throw new VenueError('invalid-order', this.id, `leverage ${leverage} outside 1..${m.maxLeverage} for ${symbol}`);
    }
    try {
      await this.read('setLeverage', () => this.exchange.setLeverage(leverage, symbol));
    } catch (err) {
      if (err instanceof VenueError && this.leverageUnchanged(err)) return;
      throw err;
    }
    this.log.info({ symbol, leverage }, 'leverage set');
  }

  /**
   * Swaps in new credentials (a key rotated with `rangekeeper keys rotate`) without stopping the
   * venue: requests already sent finish with the old key, every later one is signed with the new.
   */
  updateCredentials(credentials: VenueCredentials): void {
    this.exchange.apiKey = credentials.apiKey;
    this.exchange.secret = credentials.secret;
    // The fill socket was authenticated with the old key: close it; the fill stream reconnects
    // (with the new key) and catches up.
    this.tradeSocket?.reset().catch((err: unknown) => this.log.warn({ kind: err instanceof Error ? err.name : 'unknown' }, 'closing the fill socket after key rotation failed'));
    this.log.info('venue credentials replaced (key rotation)');
  }

  /** Drops what ccxt cached from the socket's authentication (Binance: the listenKey), so the next connect authenticates anew. */
  protected forgetSocketAuth(): void {
    // Bybit authenticates each new connection with the current key: nothing cached.
  }

  /**
   * The venue's mark price of `symbol` (cached for a few seconds): the agent's independent
   * reference price when it hedges here. Throws VenueError 'unavailable' when the venue gives none.
   */
  async fetchMarkPrice(symbol: string): Promise<number> {
    const mark = await this.markPrice(symbol);
    if (mark === null) throw new VenueError('unavailable', this.id, `no mark price for ${symbol}`);
    return mark;
  }

  /** The venue's mark price (cached briefly), for the pre-flight notional check. */
  private async markPrice(symbol: string): Promise<number | null> {
    const cached = this.marks.get(symbol);
    if (cached !== undefined && Date.now() - cached.at < MARK_PRICE_MAX_AGE_MS) return cached.price;
    const fr = await this.read('fetchFundingRate', () => this.exchange.fetchFundingRate(symbol));
    const mark = num(fr.markPrice);
    if (mark <= 0) return null;
    this.marks.set(symbol, { price: mark, at: Date.now() });
    return mark;
  }

  async createOrder(req: OrderRequest): Promise<Order> {
    const market = await this.market(req.symbol);
    assertOrderPlaceable(this.id, market, req, null);
    const price = req.reduceOnly === true ? null : await this.markPrice(req.symbol);
    assertOrderPlaceable(this.id, market, req, price);
    const params: Record<string, unknown> = { clientOrderId: req.clientOrderId };
    if (req.reduceOnly === true) params['reduceOnly'] = true;
    const placed = await placeExactlyOnce(req, {
      venue: this.id,
      send: async (r) => this.toOrder(await this.call('createOrder', () => this.exchange.createOrder(r.symbol, 'market', r.side, r.amount, undefined, params)), r),
      lookup: (symbol, cid) => this.fetchOrderByClientId(symbol, cid),
      policy: this.config.retries,
      hooks: this.retryHooks,
      log: this.log,
    });
    this.log.info({ clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, amount: req.amount, reduceOnly: req.reduceOnly === true, orderId: placed.id }, 'order placed');
    if (placed.filled > 0 || placed.status !== 'open') return placed;
    // Venues that only acknowledge (Bybit) answer without fill details: ask once.
    try {
      return (await this.fetchOrderByClientId(req.symbol, req.clientOrderId)) ?? placed;
    } catch {
      return placed;
    }
  }

  async cancelOrder(symbol: string, orderId: string): Promise<boolean> {
    await this.market(symbol);
    try {
      await this.read('cancelOrder', () => this.exchange.cancelOrder(orderId, symbol));
    } catch (err) {
      // not open any more (filled, cancelled, unknown): nothing to cancel
      if (err instanceof VenueError && err.kind === 'not-found') return false;
      throw err;
    }
    this.log.info({ symbol, orderId }, 'order cancelled');
    return true;
  }

  async cancelAllOrders(symbol?: string): Promise<number> {
    const symbols = symbol === undefined ? this.config.symbols : [symbol];
    let cancelled = 0;
    for (const s of symbols) {
      const open = await this.fetchOpenOrders(s);
      if (open.length === 0) continue;
      await this.read('cancelAllOrders', () => this.exchange.cancelAllOrders(s));
      cancelled += open.length;
    }
    if (cancelled > 0) this.log.info({ symbol: symbol ?? 'all', cancelled }, 'orders cancelled');
    return cancelled;
  }

  async fetchFundingRate(symbol: string): Promise<FundingRate> {
    await this.market(symbol);
    const fr = await this.read('fetchFundingRate', () => this.exchange.fetchFundingRate(symbol));
    const mark = num(fr.markPrice);
    if (mark > 0) this.marks.set(symbol, { price: mark, at: Date.now() });
    const next = fr.nextFundingTimestamp ?? fr.fundingTimestamp;
    return { symbol, rate: num(fr.fundingRate), nextFundingTime: next === undefined || next === null ? null : num(next) };
  }

  /**
   * Funding paid and received on `symbol` (ccxt's fetchFundingHistory: Binance's FUNDING_FEE
   * income, Bybit's executions of type Funding), oldest first, signed as received.
   */
  async fetchFundingHistory(symbol: string, since?: number): Promise<FundingPayment[]> {
    await this.market(symbol);
    const raw = await this.read('fetchFundingHistory', () => this.exchange.fetchFundingHistory(symbol, since));
    return raw
      .filter((f) => (f.symbol ?? symbol) === symbol)
      .map((f) => {
        const info = (f.info ?? {}) as Record<string, unknown>;
        const rate = num(info['feeRate'] as string | undefined, Number.NaN);
        return {
          id: String(f.id ?? `${symbol}-${num(f.timestamp)}`),
          symbol,
          amount: this.fundingReceived(num(f.amount)),
          rate: Number.isFinite(rate) ? rate : null,
          timestamp: num(f.timestamp),
        };
      })
      .sort((a, b) => a.timestamp - b.timestamp);
  }

  /** A funding record's ccxt `amount` as received (> 0) or paid (< 0); venues sign it differently. */
  protected fundingReceived(amount: number): number {
    return amount;
  }

  private toFill(t: CcxtTrade): Fill {
    const info = (t.info ?? {}) as Record<string, unknown>;
    const orderId = String(t.order ?? '');
    // Bybit trades carry orderLinkId; Binance's user data stream carries the client id as `c`.
    const linkId = typeof info['orderLinkId'] === 'string' && info['orderLinkId'] !== '' ? info['orderLinkId'] : undefined;
    const streamCid = typeof info['c'] === 'string' && info['c'] !== '' ? info['c'] : undefined;
    return {
      venue: this.id,
      orderId,
      clientOrderId: linkId ?? streamCid ?? this.clientIds.get(orderId) ?? '',
      symbol: t.symbol ?? '',
      side: t.side === 'sell' ? 'sell' : 'buy',
      amount: num(t.amount),
      price: num(t.price),
      fee: num(t.fee?.cost),
      timestamp: num(t.timestamp),
    };
  }

  /**
   * Mark prices of `symbols` as the venue pushes them through its public socket (each also kept
   * for fetchMarkPrice and the pre-flight notional check); EMPTY when the config turns sockets off
   * or the venue has no such stream. Reconnects by itself; never errors.
   */
  markPrices$(symbols: readonly string[]): Observable<MarkTick> {
    const watchMarks = this.config.watch ? this.watchMarkTickers() : null;
    if (watchMarks === null) return EMPTY;
    /** Venue time of the newest mark emitted per symbol. */
    const emittedAt = new Map<string, number>();
    return markPriceStream({
      next: async () => {
        await this.prepareSocket();
        await watchMarks([...symbols]);
        // A watch resolves with the first update of a burst; the others are only in ccxt's ticker
        // cache. Take every symbol's cached mark that is newer than the one emitted last.
        const cache = (this.exchange.tickers ?? {}) as Tickers;
        const marks: Record<string, number> = {};
        const at = Date.now();
        for (const symbol of symbols) {
          const t = cache[symbol];
          const price = num(t?.markPrice);
          const venueTime = num(t?.timestamp);
          if (price <= 0 || venueTime <= (emittedAt.get(symbol) ?? Number.NEGATIVE_INFINITY)) continue;
          emittedAt.set(symbol, venueTime);
          marks[symbol] = price;
          this.marks.set(symbol, { price, at });
        }
        return marks;
      },
      close: () => closeWsClients(this.exchange, (key) => this.isMarkSubscription(key)),
      reconnectDelayMs: this.config.timeouts.socketReconnectMs,
      maxDelayMs: this.config.timeouts.socketRetryMs,
      log: this.log,
      signal: this.lifetime.signal,
    });
  }

  /** Markets loaded and ccxt able to dial the venue's socket; throws once the venue is closed. */
  protected async prepareSocket(): Promise<void> {
    await this.market(this.config.symbols[0] ?? '');
    if (this.closed) throw new VenueError('unavailable', this.id, 'socket: venue closed');
    // ccxt refuses plain ws:// URLs (a loopback stand-in, a local egress proxy) until its http agent is loaded.
    await this.exchange.loadHttpProxyAgent();
  }

  /** The fill stream: socket with catch-up and polling fallback, or polling only. */
  private fillsFrom(socket: TradeSocket | null): Observable<Fill> {
    return fillStream({
      fetcher: {
        symbols: this.config.symbols,
        fetchMyTrades: async (symbol, since) => {
          await this.market(symbol);
          return this.call('fetchMyTrades', () => this.exchange.fetchMyTrades(symbol, since));
        },
      },
      socket,
      toFill: (t) => this.toFill(t),
      timing: {
        pollMs: this.config.timeouts.fillPollMs,
        socketRetryMs: this.config.timeouts.socketRetryMs,
        reconnectDelayMs: this.config.timeouts.socketReconnectMs,
        maxSocketFailures: MAX_SOCKET_FAILURES,
      },
      log: this.log,
      signal: this.lifetime.signal,
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.lifetime.abort();
    this.delayedCalls.clear();
    await this.exchange.close();
    await this.gatedFetch?.close();
  }
}
