/**
 * Places an intended order exactly once. When createOrder fails in a way that leaves the outcome
 * unknown (timeout, dropped connection, 5xx, rate limit), the order is first looked up by its
 * client order id and only re-sent if the venue never accepted it. A re-send the venue refuses
 * because the client id is already used means an earlier attempt got through: the order is
 * fetched and returned. Rejections (insufficient margin, invalid order, auth) are thrown at once.
 */
import type { Logger } from '../../../logging/logger.js';
import { VenueError } from '../errors.js';
import type { Order, OrderRequest } from '../venue.js';
import { isDuplicateClientOrderId } from './errorMapping.js';
import { defaultSleep, retryDelay, withRetry, type RetryHooks } from './retry.js';
import type { RetryPolicy } from './venueConfig.js';

export interface ExactlyOnceDeps {
  venue: string;
  /** One createOrder request, errors mapped to VenueError. */
  send: (req: OrderRequest) => Promise<Order>;
  /** The order with this client id, or null when the venue has none. */
  lookup: (symbol: string, clientOrderId: string) => Promise<Order | null>;
  policy: RetryPolicy;
  hooks?: RetryHooks;
  log: Logger;
}

/** Places `req` exactly once (see the module comment); returns the venue's order. */
export async function placeExactlyOnce(req: OrderRequest, deps: ExactlyOnceDeps): Promise<Order> {
  const { policy, log } = deps;
  const hooks = deps.hooks ?? {};
  const sleep = hooks.sleep ?? defaultSleep;
  const lookup = (): Promise<Order | null> => withRetry(() => deps.lookup(req.symbol, req.clientOrderId), policy, hooks);
  for (let attempt = 1; ; attempt += 1) {
    let error: VenueError;
    try {
      return await deps.send(req);
    } catch (err) {
      if (!(err instanceof VenueError)) throw err;
      error = err;
    }
    if (error.kind === 'invalid-order' && isDuplicateClientOrderId(error)) {
      const placed = await lookup();
      if (placed !== null) {
        log.info({ venue: deps.venue, clientOrderId: req.clientOrderId, attempt }, 'client order id already used: adopting the placed order');
        return placed;
      }
      throw error;
    }
    if (!error.retryable) throw error;
    // The outcome is unknown: the venue may have accepted the order before the failure.
    let placed: Order | null;
    try {
      placed = await lookup();
    } catch (lookupErr) {
      throw new VenueError('timeout', deps.venue, `order ${req.clientOrderId}: outcome unknown, the lookup by client id failed too`, { cause: lookupErr });
    }
    if (placed !== null) {
      log.info({ venue: deps.venue, clientOrderId: req.clientOrderId, attempt, after: error.kind }, 'order found by client id after a failed send');
      return placed;
    }
    const delayMs = retryDelay(policy, attempt, error, hooks.random);
    if (delayMs === null) throw error;
    log.warn({ venue: deps.venue, clientOrderId: req.clientOrderId, attempt, kind: error.kind, delayMs }, 'order not placed, sending again');
    hooks.onRetry?.({ attempt, delayMs, error });
    await sleep(delayMs);
  }
}
