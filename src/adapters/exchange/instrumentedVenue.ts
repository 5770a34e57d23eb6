/**
 * An ExchangeVenue that counts and times every call (by method and outcome) and reports fills,
 * funding rates and each call's success or failure to whoever watches (metrics, history, the
 * reachability alert rule). Calls pass through unchanged: same results, same errors. Every method
 * of the venue interface is forwarded explicitly, optional ones only when the venue has them.
 */
import { tap } from 'rxjs';
import { VenueError } from './errors.js';
import type { ExchangeVenue, Fill, FundingPayment, FundingRate } from './venue.js';

export interface VenueWatch {
  /** Each call's latency and outcome. */
  call?(venue: string, method: string, ok: boolean, seconds: number, err: unknown): void;
  /** An order's outcome. */
  order?(venue: string, side: string, outcome: string): void;
  fill?(fill: Fill): void;
  fundingRate?(venue: string, rate: FundingRate): void;
  /** Funding payments read from the venue (a payment may be read more than once). */
  fundingPayments?(venue: string, payments: FundingPayment[]): void;
}

/** The error's class for a label: a VenueError's kind, else its name. */
export function errorLabel(err: unknown): string {
  if (err instanceof VenueError) return err.kind;
  return err instanceof Error ? err.name : 'unknown';
}

export function instrumentVenue(venue: ExchangeVenue, watch: VenueWatch): ExchangeVenue {
  const id = venue.id;
  const timed = <T>(method: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    return run().then(
      (v) => {
        watch.call?.(id, method, true, (performance.now() - t0) / 1000, null);
        return v;
      },
      (err: unknown) => {
        watch.call?.(id, method, false, (performance.now() - t0) / 1000, err);
        throw err;
      },
    );
  };
  const wrapped: ExchangeVenue = {
    id,
    fills$: venue.fills$.pipe(tap((f) => watch.fill?.(f))),
    loadMarkets: () => timed('loadMarkets', () => venue.loadMarkets()),
    fetchBalance: () => timed('fetchBalance', () => venue.fetchBalance()),
    fetchPositions: (s) => timed('fetchPositions', () => venue.fetchPositions(s)),
    fetchOpenOrders: (s) => timed('fetchOpenOrders', () => venue.fetchOpenOrders(s)),
    fetchOrderByClientId: (s, c) => timed('fetchOrderByClientId', () => venue.fetchOrderByClientId(s, c)),
    setLeverage: (s, l) => timed('setLeverage', () => venue.setLeverage(s, l)),
    cancelAllOrders: (s) => timed('cancelAllOrders', () => venue.cancelAllOrders(s)),
    cancelOrder: (s, orderId) => timed('cancelOrder', () => venue.cancelOrder(s, orderId)),
    fetchFundingRate: async (s) => {
      const rate = await timed('fetchFundingRate', () => venue.fetchFundingRate(s));
      watch.fundingRate?.(id, rate);
      return rate;
    },
    fetchFundingHistory: async (s, since) => {
      const payments = await timed('fetchFundingHistory', () => venue.fetchFundingHistory(s, since));
      watch.fundingPayments?.(id, payments);
      return payments;
    },
    createOrder: async (req) => {
      try {
        const order = await timed('createOrder', () => venue.createOrder(req));
        watch.order?.(id, req.side, order.status);
        return order;
      } catch (err) {
        watch.order?.(id, req.side, `error:${errorLabel(err)}`);
        throw err;
      }
    },
    close: () => venue.close(),
  };
  return wrapped;
}
