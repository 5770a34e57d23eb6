/**
 * The simulated futures account behind a loopback venue server: its own book of accepted orders
 * keyed by client order id (a duplicate client id is rejected, as the venues do), positions
 * derived from fills at the mark price, a USDT wallet, leverage per symbol, and margin checks.
 */

export interface SimMarket {
  /** Venue market id, e.g. "ETHUSDT". */
  id: string;
  base: string;
  quote: string;
  stepSize: number;
  minQty: number;
  maxQty: number;
  tickSize: number;
  minNotional: number;
  maxLeverage: number;
  markPrice: number;
  fundingRate: number;
}

export interface SimOrder {
  orderId: string;
  clientId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT';
  qty: number;
  price: number;
  filled: number;
  avgPrice: number;
  reduceOnly: boolean;
  status: 'NEW' | 'FILLED' | 'CANCELED';
  time: number;
}

export interface SimTrade {
  id: string;
  orderId: string;
  clientId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  qty: number;
  price: number;
  fee: number;
  time: number;
}

export interface SimPosition {
  size: number;
  entryPrice: number;
}

/** One funding settlement of the account (amount signed as received). */
export interface SimFunding {
  id: string;
  symbol: string;
  amount: number;
  rate: number;
  time: number;
}

/** Maintenance margin rate of every simulated market (the venues' first bracket for small positions). */
export const SIM_MAINTENANCE_RATE = 0.005;

/** Why the simulated venue refused an order. */
export type SimRejection = 'duplicate-client-id' | 'insufficient-margin' | 'reduce-only' | 'lot-size' | 'min-notional' | 'unknown-symbol';

export class SimRejected extends Error {
  constructor(readonly reason: SimRejection, message: string) {
    super(message);
  }
}

export const SIM_MARKETS: SimMarket[] = [
  { id: 'ETHUSDT', base: 'ETH', quote: 'USDT', stepSize: 0.001, minQty: 0.001, maxQty: 10000, tickSize: 0.01, minNotional: 5, maxLeverage: 100, markPrice: 3000, fundingRate: 0.0001 },
  { id: 'BTCUSDT', base: 'BTC', quote: 'USDT', stepSize: 0.001, minQty: 0.001, maxQty: 1000, tickSize: 0.1, minNotional: 100, maxLeverage: 125, markPrice: 60000, fundingRate: -0.00005 },
];

const FEE_RATE = 0.0004;

export class SimAccount {
  readonly markets = new Map<string, SimMarket>(SIM_MARKETS.map((m) => [m.id, { ...m }]));
  /** Every order the venue ever accepted, by client id. */
  readonly orders = new Map<string, SimOrder>();
  readonly trades: SimTrade[] = [];
  /** Every funding settlement, oldest first. */
  readonly fundings: SimFunding[] = [];
  readonly positions = new Map<string, SimPosition>();
  readonly leverage = new Map<string, number>();
  walletBalance: number;
  /** What the venue reports about the test key: may it withdraw? */
  keyCanWithdraw = false;
  /** The key pair the venue accepts, when it is not the one the stand-in started with (a rotation). */
  key: { apiKey: string; secret: string } | null = null;
  /**
   * More key pairs the venue accepts beside `key` (a new key created while the old one is not yet
   * revoked), each with its own withdraw permission.
   */
  readonly otherKeys: { apiKey: string; secret: string; canWithdraw: boolean }[] = [];
  /** The API key of the last authenticated private request. */
  lastApiKey: string | null = null;
  /** Order requests refused because their client id was already used. */
  duplicateRejections = 0;
  private nextId = 1_000_000;
  private readonly tradeListeners = new Set<(t: SimTrade, o: SimOrder) => void>();
  private readonly markListeners = new Set<(m: SimMarket) => void>();

  /** Calls `listener` with the market after every mark price change (the venue's public mark stream). */
  onMark(listener: (m: SimMarket) => void): () => void {
    this.markListeners.add(listener);
    return () => this.markListeners.delete(listener);
  }

  /** Moves the mark price of market `id` and tells the mark listeners. */
  setMarkPrice(id: string, price: number): void {
    const m = this.market(id);
    m.markPrice = price;
    for (const listener of this.markListeners) listener(m);
  }

  /** Calls `listener` with every trade from now on (the venue's user data stream); returns the unsubscribe. */
  onTrade(listener: (t: SimTrade, o: SimOrder) => void): () => void {
    this.tradeListeners.add(listener);
    return () => this.tradeListeners.delete(listener);
  }

  constructor(walletBalance = 10_000) {
    this.walletBalance = walletBalance;
  }

  market(id: string): SimMarket {
    const m = this.markets.get(id);
    if (m === undefined) throw new SimRejected('unknown-symbol', `unknown symbol ${id}`);
    return m;
  }

  /** What the venue reports about `apiKey`: may it withdraw? */
  canWithdraw(apiKey: string | undefined): boolean {
    return this.otherKeys.find((k) => k.apiKey === apiKey)?.canWithdraw ?? this.keyCanWithdraw;
  }

  /** The secret of `apiKey` if the venue accepts it (`current`: the stand-in's own or rotated key), else null. */
  secretOf(apiKey: unknown, current: { apiKey: string; secret: string }): string | null {
    const k = [current, ...this.otherKeys].find((c) => c.apiKey === apiKey);
    return k === undefined ? null : k.secret;
  }

  leverageOf(symbol: string): number {
    return this.leverage.get(symbol) ?? 20;
  }

  position(symbol: string): SimPosition {
    return this.positions.get(symbol) ?? { size: 0, entryPrice: 0 };
  }

  unrealizedPnl(symbol: string): number {
    const p = this.position(symbol);
    return p.size * (this.market(symbol).markPrice - p.entryPrice);
  }

  /** Initial margin held by all positions and open orders. */
  usedMargin(): number {
    let used = 0;
    for (const [sym, p] of this.positions) used += (Math.abs(p.size) * this.market(sym).markPrice) / this.leverageOf(sym);
    for (const o of this.orders.values()) if (o.status === 'NEW') used += (o.qty * o.price) / this.leverageOf(o.symbol);
    return used;
  }

  totalUnrealized(): number {
    let u = 0;
    for (const sym of this.positions.keys()) u += this.unrealizedPnl(sym);
    return u;
  }

  available(): number {
    return this.walletBalance + this.totalUnrealized() - this.usedMargin();
  }

  /** Maintenance margin of the position in `symbol` at its mark. */
  maintenanceMargin(symbol: string): number {
    return Math.abs(this.position(symbol).size) * this.market(symbol).markPrice * SIM_MAINTENANCE_RATE;
  }

  /**
   * Cross-margin liquidation price of the position in `symbol`: the mark at which the wallet plus
   * every unrealized PnL falls to the maintenance margin, the other positions held at their marks.
   * Null when flat or when no positive price liquidates it.
   */
  liquidationPrice(symbol: string): number | null {
    const p = this.position(symbol);
    if (p.size === 0) return null;
    let others = this.walletBalance;
    for (const sym of this.positions.keys()) if (sym !== symbol) others += this.unrealizedPnl(sym) - this.maintenanceMargin(sym);
    const liq = (p.size * p.entryPrice - others) / (p.size - SIM_MAINTENANCE_RATE * Math.abs(p.size));
    return Number.isFinite(liq) && liq > 0 ? liq : null;
  }

  /**
   * Settles funding at `time` as the venues do: each position pays size·mark·rate (longs pay
   * shorts when the rate is positive) from the wallet. Returns the settlements made.
   */
  settleFunding(time = Date.now()): SimFunding[] {
    const made: SimFunding[] = [];
    for (const [sym, p] of this.positions) {
      const m = this.market(sym);
      const paid = p.size * m.markPrice * m.fundingRate;
      this.walletBalance -= paid;
      const f: SimFunding = { id: this.newId(), symbol: sym, amount: -paid, rate: m.fundingRate, time };
      this.fundings.push(f);
      made.push(f);
    }
    return made;
  }

  /** Accepted orders with this client id (the property the fault tests check: never more than one). */
  acceptedCount(clientId: string): number {
    return this.orders.has(clientId) ? 1 : 0;
  }

  private newId(): string {
    this.nextId += 1;
    return String(this.nextId);
  }

  /** Places and fills a market order at the mark price, or throws SimRejected. */
  placeMarket(symbol: string, side: 'BUY' | 'SELL', qty: number, clientId: string, reduceOnly: boolean): SimOrder {
    const m = this.market(symbol);
    if (this.orders.has(clientId)) {
      this.duplicateRejections += 1;
      throw new SimRejected('duplicate-client-id', `duplicate client order id ${clientId}`);
    }
    const steps = qty / m.stepSize;
    if (!(qty >= m.minQty) || qty > m.maxQty || Math.abs(steps - Math.round(steps)) > 1e-9 * Math.max(1, steps)) {
      throw new SimRejected('lot-size', `quantity ${qty} violates lot size`);
    }
    const pos = this.position(symbol);
    const signed = side === 'BUY' ? qty : -qty;
    if (reduceOnly && (pos.size === 0 || Math.sign(signed) === Math.sign(pos.size) || qty > Math.abs(pos.size) + 1e-12)) {
      throw new SimRejected('reduce-only', 'reduce-only order would not reduce the position');
    }
    const price = m.markPrice;
    if (!reduceOnly && qty * price < m.minNotional) throw new SimRejected('min-notional', `notional ${qty * price} below ${m.minNotional}`);
    const newSize = pos.size + signed;
    const addedExposure = Math.max(0, Math.abs(newSize) - Math.abs(pos.size));
    if ((addedExposure * price) / this.leverageOf(symbol) > this.available() + 1e-9) {
      throw new SimRejected('insufficient-margin', 'margin is insufficient');
    }
    const fee = qty * price * FEE_RATE;
    // Realized PnL of the reduced part; entry price of the increased part.
    let entry = pos.entryPrice;
    const reduced = Math.sign(signed) !== Math.sign(pos.size) && pos.size !== 0 ? Math.min(qty, Math.abs(pos.size)) : 0;
    this.walletBalance += reduced * (price - pos.entryPrice) * Math.sign(pos.size) - fee;
    if (Math.abs(newSize) < 1e-12) entry = 0;
    else if (Math.sign(newSize) !== Math.sign(pos.size)) entry = price;
    else if (Math.abs(newSize) > Math.abs(pos.size)) entry = (Math.abs(pos.size) * pos.entryPrice + qty * price) / Math.abs(newSize);
    const size = Number(newSize.toFixed(9));
    if (size === 0) this.positions.delete(symbol);
    else this.positions.set(symbol, { size, entryPrice: entry });
    const now = Date.now();
    const order: SimOrder = { orderId: this.newId(), clientId, symbol, side, type: 'MARKET', qty, price, filled: qty, avgPrice: price, reduceOnly, status: 'FILLED', time: now };
    this.orders.set(clientId, order);
    const trade: SimTrade = { id: this.newId(), orderId: order.orderId, clientId, symbol, side, qty, price, fee, time: now };
    this.trades.push(trade);
    for (const listener of this.tradeListeners) listener(trade, order);
    return order;
  }

  /** Seeds a resting limit order (as if placed by hand on the venue), for cancel-all tests. */
  restLimit(symbol: string, side: 'BUY' | 'SELL', qty: number, price: number, clientId: string): SimOrder {
    const order: SimOrder = { orderId: this.newId(), clientId, symbol, side, type: 'LIMIT', qty, price, filled: 0, avgPrice: 0, reduceOnly: false, status: 'NEW', time: Date.now() };
    this.orders.set(clientId, order);
    return order;
  }

  openOrders(symbol?: string): SimOrder[] {
    return [...this.orders.values()].filter((o) => o.status === 'NEW' && (symbol === undefined || o.symbol === symbol));
  }

  /** Cancels the open order `orderId` of `symbol`; null when there is no such open order. */
  cancel(symbol: string, orderId: string): SimOrder | null {
    const o = this.openOrders(symbol).find((x) => x.orderId === orderId);
    if (o === undefined) return null;
    o.status = 'CANCELED';
    return o;
  }

  cancelAll(symbol?: string): SimOrder[] {
    const open = this.openOrders(symbol);
    for (const o of open) o.status = 'CANCELED';
    return open;
  }
}
