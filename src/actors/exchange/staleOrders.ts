/**
 * Start-up reconciliation of a venue account: an order still open when the agent starts is stale
 * (the agent only sends market orders, which fill at once; one left open is from before a crash,
 * or was placed by hand on the agent's account) and would fill behind the hedge's back, so each
 * is cancelled, one by one, and logged with what it was.
 *
 * Pools mode: a process that takes the venues over again (it held the hedge before, lost it, and
 * another process traded meanwhile) cancels what the agent itself left open: the orders whose
 * client order ids the agent journaled before sending them (orderJournal.ts), whichever process
 * sent them; an order placed by hand is left alone (logged), as it was when this process started.
 */
import type { Logger } from '../../logging/logger.js';
import type { ExchangeVenue, Order } from '../../adapters/exchange/venue.js';

/**
 * Cancels every open order on `venue`'s configured symbols (only those `which` picks, when given);
 * returns how many it cancelled.
 */
export async function cancelStaleOrders(venue: ExchangeVenue, log: Logger, which: (o: Order) => boolean = () => true): Promise<number> {
  const open = (await venue.fetchOpenOrders()).filter(which);
  let cancelled = 0;
  for (const o of open) {
    const done = await venue.cancelOrder(o.symbol, o.id);
    if (done) cancelled += 1;
    log.warn(
      { venue: venue.id, symbol: o.symbol, orderId: o.id, clientOrderId: o.clientOrderId, side: o.side, amount: o.amount, filled: o.filled, cancelled: done },
      done ? 'start-up: stale open order cancelled' : 'start-up: stale open order was no longer open',
    );
  }
  return cancelled;
}
