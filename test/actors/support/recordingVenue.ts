/**
 * A thin recording decorator around the real PaperExchange, so actor tests can see what left the
 * agent: the client order id of every createOrder call (accepted or not), every order the venue
 * filled (observed on the venue's own fills$), and how many times cancelAllOrders was called.
 * Every call is delegated unchanged to the PaperExchange; no trading logic lives here.
 */
import type { Subscription } from 'rxjs';
import { PaperExchange, type PaperExchangeDeps } from '../../../src/adapters/exchange/paperExchange.js';
import type { PaperExchangeOptions } from '../../../src/adapters/exchange/paper/paperOptions.js';
import type { Balance, ExchangeVenue, Fill, FundingPayment, FundingRate, MarketInfo, Order, OrderRequest, PerpPosition } from '../../../src/adapters/exchange/venue.js';

export class RecordingVenue implements ExchangeVenue {
  /** The real venue every call goes to (setMark, failNext, ledgerSnapshot live here). */
  readonly paper: PaperExchange;
  /** Client order id of every createOrder call, in call order, accepted or not. */
  readonly attempts: string[] = [];
  /** Every fill the venue reported on fills$, in order (one per accepted market order). */
  readonly fills: Fill[] = [];
  cancelCalls = 0;
  private readonly fillSub: Subscription;

  constructor(options: PaperExchangeOptions, deps: PaperExchangeDeps = {}) {
    this.paper = new PaperExchange(options, deps);
    this.fillSub = this.paper.fills$.subscribe((f) => this.fills.push(f));
  }

  get id(): string {
    return this.paper.id;
  }

  get fills$(): ExchangeVenue['fills$'] {
    return this.paper.fills$;
  }

  loadMarkets(): Promise<MarketInfo[]> {
    return this.paper.loadMarkets();
  }

  fetchBalance(): Promise<Balance> {
    return this.paper.fetchBalance();
  }

  fetchPositions(symbols?: string[]): Promise<PerpPosition[]> {
    return this.paper.fetchPositions(symbols);
  }

  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    return this.paper.fetchOpenOrders(symbol);
  }

  fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | null> {
    return this.paper.fetchOrderByClientId(symbol, clientOrderId);
  }

  setLeverage(symbol: string, leverage: number): Promise<void> {
    return this.paper.setLeverage(symbol, leverage);
  }

  createOrder(req: OrderRequest): Promise<Order> {
    this.attempts.push(req.clientOrderId);
    return this.paper.createOrder(req);
  }

  cancelOrder(symbol: string, orderId: string): Promise<boolean> {
    return this.paper.cancelOrder(symbol, orderId);
  }

  cancelAllOrders(symbol?: string): Promise<number> {
    this.cancelCalls += 1;
    return this.paper.cancelAllOrders(symbol);
  }

  fetchFundingRate(symbol: string): Promise<FundingRate> {
    return this.paper.fetchFundingRate(symbol);
  }

  fetchFundingHistory(symbol: string, since?: number): Promise<FundingPayment[]> {
    return this.paper.fetchFundingHistory(symbol, since);
  }

  async close(): Promise<void> {
    this.fillSub.unsubscribe();
    await this.paper.close();
  }
}
