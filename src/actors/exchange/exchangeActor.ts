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
import { CLIENT_ORDER_ID_PREFIX, deriveClientOrderId } from '../../adapters/exchange/clientOrderId.js';
import type { OrderJournal } from '../../adapters/exchange/orderJournal.js';
import { cancelStaleOrders } from './staleOrders.js';
import { affordableAmount, DEFAULT_MARGIN_BUFFER, marginHealth, orderMarginShortfall, type MarginBuffer, type MarginHealth } from './marginCheck.js';
import { foldFunding, type FundingLedger } from './fundingLedger.js';

// ---- protocol -------------------------------------------------------------------------------

/** Outcome of a hedge request. */
export type HedgeOrderReply =
  /** `unplaced`: base units of the asked change the free margin could not carry (a partial hedge), 0 when all went. */
  | { ok: true; order: Order | null; positionSize: number; note: string; unplaced: number }
  | { ok: false; reason: string; kind: 'insufficient-margin' | 'halted' | 'venue-error' | 'below-minimum' | 'unknown-market'; retryable: boolean; positionSize: number };

export type ExchangeMsg =
  /** Bring the position in `symbol` to `targetSize` (signed base units). `sequence` names the intent. */
  | { type: 'hedgeTo'; asset: string; symbol: string; targetSize: number; markPrice: number; sequence: number; replyTo: ReplyTo<HedgeOrderReply> }
  | { type: 'fill'; fill: Fill }
  /** `adopting`: this process takes the venues over (pools mode): the agent's own orders still open are stale (staleOrders.ts). */
  | { type: 'sync'; adopting?: boolean; replyTo?: ReplyTo<ExchangeView> }
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
  /** Open perp positions with their margin health against `hedge.margin` (see marginCheck.ts). */
  positions: Record<string, ExchangePosition>;
  balance: { total: number; free: number; used: number; currency: string };
  /** Equity in quote units: the balance total, which every venue reports with unrealized PnL in it (Binance marginBalance, Bybit equity, paper cash + uPnL). */
  equity: number;
  /** Funding paid and received per symbol, from the venue's funding history. */
  funding: FundingLedger;
  /** The venue's current funding rate per interval, per market (read with the funding history). */
  fundingRates: Record<string, number>;
  openOrders: number;
  /** Open orders found and cancelled at start-up (staleOrders.ts), since this state began. */
  staleOrdersCancelled?: number;
  /**
   * Added to each hedge intent's sequence before its client order id is derived (0 when absent).
   * Pools mode: a process taking the venues over sets it above every sequence in the order journal,
   * so its hedge (whose own sequence is as old as this process's start) never derives an id the
   * previous owner used: such an intent would "adopt" that old order instead of placing its own.
   */
  sequenceOffset?: number;
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

export interface ExchangePosition {
  size: number;
  entryPrice: number;
  markPrice: number;
  unrealizedPnl: number;
  margin: number;
  maintenanceMargin: number;
  liquidationPrice: number | null;
  health: MarginHealth;
}

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
  /** Liquidation buffer (config hedge.margin); defaults to DEFAULT_MARGIN_BUFFER. */
  marginBuffer?: MarginBuffer;
  /** Funding history is read at most this often, ms (default 60 s; 0: on every sync). */
  fundingPollMs?: number;
}

export function initialExchangeState(venue: string, leverage: number): ExchangeState {
  return {
    venue, status: 'starting', haltReason: null, leverage, markets: {}, positions: {},
    balance: { total: 0, free: 0, used: 0, currency: 'USDT' }, equity: 0, openOrders: 0, ordersPlaced: 0, ordersAdopted: 0,
    fills: 0, feesPaid: 0, rejections: [], errors: 0, lastError: null, lastOrder: null, funding: { bySymbol: {}, total: 0, checkedAt: null }, fundingRates: {},
  };
}

/**
 * A state restored from a checkpoint written before funding and margin health existed gets
 * them (empty until the first sync). Applied once, where the checkpoint is restored.
 */
export function restoredExchangeState(s: ExchangeState): ExchangeState {
  const partial = s as Omit<ExchangeState, 'funding' | 'fundingRates'> & { funding?: FundingLedger; fundingRates?: Record<string, number> };
  if (partial.funding === undefined) return { ...s, funding: { bySymbol: {}, total: 0, checkedAt: null }, fundingRates: {}, positions: {} };
  return partial.fundingRates === undefined ? { ...s, fundingRates: {} } : s;
}

function positionsRecord(list: PerpPosition[], equity: number, buffer: MarginBuffer): ExchangeState['positions'] {
  const out: ExchangeState['positions'] = {};
  for (const p of list) {
    const health = marginHealth({ size: p.size, markPrice: p.markPrice, maintenanceMargin: p.maintenanceMargin, liquidationPrice: p.liquidationPrice }, equity, buffer);
    out[p.symbol] = { size: p.size, entryPrice: p.entryPrice, markPrice: p.markPrice, unrealizedPnl: p.unrealizedPnl, margin: p.margin, maintenanceMargin: p.maintenanceMargin, liquidationPrice: p.liquidationPrice, health };
  }
  return out;
}

function withBalance(s: ExchangeState, b: Balance, positions: PerpPosition[], openOrders: number, buffer: MarginBuffer): ExchangeState {
  // every venue's balance total already holds the unrealized PnL: adding it again counted it twice
  const equity = b.total;
  return { ...s, balance: { total: b.total, free: b.free, used: b.used, currency: b.currency }, positions: positionsRecord(positions, equity, buffer), equity, openOrders };
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
  const buffer = deps.marginBuffer ?? DEFAULT_MARGIN_BUFFER;
  const fundingPollMs = deps.fundingPollMs ?? 60_000;

  async function sync(s: ExchangeState): Promise<ExchangeState> {
    const [balance, positions, open] = await Promise.all([venue.fetchBalance(), venue.fetchPositions(), venue.fetchOpenOrders()]);
    return withFunding(withBalance(s, balance, positions, open.length, buffer));
  }

  /** Folds in the funding settled since the last read (at most every fundingPollMs); a failed read is logged and retried next time. */
  async function withFunding(s: ExchangeState): Promise<ExchangeState> {
    const now = deps.now();
    if (s.funding.checkedAt !== null && now - s.funding.checkedAt < fundingPollMs) return s;
    const symbols = [...new Set([...Object.keys(s.markets), ...Object.keys(s.positions), ...Object.keys(s.funding.bySymbol)])];
    try {
      // funding from before the agent first looked (a real account's history) is not this hedge's
      const since = s.funding.since ?? now - fundingPollMs;
      let ledger: FundingLedger = { ...s.funding, checkedAt: now, since };
      for (const symbol of symbols) {
        const last = s.funding.bySymbol[symbol]?.lastAt ?? null;
        // from the newest payment seen on (inclusive: the ledger knows it by id and takes it once)
        const payments = await venue.fetchFundingHistory(symbol, last ?? since);
        ledger = foldFunding(ledger, symbol, payments);
      }
      const fundingRates = { ...s.fundingRates };
      for (const symbol of Object.keys(s.markets)) fundingRates[symbol] = (await venue.fetchFundingRate(symbol)).rate;
      return { ...s, funding: ledger, fundingRates };
    } catch (err) {
      log.warn({ err, venue: venue.id }, 'funding history read failed; will retry');
      return s;
    }
  }

  function rejected(s: ExchangeState, clientOrderId: string, reason: string): ExchangeState {
    const rejections = [...s.rejections, { at: deps.now(), clientOrderId, reason }].slice(-MAX_REJECTIONS);
    return { ...s, rejections };
  }

  async function hedgeTo(s0: ExchangeState, m: Extract<ExchangeMsg, { type: 'hedgeTo' }>): Promise<ExchangeState> {
    let s = s0;
    const current = s.positions[m.symbol]?.size ?? 0;
    const sequence = m.sequence + (s.sequenceOffset ?? 0);
    const clientOrderId = deriveClientOrderId({ agentId: deps.agentId, venue: venue.id, asset: m.asset, sequence });
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
      reply(m.replyTo, { ok: true, order: existing, positionSize: s.positions[m.symbol]?.size ?? 0, note: 'adopted existing order', unplaced: 0 });
      return s;
    }

    const diff = m.targetSize - current;
    const wanted = roundDown(Math.abs(diff), market.amountStep);
    const belowMinimum = (x: number): boolean => x < market.minAmount || x === 0 || x * m.markPrice < market.minNotional;
    if (belowMinimum(wanted)) {
      reply(m.replyTo, { ok: true, order: null, positionSize: current, note: `difference ${diff} below venue minimum`, unplaced: 0 });
      return s;
    }
    let amount = wanted;
    const side = diff > 0 ? 'buy' : 'sell';
    const reduceOnly = Math.sign(current) !== 0 && Math.sign(diff) === -Math.sign(current) && Math.abs(diff) <= Math.abs(current);
    if (!reduceOnly) {
      const shortfall = orderMarginShortfall({
        amount, targetSize: m.targetSize, price: m.markPrice, leverage: s.leverage, free: s.balance.free, maxPositionNotional: deps.maxPositionNotional, currency: s.balance.currency,
      });
      if (shortfall !== null) {
        // margin short: hedge what the free margin carries (the rest is reported as unplaced), unless even that is below the venue's minimum
        const partial = Math.min(wanted, affordableAmount(s.balance.free, s.equity, m.markPrice, s.leverage, market.amountStep));
        const sizeCapped = Math.abs(m.targetSize) * m.markPrice > deps.maxPositionNotional;
        if (sizeCapped || belowMinimum(partial)) return fail(s, 'insufficient-margin', shortfall, false);
        log.warn({ venue: venue.id, wanted, placing: partial, reason: shortfall }, 'partial hedge: the free margin carries only part of the order');
        amount = partial;
      }
    }
    const unplaced = wanted - amount;
    try {
      // the intent is durable before the order leaves: a kill -9 right after cannot lose it
      await deps.orders?.record({ clientOrderId, symbol: m.symbol, side, amount, reduceOnly, sequence, at: deps.now() });
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
      log.info({ venue: venue.id, clientOrderId, side, amount, unplaced, average: order.average, position: s.positions[m.symbol]?.size ?? 0 }, 'hedge order placed');
      const note = unplaced > 0 ? `partial hedge: ${unplaced} ${market.base} unplaced (insufficient margin)` : 'order placed';
      reply(m.replyTo, { ok: true, order, positionSize: s.positions[m.symbol]?.size ?? 0, note, unplaced });
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
            // the venue holds margin at its own leverage setting (Binance's default is 20x): set the configured one, so the
            // free margin the venue reports is the one the pre-flight check and the partial hedge assume
            for (const mk of markets) {
              try {
                await venue.setLeverage(mk.symbol, s.leverage);
              } catch (err) {
                log.warn({ err, venue: venue.id, symbol: mk.symbol, leverage: s.leverage }, 'setting the leverage failed; the venue keeps its own');
              }
            }
          }
          const reconciledBefore = reconciled;
          if (!reconciled) {
            const cancelled = await cancelStaleOrders(venue, log);
            reconciled = true;
            if (cancelled > 0) next = { ...next, staleOrdersCancelled: (next.staleOrdersCancelled ?? 0) + cancelled };
          }
          if (msg.adopting === true) {
            // taken over: what the previous owners sent is in the journal (written before each send)
            const journal = await deps.orders?.all() ?? [];
            if (reconciledBefore) {
              const ours = new Set(journal.map((o) => o.clientOrderId));
              const cancelled = await cancelStaleOrders(venue, log, (o) => ours.has(o.clientOrderId) || (deps.orders === undefined && o.clientOrderId.startsWith(CLIENT_ORDER_ID_PREFIX)));
              if (cancelled > 0) next = { ...next, staleOrdersCancelled: (next.staleOrdersCancelled ?? 0) + cancelled };
            }
            // and this process's intents continue above every sequence they used
            const used = journal.reduce((x, o) => Math.max(x, o.sequence ?? 0), 0);
            if (used > 0) next = { ...next, sequenceOffset: used };
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
