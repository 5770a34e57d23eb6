/**
 * ExchangeActor: one per venue account, the only code that places or cancels orders. It checks
 * margin before every risk-adding order (a shortfall is a rejection with a reason, not a crash),
 * derives a deterministic client order id from each intent (a retry never doubles an order;
 * before sending it looks the id up on the venue), and tracks fills, positions and balance.
 */
import type { Logger } from '../../logging/logger.js';
import type { Balance, ExchangeVenue, Fill, MarketInfo, Order, PerpPosition } from '../../adapters/exchange/venue.js';
import { VenueError } from '../../adapters/exchange/errors.js';
import { reply, type ActorRef, type Behaviour, type ReplyTo } from '../core/typedActors.js';
import { HaltedError } from '../core/killSwitch.js';
import { deriveClientOrderId } from '../../adapters/exchange/clientOrderId.js';
import type { OrderJournal } from '../../adapters/exchange/orderJournal.js';
import { cancelStaleOrders } from './staleOrders.js';

// ---- protocol -------------------------------------------------------------------------------

/** Outcome of a hedge request. */
export type HedgeOrderReply =
  | { ok: true; order: Order | null; positionSize: number; note: string }
  | { ok: false; reason: string; kind: 'insufficient-margin' | 'halted' | 'venue-error' | 'below-minimum' | 'unknown-market'; retryable: boolean; positionSize: number };

export type ExchangeMsg =
  /** Bring the position in `symbol` to `targetSize` (signed base units). `sequence` names the intent. */
  | { type: 'hedgeTo'; asset: string; symbol: string; targetSize: number; markPrice: number; sequence: number; replyTo: ReplyTo<HedgeOrderReply> }
  | { type: 'fill'; fill: Fill }
  | { type: 'sync'; replyTo?: ReplyTo<ExchangeView> }
  | { type: 'halt'; reason: string; flatten: boolean; replyTo?: ReplyTo<ExchangeView> }
  | { type: 'resume' }
  | { type: 'getState'; replyTo: ReplyTo<ExchangeView> };

// ---- state ----------------------------------------------------------------------------------

export interface ExchangeState {
  venue: string;
  status: 'starting' | 'running' | 'halted';
  haltReason: string | null;
  leverage: number;
  markets: Record<string, MarketInfo>;
  positions: Record<string, { size: number; entryPrice: number; markPrice: number; unrealizedPnl: number; margin: number }>;
  balance: { total: number; free: number; used: number; currency: string };
  /** Equity in quote units: balance total + unrealized PnL. */
  equity: number;
  openOrders: number;
  /** Open orders found and cancelled at start-up (staleOrders.ts), since this state began. */
  staleOrdersCancelled?: number;
  ordersPlaced: number;
  ordersAdopted: number;
  fills: number;
  feesPaid: number;
  rejections: { at: number; clientOrderId: string; reason: string }[];
  errors: number;
  lastError: string | null;
  lastOrder: { clientOrderId: string; side: string; amount: number; average: number | null; status: string } | null;
}

export type ExchangeView = ExchangeState;

export interface ExchangeDeps {
  venue: ExchangeVenue;
  agentId: string;
  leverage: number;
  /** Largest hedge notional in quote units (config maxPositionSize). */
  maxPositionNotional: number;
  log: Logger;
  now: () => number;
  /** Called after each change with the new state (state$ and checkpoint). */
  publish: (s: ExchangeState) => void;
  /** Called after a balance/position sync (the supervisor's equity report). */
  report: (s: ExchangeState) => void;
  /** Each order is journaled here, durably, before it is sent (absent: not journaled). */
  orders?: OrderJournal;
}

export function initialExchangeState(venue: string, leverage: number): ExchangeState {
  return {
    venue, status: 'starting', haltReason: null, leverage, markets: {}, positions: {},
    balance: { total: 0, free: 0, used: 0, currency: 'USDT' }, equity: 0, openOrders: 0, ordersPlaced: 0, ordersAdopted: 0,
    fills: 0, feesPaid: 0, rejections: [], errors: 0, lastError: null, lastOrder: null,
  };
}

function positionsRecord(list: PerpPosition[]): ExchangeState['positions'] {
  const out: ExchangeState['positions'] = {};
  for (const p of list) out[p.symbol] = { size: p.size, entryPrice: p.entryPrice, markPrice: p.markPrice, unrealizedPnl: p.unrealizedPnl, margin: p.margin };
  return out;
}

function withBalance(s: ExchangeState, b: Balance, positions: PerpPosition[], openOrders: number): ExchangeState {
  const pos = positionsRecord(positions);
  const upnl = Object.values(pos).reduce((a, p) => a + p.unrealizedPnl, 0);
  return { ...s, balance: { total: b.total, free: b.free, used: b.used, currency: b.currency }, positions: pos, equity: b.total + upnl, openOrders };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function roundDown(x: number, step: number): number {
  if (!(step > 0)) return x;
  return Math.floor(x / step + 1e-9) * step;
}

const MAX_REJECTIONS = 20;

/** The ExchangeActor's behaviour. */
export function exchangeBehaviour(deps: ExchangeDeps): Behaviour<ExchangeState, ExchangeMsg> {
  const { venue, log } = deps;
  /** Whether this start's reconciliation (stale orders cancelled) is done. */
  let reconciled = false;

  async function sync(s: ExchangeState): Promise<ExchangeState> {
    const [balance, positions, open] = await Promise.all([venue.fetchBalance(), venue.fetchPositions(), venue.fetchOpenOrders()]);
    return withBalance(s, balance, positions, open.length);
  }

  function rejected(s: ExchangeState, clientOrderId: string, reason: string): ExchangeState {
    const rejections = [...s.rejections, { at: deps.now(), clientOrderId, reason }].slice(-MAX_REJECTIONS);
    return { ...s, rejections };
  }

  async function hedgeTo(s0: ExchangeState, m: Extract<ExchangeMsg, { type: 'hedgeTo' }>): Promise<ExchangeState> {
    let s = s0;
    const current = s.positions[m.symbol]?.size ?? 0;
    const clientOrderId = deriveClientOrderId({ agentId: deps.agentId, venue: venue.id, asset: m.asset, sequence: m.sequence });
    const fail = (st: ExchangeState, kind: Extract<HedgeOrderReply, { ok: false }>['kind'], reason: string, retryable: boolean): ExchangeState => {
      reply(m.replyTo, { ok: false, kind, reason, retryable, positionSize: st.positions[m.symbol]?.size ?? 0 });
      log.warn({ venue: venue.id, clientOrderId, kind, reason }, 'hedge order not placed');
      return rejected(st, clientOrderId, reason);
    };
    if (s.status === 'halted') return fail(s, 'halted', `halted: ${s.haltReason ?? ''}`, false);
    const market = s.markets[m.symbol];
    if (market === undefined) return fail(s, 'unknown-market', `unknown market ${m.symbol}`, false);

    // Adopt an order this intent already placed (a retry after a timeout, or a restart).
    const existing = await venue.fetchOrderByClientId(m.symbol, clientOrderId);
    if (existing !== null) {
      s = await sync({ ...s, ordersAdopted: s.ordersAdopted + 1 });
      reply(m.replyTo, { ok: true, order: existing, positionSize: s.positions[m.symbol]?.size ?? 0, note: 'adopted existing order' });
      return s;
    }

    const diff = m.targetSize - current;
    const amount = roundDown(Math.abs(diff), market.amountStep);
    if (amount < market.minAmount || amount === 0 || amount * m.markPrice < market.minNotional) {
      reply(m.replyTo, { ok: true, order: null, positionSize: current, note: `difference ${diff} below venue minimum` });
      return s;
    }
    const side = diff > 0 ? 'buy' : 'sell';
    const reduceOnly = Math.sign(current) !== 0 && Math.sign(diff) === -Math.sign(current) && Math.abs(diff) <= Math.abs(current);
    if (!reduceOnly) {
      const newNotional = Math.abs(m.targetSize) * m.markPrice;
      if (newNotional > deps.maxPositionNotional) {
        return fail(s, 'insufficient-margin', `target notional ${newNotional.toFixed(2)} exceeds maxPositionSize ${deps.maxPositionNotional}`, false);
      }
      const required = (amount * m.markPrice) / s.leverage;
      if (required > s.balance.free) {
        return fail(s, 'insufficient-margin', `Insufficient margin: need ${required.toFixed(2)} ${s.balance.currency}, free ${s.balance.free.toFixed(2)}`, false);
      }
    }
    try {
      // the intent is durable before the order leaves: a kill -9 right after cannot lose it
      await deps.orders?.record({ clientOrderId, symbol: m.symbol, side, amount, reduceOnly, sequence: m.sequence, at: deps.now() });
    } catch (err) {
      return fail(s, 'venue-error', `order not sent: journaling its intent failed: ${describe(err)}`, true);
    }
    try {
      const order = await venue.createOrder({ clientOrderId, symbol: m.symbol, side, amount, type: 'market', reduceOnly });
      s = await sync({
        ...s,
        ordersPlaced: s.ordersPlaced + 1,
        lastOrder: { clientOrderId, side, amount, average: order.average, status: order.status },
      });
      log.info({ venue: venue.id, clientOrderId, side, amount, average: order.average, position: s.positions[m.symbol]?.size ?? 0 }, 'hedge order placed');
      reply(m.replyTo, { ok: true, order, positionSize: s.positions[m.symbol]?.size ?? 0, note: 'order placed' });
      return s;
    } catch (err) {
      if (err instanceof HaltedError) return fail(s, 'halted', err.message, false);
      const retryable = err instanceof VenueError ? err.retryable : true;
      const kind = err instanceof VenueError && err.kind === 'insufficient-margin' ? 'insufficient-margin' : 'venue-error';
      return fail({ ...s, errors: s.errors + 1, lastError: describe(err) }, kind, describe(err), retryable);
    }
  }

  return async (s, msg) => {
    switch (msg.type) {
      case 'hedgeTo': {
        try {
          const next = await hedgeTo(s, msg);
          deps.publish(next);
          deps.report(next);
          return next;
        } catch (err) {
          // a venue read failed (network, venue down): reported, the actor keeps running
          const next = rejected({ ...s, errors: s.errors + 1, lastError: describe(err) }, '-', describe(err));
          reply(msg.replyTo, { ok: false, kind: 'venue-error', reason: describe(err), retryable: true, positionSize: s.positions[msg.symbol]?.size ?? 0 });
          log.error({ err, venue: venue.id }, 'exchange request failed');
          deps.publish(next);
          return next;
        }
      }
      case 'fill': {
        const next = { ...s, fills: s.fills + 1, feesPaid: s.feesPaid + msg.fill.fee };
        deps.publish(next);
        return next;
      }
      case 'sync': {
        try {
          let next = s;
          if (Object.keys(s.markets).length === 0) {
            const markets = await venue.loadMarkets();
            next = { ...next, markets: Object.fromEntries(markets.map((mk) => [mk.symbol, mk])) };
          }
          if (!reconciled) {
            const cancelled = await cancelStaleOrders(venue, log);
            reconciled = true;
            if (cancelled > 0) next = { ...next, staleOrdersCancelled: (next.staleOrdersCancelled ?? 0) + cancelled };
          }
          next = await sync(next);
          if (next.status === 'starting') next = { ...next, status: 'running' };
          deps.publish(next);
          deps.report(next);
          if (msg.replyTo !== undefined) reply(msg.replyTo, next);
          return next;
        } catch (err) {
          const next = { ...s, errors: s.errors + 1, lastError: describe(err) };
          log.error({ err, venue: venue.id }, 'exchange sync failed');
          deps.publish(next);
          if (msg.replyTo !== undefined) reply(msg.replyTo, next);
          return next;
        }
      }
      case 'halt': {
        let next: ExchangeState = { ...s, status: 'halted', haltReason: msg.reason };
        try {
          const cancelled = await venue.cancelAllOrders();
          log.warn({ venue: venue.id, cancelled }, 'halt: open orders cancelled');
          if (msg.flatten) {
            const positions = await venue.fetchPositions();
            for (const p of positions) {
              if (p.size === 0) continue;
              const clientOrderId = deriveClientOrderId({ agentId: deps.agentId, venue: venue.id, asset: `flatten-${p.symbol}`, sequence: deps.now() });
              const side = p.size > 0 ? 'sell' : 'buy';
              await deps.orders?.record({ clientOrderId, symbol: p.symbol, side, amount: Math.abs(p.size), reduceOnly: true, sequence: null, at: deps.now() });
              await venue.createOrder({ clientOrderId, symbol: p.symbol, side, amount: Math.abs(p.size), type: 'market', reduceOnly: true });
              log.warn({ venue: venue.id, symbol: p.symbol, size: p.size }, 'halt: hedge flattened');
            }
          }
          next = await sync(next);
        } catch (err) {
          next = { ...next, errors: next.errors + 1, lastError: describe(err) };
          log.error({ err, venue: venue.id }, 'halt: cancelling/flattening failed');
        }
        deps.publish(next);
        deps.report(next);
        if (msg.replyTo !== undefined) reply(msg.replyTo, next);
        return next;
      }
      case 'resume': {
        const next: ExchangeState = { ...s, status: 'running', haltReason: null };
        deps.publish(next);
        return next;
      }
      case 'getState':
        reply(msg.replyTo, s);
        return s;
    }
  };
}

export type ExchangeRef = ActorRef<ExchangeMsg>;
