/**
 * The paper exchange: a deterministic, in-process USDT-margined perpetuals venue implementing
 * ExchangeVenue for the devnet demo, backtests and tests.
 *
 * - Markets: one per configured symbol, with lot size, minimums and tick (paperOptions.ts).
 * - Prices: a reference price stream (`deps.price$`, e.g. the devnet simulator's) and/or
 *   `setMark(symbol, price)`; an order before any price exists fails with VenueError 'unavailable'.
 * - Fills: market orders fill at once at reference·(1 ± slippage) against the taker, paying the
 *   taker fee on the fill notional. Fill prices are not rounded to the tick (exact accounting).
 * - Margin: cross account; each position holds |size|·mark / leverage. An order that grows
 *   exposure (or flips) and would leave free balance < 0 is rejected 'insufficient-margin' with
 *   the numbers; an order that only reduces a position is always accepted.
 * - reduceOnly: CLIPPED to the open size when larger (the order shows amount > filled, status
 *   closed); REJECTED 'invalid-order' when there is nothing to reduce on that side.
 * - Funding: at every multiple of the interval since the epoch, by the injected clock, each
 *   position pays size·mark·rate (longs pay shorts when the rate is positive). It settles lazily
 *   on every call, or explicitly with settleFunding(now).
 * - Idempotency: a known clientOrderId returns the stored Order and never fills again.
 * - Fault injection: failNext(kind, n) makes the next n calls fail with that VenueError kind.
 */
import { Subject, type Observable, type Subscription } from 'rxjs';
import { createLogger, type Logger } from '../../logging/logger.js';
import { VenueError, type VenueErrorKind } from './errors.js';
import { assertOrderPlaceable, CLIENT_ORDER_ID_PATTERN, roundToStep } from './orderCheck.js';
import { applyFill, liquidationPrice, type PositionState } from './paper/positionMath.js';
import { PaperExchangeOptionsSchema, type PaperExchangeConfig, type PaperExchangeOptions } from './paper/paperOptions.js';
import type { Balance, ExchangeVenue, Fill, FundingPayment, FundingRate, MarketInfo, Order, OrderRequest, PerpPosition } from './venue.js';

/** One reference price observation. `timestamp` (ms) is informational; the clock is `deps.now`. */
export interface ReferencePriceTick {
  symbol: string;
  price: number;
  timestamp?: number;
}

/** Everything that is not plain configuration. */
export interface PaperExchangeDeps {
  /** Reference prices; each tick sets that symbol's mark. Ticks of unknown symbols are ignored. */
  price$?: Observable<ReferencePriceTick>;
  /** Clock in ms since the epoch (default Date.now); funding settles by it. */
  now?: () => number;
  /** Funding rate per interval as a function of symbol and settlement time (overrides config). */
  fundingRate?: (symbol: string, time: number) => number;
  logger?: Logger;
}

/** Operations the fault injector can target. */
export type PaperOperation = 'createOrder' | 'fetchBalance' | 'fetchPositions' | 'fetchOrderByClientId' | 'setLeverage';

interface SymbolState {
  market: MarketInfo;
  mark: number | null;
  leverage: number;
  position: PositionState;
  configuredFundingRate: number | undefined;
}

/** Totals the paper exchange keeps for audit and tests (quote units). */
export interface PaperLedger {
  cash: number;
  realizedPnl: number;
  feesPaid: number;
  /** Net funding paid (negative when received). */
  fundingPaid: number;
}

export class PaperExchange implements ExchangeVenue {
  readonly id: string;
  private readonly cfg: PaperExchangeConfig;
  private readonly symbols = new Map<string, SymbolState>();
  private readonly orders = new Map<string, Order>();
  private readonly fillsSubject = new Subject<Fill>();
  readonly fills$: Observable<Fill> = this.fillsSubject.asObservable();
  private readonly now: () => number;
  private readonly fundingRateFn: ((symbol: string, time: number) => number) | undefined;
  private readonly log: Logger;
  private readonly priceSub: Subscription | undefined;
  private readonly faults: { kind: VenueErrorKind; op: PaperOperation | 'any'; remaining: number }[] = [];
  private ledger: PaperLedger;
  /** Every funding settlement of the account, oldest first. */
  private readonly fundingPayments: FundingPayment[] = [];
  private nextFundingTime: number;
  private nextOrderNumber = 1;
  private closed = false;

  /**
   * Opens a paper account with `options.balance` cash. Throws a ZodError on invalid options.
   * Example: new PaperExchange({ balance: 40_000, symbols: [{ symbol: 'ETH/USDT:USDT', base: 'ETH', price: 3000 }] }, { price$ }).
   */
  constructor(options: PaperExchangeOptions, deps: PaperExchangeDeps = {}) {
    this.cfg = PaperExchangeOptionsSchema.parse(options);
    this.id = this.cfg.id;
    this.now = deps.now ?? Date.now;
    this.fundingRateFn = deps.fundingRate;
    this.log = deps.logger ?? createLogger({ name: `paper-exchange:${this.cfg.id}` });
    this.ledger = { cash: this.cfg.balance, realizedPnl: 0, feesPaid: 0, fundingPaid: 0 };
    for (const s of this.cfg.symbols) {
      if (this.symbols.has(s.symbol)) throw new VenueError('invalid-order', this.id, `symbol ${s.symbol} configured twice`);
      if (this.cfg.defaultLeverage > s.maxLeverage) {
        throw new VenueError('invalid-order', this.id, `default leverage ${this.cfg.defaultLeverage} exceeds ${s.symbol} max ${s.maxLeverage}`);
      }
      this.symbols.set(s.symbol, {
        market: { symbol: s.symbol, base: s.base, quote: s.quote, amountStep: s.amountStep, minAmount: s.minAmount, minNotional: s.minNotional, priceStep: s.priceStep, maxLeverage: s.maxLeverage, takerFee: this.cfg.takerFeeBps / 10_000 },
        mark: s.price ?? null,
        leverage: this.cfg.defaultLeverage,
        position: { size: 0, entryPrice: 0 },
        configuredFundingRate: s.fundingRate,
      });
    }
    this.nextFundingTime = this.firstFundingAfter(this.now());
    this.priceSub = deps.price$?.subscribe({
      next: (t) => {
        if (!this.symbols.has(t.symbol)) return;
        if (!Number.isFinite(t.price) || t.price <= 0) {
          this.log.warn({ symbol: t.symbol, price: t.price }, 'ignored a non-positive reference price');
          return;
        }
        this.setMark(t.symbol, t.price);
      },
      error: (err: unknown) => this.log.error({ err }, 'reference price stream failed; marks frozen'),
    });
  }

  /** Sets the mark/reference price of a symbol. Throws RangeError on a non-positive price. */
  setMark(symbol: string, price: number): void {
    if (!Number.isFinite(price) || price <= 0) throw new RangeError(`mark price of ${symbol} must be a positive finite number, got ${price}`);
    this.state(symbol).mark = price;
  }

  /** The current mark of a symbol, or null before the first price. */
  markPrice(symbol: string): number | null {
    return this.state(symbol).mark;
  }

  /** Makes the next `n` calls of `op` (default createOrder; 'any' = every operation) fail with `kind`. */
  failNext(kind: VenueErrorKind, n = 1, op: PaperOperation | 'any' = 'createOrder'): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`failNext count must be a non-negative integer, got ${n}`);
    this.faults.push({ kind, op, remaining: n });
  }

  /** Cash, realized PnL, fees and funding so far. Settles due funding first. */
  ledgerSnapshot(): PaperLedger {
    this.settleFunding(this.now());
    return { ...this.ledger };
  }

  /**
   * Settles every funding time <= `now` not yet settled: each position pays size·mark·rate
   * (rate from deps.fundingRate, else the symbol's, else the venue default). Returns the total
   * paid by the account in this call (negative when received).
   */
  settleFunding(now: number): number {
    let paid = 0;
    while (this.nextFundingTime <= now) {
      const t = this.nextFundingTime;
      for (const s of this.symbols.values()) {
        if (s.position.size === 0 || s.mark === null) continue;
        const rate = this.rateAt(s, t);
        const payment = s.position.size * s.mark * rate;
        this.ledger.cash -= payment;
        this.ledger.fundingPaid += payment;
        paid += payment;
        this.fundingPayments.push({ id: `${this.id}-funding-${t}-${s.market.symbol}`, symbol: s.market.symbol, amount: -payment, rate, timestamp: t });
        this.log.debug({ symbol: s.market.symbol, time: t, rate, payment }, 'funding settled');
      }
      this.nextFundingTime = t + this.cfg.fundingIntervalMs;
    }
    return paid;
  }

  loadMarkets(): Promise<MarketInfo[]> {
    return this.guard(undefined, () => [...this.symbols.values()].map((s) => ({ ...s.market })));
  }

  fetchBalance(): Promise<Balance> {
    return this.guard('fetchBalance', () => this.balanceNow());
  }

  fetchPositions(symbols?: string[]): Promise<PerpPosition[]> {
    return this.guard('fetchPositions', () => {
      for (const sym of symbols ?? []) this.state(sym);
      const out: PerpPosition[] = [];
      for (const s of this.symbols.values()) {
        if (s.position.size === 0 || (symbols !== undefined && !symbols.includes(s.market.symbol))) continue;
        out.push(this.positionView(s));
      }
      return out;
    });
  }

  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    return this.guard(undefined, () => {
      if (symbol !== undefined) this.state(symbol);
      // Market orders fill at once: a paper account never has resting orders.
      return [];
    });
  }

  fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | null> {
    return this.guard('fetchOrderByClientId', () => {
      this.state(symbol);
      const o = this.orders.get(clientOrderId);
      return o !== undefined && o.symbol === symbol ? { ...o } : null;
    });
  }

  setLeverage(symbol: string, leverage: number): Promise<void> {
    return this.guard('setLeverage', () => {
      const s = this.state(symbol);
      if (!Number.isFinite(leverage) || leverage <= 0 || leverage > s.market.maxLeverage) {
        throw new VenueError('invalid-order', this.id, `leverage ${leverage} for ${symbol} must be in (0, ${s.market.maxLeverage}]`);
      }
      const before = s.leverage;
      s.leverage = leverage;
      if (s.position.size !== 0 && leverage < before && this.balanceNow().free < 0) {
        const free = this.balanceNow().free;
        s.leverage = before;
        throw new VenueError('insufficient-margin', this.id, `leverage ${leverage} on ${symbol} would need ${(-free).toFixed(6)} ${this.cfg.currency} more margin than is free`);
      }
    });
  }

  createOrder(req: OrderRequest): Promise<Order> {
    return this.guard('createOrder', () => this.placeOrder(req));
  }

  cancelOrder(symbol: string, _orderId: string): Promise<boolean> {
    return this.guard(undefined, () => {
      this.state(symbol);
      // Market orders fill at once: nothing is ever open to cancel.
      return false;
    });
  }

  cancelAllOrders(symbol?: string): Promise<number> {
    return this.guard(undefined, () => {
      if (symbol !== undefined) this.state(symbol);
      return 0;
    });
  }

  fetchFundingRate(symbol: string): Promise<FundingRate> {
    return this.guard(undefined, () => {
      const s = this.state(symbol);
      return { symbol, rate: this.rateAt(s, this.nextFundingTime), nextFundingTime: this.nextFundingTime };
    });
  }

  fetchFundingHistory(symbol: string, since?: number): Promise<FundingPayment[]> {
    return this.guard(undefined, () => {
      this.state(symbol);
      return this.fundingPayments.filter((f) => f.symbol === symbol && (since === undefined || f.timestamp >= since)).map((f) => ({ ...f }));
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.priceSub?.unsubscribe();
      this.fillsSubject.complete();
    }
    return Promise.resolve();
  }

  private placeOrder(req: OrderRequest): Order {
    if (typeof req.clientOrderId !== 'string' || !CLIENT_ORDER_ID_PATTERN.test(req.clientOrderId)) {
      throw new VenueError('invalid-order', this.id, `client order id ${JSON.stringify(req.clientOrderId)} does not match ${CLIENT_ORDER_ID_PATTERN.source}`, { cause: req });
    }
    const existing = this.orders.get(req.clientOrderId);
    if (existing !== undefined) return { ...existing };
    const s = this.state(req.symbol);
    if (req.type !== 'market') throw new VenueError('invalid-order', this.id, `order type ${String(req.type)} is not supported (market only)`, { cause: req });
    if (s.mark === null) throw new VenueError('unavailable', this.id, `no reference price for ${req.symbol} yet`);
    const reference = s.mark;
    assertOrderPlaceable(this.id, s.market, req, reference);

    const reduceOnly = req.reduceOnly === true;
    const direction = req.side === 'buy' ? 1 : -1;
    let amount = req.amount;
    if (reduceOnly) {
      const size = s.position.size;
      if (size === 0 || Math.sign(size) === direction) {
        throw new VenueError('invalid-order', this.id, `reduce-only ${req.side} ${req.amount} ${req.symbol} would not reduce position ${size}`, { cause: req });
      }
      amount = Math.min(amount, Math.abs(size));
    }

    const slip = this.cfg.slippageBps / 10_000;
    const price = reference * (1 + direction * slip);
    const fee = amount * price * (this.cfg.takerFeeBps / 10_000);
    const effect = applyFill(s.position, direction * amount, price, (x) => roundToStep(x, s.market.amountStep));
    const grows = Math.abs(effect.next.size) > Math.abs(s.position.size) || Math.sign(effect.next.size) * Math.sign(s.position.size) < 0;

    if (grows && !reduceOnly) {
      const freeBefore = this.balanceNow().free;
      const freeAfter = this.freeAfter(s, effect.next, effect.realizedPnl, fee);
      if (freeAfter < 0) {
        const needed = freeBefore - freeAfter;
        throw new VenueError(
          'insufficient-margin',
          this.id,
          `${req.side} ${req.amount} ${req.symbol} at ${price.toFixed(4)} needs ${needed.toFixed(6)} ${this.cfg.currency} (initial margin at ${s.leverage}x + fee) but free balance is ${freeBefore.toFixed(6)}`,
          { cause: req },
        );
      }
    }

    s.position = effect.next;
    this.ledger.cash += effect.realizedPnl - fee;
    this.ledger.realizedPnl += effect.realizedPnl;
    this.ledger.feesPaid += fee;
    const timestamp = this.now();
    const order: Order = {
      id: `${this.id}-${this.nextOrderNumber++}`,
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      amount: req.amount,
      filled: amount,
      average: price,
      status: 'closed',
      fee,
      reduceOnly,
      timestamp,
    };
    this.orders.set(req.clientOrderId, order);
    this.log.info({ clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, filled: amount, price, fee, position: s.position.size }, 'paper order filled');
    this.fillsSubject.next({ venue: this.id, orderId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, amount, price, fee, timestamp });
    return { ...order };
  }

  /** Free balance if `s` had position `next` after realizing `realized` and paying `fee`. */
  private freeAfter(s: SymbolState, next: PositionState, realized: number, fee: number): number {
    const saved = s.position;
    const savedCash = this.ledger.cash;
    try {
      s.position = next;
      this.ledger.cash = savedCash + realized - fee;
      return this.balanceNow().free;
    } finally {
      s.position = saved;
      this.ledger.cash = savedCash;
    }
  }

  private balanceNow(): Balance {
    let unrealized = 0;
    let used = 0;
    for (const s of this.symbols.values()) {
      if (s.position.size === 0 || s.mark === null) continue;
      unrealized += s.position.size * (s.mark - s.position.entryPrice);
      used += (Math.abs(s.position.size) * s.mark) / s.leverage;
    }
    const total = this.ledger.cash + unrealized;
    return { currency: this.cfg.currency, total, used, free: total - used };
  }

  private positionView(s: SymbolState): PerpPosition {
    const mark = s.mark ?? s.position.entryPrice;
    let otherEquity = this.ledger.cash;
    for (const o of this.symbols.values()) {
      if (o === s || o.position.size === 0 || o.mark === null) continue;
      otherEquity += o.position.size * (o.mark - o.position.entryPrice) - this.cfg.maintenanceMarginRate * Math.abs(o.position.size) * o.mark;
    }
    return {
      symbol: s.market.symbol,
      size: s.position.size,
      entryPrice: s.position.entryPrice,
      markPrice: mark,
      unrealizedPnl: s.position.size * (mark - s.position.entryPrice),
      leverage: s.leverage,
      margin: (Math.abs(s.position.size) * mark) / s.leverage,
      maintenanceMargin: this.cfg.maintenanceMarginRate * Math.abs(s.position.size) * mark,
      liquidationPrice: liquidationPrice(s.position, otherEquity, this.cfg.maintenanceMarginRate),
    };
  }

  private rateAt(s: SymbolState, time: number): number {
    if (this.fundingRateFn !== undefined) return this.fundingRateFn(s.market.symbol, time);
    return s.configuredFundingRate ?? this.cfg.fundingRate;
  }

  private firstFundingAfter(now: number): number {
    const k = this.cfg.fundingIntervalMs;
    return Math.floor(now / k) * k + k;
  }

  private state(symbol: string): SymbolState {
    const s = this.symbols.get(symbol);
    if (s === undefined) throw new VenueError('not-found', this.id, `unknown symbol ${JSON.stringify(symbol)}; markets: ${[...this.symbols.keys()].join(', ')}`);
    return s;
  }

  /** Runs an operation: closed check, injected faults, due funding; errors become rejections. */
  private guard<T>(op: PaperOperation | undefined, fn: () => T): Promise<T> {
    try {
      if (this.closed) throw new VenueError('unavailable', this.id, 'paper exchange is closed');
      if (op !== undefined) {
        const fault = this.faults.find((f) => f.remaining > 0 && (f.op === op || f.op === 'any'));
        if (fault !== undefined) {
          fault.remaining -= 1;
          throw new VenueError(fault.kind, this.id, `injected ${fault.kind} fault on ${op}`);
        }
      }
      this.settleFunding(this.now());
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
