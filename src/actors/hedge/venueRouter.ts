/**
 * VenueRouter: stands between the HedgeActor and the ExchangeActors of the hedge venues
 * (config `hedge.venues`). The HedgeActor asks it, as it would one venue, to bring the net perp
 * position of a symbol to a target; the router sends each part of the change to the venue where
 * it is cheapest to make and hold (hedgeSync.ts: taker fee + expected funding, among healthy
 * venues with free margin), and when a venue does not answer or refuses (margin, errors) it marks
 * it down for `failoverMs` and sends that part to the next one, so the net hedge across venues
 * still reaches the band. With every venue down it still tries them (a single venue behaves as
 * before: a failure is reported, the retry goes to it again).
 *
 * It also turns the venues' reports into what the HedgeActor works from (net position and
 * funding per symbol, the best venue's quote), and watches margin health: a position inside the
 * liquidation buffer raises an alert once and, with `hedge.margin.action: reduce`, is cut to the
 * size that restores the buffer (the rest of the hedge then goes to a healthy venue, if any).
 */
import type { Logger } from '../../logging/logger.js';
import { ask, reply, tell, type ActorRef, type Behaviour, type ReplyTo } from '../core/typedActors.js';
import type { ExchangeMsg, ExchangeState, HedgeOrderReply } from '../exchange/exchangeActor.js';
import type { MarginBuffer } from '../exchange/marginCheck.js';
import { changeCost, netOverVenues, quoteOf, rankVenues, type VenueQuote } from './hedgeSync.js';

export type HedgeToMsg = Extract<ExchangeMsg, { type: 'hedgeTo' }>;

export type RouterMsg =
  | HedgeToMsg
  /** An ExchangeActor's state after a sync or an order (the agent forwards every hedge venue's report). */
  | { type: 'venueState'; state: ExchangeState }
  | { type: 'getState'; replyTo: ReplyTo<RouterState> };

export interface RouteDecision {
  at: number;
  symbol: string;
  venue: string;
  /** Signed base units asked of that venue. */
  change: number;
  cost: { fees: number; expectedFunding: number; total: number };
  outcome: string;
}

export interface RouterState {
  venues: Record<string, {
    /** Down (no answer, refusal) until this time, ms; null when up. */
    downUntil: number | null;
    lastFailure: string | null;
    /** Symbols whose position is inside the liquidation buffer now (alerted once per entry). */
    unhealthy: string[];
  }>;
  /** The last routing decisions, newest last. */
  decisions: RouteDecision[];
}

/** What the HedgeActor is told after each venue report: net positions, net funding, the best quote per symbol. */
export interface NetHedgeView {
  sizes: Record<string, number>;
  funding: Record<string, number>;
  quotes: Record<string, VenueQuote>;
}

export interface RouterDeps {
  /** The hedge venues' ExchangeActors, by venue id, in configured order. */
  exchanges: Map<string, ActorRef<ExchangeMsg>>;
  failoverMs: number;
  /** Horizon the expected funding of a hedge is counted over, ms. */
  fundingHorizonMs: number;
  orderTimeoutMs: number;
  margin: MarginBuffer;
  agentId: string;
  now: () => number;
  log: Logger;
  publish: (s: RouterState) => void;
  /** The net view for the HedgeActor (after every venue report). */
  onNet: (v: NetHedgeView) => void;
  alert: (severity: 'warning' | 'critical', message: string) => void;
}

const MAX_DECISIONS = 20;

export function initialRouterState(venues: readonly string[]): RouterState {
  return { venues: Object.fromEntries(venues.map((v) => [v, { downUntil: null, lastFailure: null, unhealthy: [] }])), decisions: [] };
}

/** The VenueRouter's behaviour. */
export function venueRouterBehaviour(deps: RouterDeps): Behaviour<RouterState, RouterMsg> {
  const { log } = deps;
  /** Latest state of each hedge venue. */
  const states = new Map<string, ExchangeState>();
  /** Last mark price the HedgeActor sent per symbol. */
  const lastPrice = new Map<string, number>();

  function netView(price: (symbol: string) => number): NetHedgeView {
    const { sizes, funding } = netOverVenues([...states.values()]);
    const quotes: Record<string, VenueQuote> = {};
    for (const symbol of Object.keys(sizes)) {
      const p = price(symbol);
      const all = [...states.values()].map((s) => quoteOf(s, symbol, p)).filter((q): q is VenueQuote => q !== null);
      // the quote a new unit of short hedge would get (the usual direction of an LP hedge)
      const best = rankVenues(all.map((q) => ({ ...q, position: 0 })), -1, p, deps.fundingHorizonMs)[0] ?? all[0];
      if (best !== undefined) quotes[symbol] = best;
    }
    return { sizes, funding, quotes };
  }

  const markOf = (symbol: string): number => {
    for (const s of states.values()) {
      const mark = s.positions[symbol]?.markPrice;
      if (mark !== undefined && mark > 0) return mark;
    }
    return lastPrice.get(symbol) ?? 0;
  };

  function down(s: RouterState, venue: string, why: string): RouterState {
    const until = deps.now() + deps.failoverMs;
    log.warn({ venue, until, why }, 'hedge venue marked down; its share goes to the next venue');
    return { ...s, venues: { ...s.venues, [venue]: { ...(s.venues[venue] ?? { unhealthy: [] }), downUntil: until, lastFailure: why, unhealthy: s.venues[venue]?.unhealthy ?? [] } } };
  }

  function decided(s: RouterState, d: RouteDecision): RouterState {
    return { ...s, decisions: [...s.decisions, d].slice(-MAX_DECISIONS) };
  }

  async function route(s0: RouterState, m: HedgeToMsg): Promise<RouterState> {
    let s = s0;
    const now = deps.now();
    const position = (venue: string): number => states.get(venue)?.positions[m.symbol]?.size ?? 0;
    const net = (): number => [...deps.exchanges.keys()].reduce((a, v) => a + position(v), 0);
    const tried = new Set<string>();
    let placed: HedgeOrderReply & { ok: true } | null = null;
    let lastFailure: (HedgeOrderReply & { ok: false }) | null = null;
    for (let round = 0; round < deps.exchanges.size; round++) {
      const delta = m.targetSize - net();
      if (Math.abs(delta) < 1e-12) break;
      const quotes = [...deps.exchanges.keys()]
        .filter((v) => !tried.has(v))
        .map((v) => {
          const st = states.get(v);
          return st === undefined ? null : quoteOf(st, m.symbol, m.markPrice);
        })
        .filter((q): q is VenueQuote => q !== null);
      const up = quotes.filter((q) => (s.venues[q.venue]?.downUntil ?? 0) <= now);
      // every venue down: try them anyway (best first) rather than leave the hedge where it is
      let ranked = rankVenues(up, delta, m.markPrice, deps.fundingHorizonMs);
      if (ranked.length === 0) ranked = rankVenues(quotes.map((q) => ({ ...q, healthy: true, room: Math.max(q.room, Math.abs(delta)) })), delta, m.markPrice, deps.fundingHorizonMs);
      const pick = ranked[0];
      if (pick === undefined) break;
      tried.add(pick.venue);
      const reducing = pick.position !== 0 && Math.sign(pick.position) === -Math.sign(delta);
      const change = reducing ? Math.sign(delta) * Math.min(Math.abs(delta), Math.abs(pick.position)) : delta;
      const cost = changeCost(pick, change, m.markPrice, deps.fundingHorizonMs);
      const ref = deps.exchanges.get(pick.venue)!;
      let r: HedgeOrderReply;
      try {
        r = await ask<ExchangeMsg, HedgeOrderReply>(ref, (replyTo) => ({ ...m, targetSize: pick.position + change, replyTo }), deps.orderTimeoutMs);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        s = decided(down(s, pick.venue, why), { at: now, symbol: m.symbol, venue: pick.venue, change, cost, outcome: `no answer: ${why}` });
        lastFailure = { ok: false, kind: 'venue-error', reason: `${pick.venue}: ${why}`, retryable: true, positionSize: net() };
        continue;
      }
      const st = states.get(pick.venue);
      if (st !== undefined) states.set(pick.venue, { ...st, positions: { ...st.positions, [m.symbol]: { ...(st.positions[m.symbol] ?? emptyPosition(m.markPrice)), size: r.positionSize } } });
      if (r.ok) {
        s = decided(s, { at: now, symbol: m.symbol, venue: pick.venue, change, cost, outcome: r.note });
        if (r.order !== null || placed === null) placed = r;
        if (r.unplaced > 0) s = down(s, pick.venue, r.note);
        continue;
      }
      s = decided(s, { at: now, symbol: m.symbol, venue: pick.venue, change, cost, outcome: `${r.kind}: ${r.reason}` });
      if (r.kind === 'halted') {
        reply(m.replyTo, { ...r, positionSize: net() });
        return s;
      }
      if (r.kind === 'insufficient-margin' || r.kind === 'venue-error') s = down(s, pick.venue, r.reason);
      lastFailure = { ...r, reason: `${pick.venue}: ${r.reason}` };
    }
    const netNow = net();
    const remaining = Math.abs(m.targetSize - netNow);
    if (placed !== null) {
      const short = remaining > 1e-12 && (lastFailure !== null || placed.unplaced > 0);
      reply(m.replyTo, { ...placed, positionSize: netNow, unplaced: short ? remaining : 0 });
    } else if (lastFailure !== null) {
      reply(m.replyTo, { ...lastFailure, positionSize: netNow });
    } else {
      reply(m.replyTo, { ok: true, order: null, positionSize: netNow, note: 'no hedge venue can take the change', unplaced: remaining });
    }
    return s;
  }

  /** Alerts on a position entering the buffer and, with action reduce, cuts it to the safe size. */
  async function watchMargin(s0: RouterState, st: ExchangeState): Promise<RouterState> {
    let s = s0;
    const v = s.venues[st.venue] ?? { downUntil: null, lastFailure: null, unhealthy: [] };
    const unhealthy = Object.entries(st.positions).filter(([, p]) => !p.health.healthy).map(([symbol]) => symbol);
    for (const symbol of unhealthy) {
      if (v.unhealthy.includes(symbol)) continue;
      const p = st.positions[symbol]!;
      deps.alert('warning', `margin: ${st.venue} ${symbol} ${p.health.reason ?? 'outside the buffer'}${deps.margin.action === 'reduce' ? '; reducing the hedge there' : ''}`);
    }
    s = { ...s, venues: { ...s.venues, [st.venue]: { ...v, unhealthy } } };
    if (deps.margin.action !== 'reduce' || st.status !== 'running') return s;
    for (const symbol of unhealthy) {
      const p = st.positions[symbol]!;
      const safe = Math.sign(p.size) * Math.min(Math.abs(p.size), p.health.maxSafeNotional / p.markPrice);
      if (Math.abs(safe - p.size) < 1e-9) continue;
      const ref = deps.exchanges.get(st.venue);
      if (ref === undefined) continue;
      try {
        const r = await ask<ExchangeMsg, HedgeOrderReply>(ref, (replyTo) => ({
          type: 'hedgeTo', asset: `margin-${st.markets[symbol]?.base ?? symbol}`, symbol, targetSize: safe, markPrice: p.markPrice, sequence: deps.now(), replyTo,
        }), deps.orderTimeoutMs);
        log.warn({ venue: st.venue, symbol, from: p.size, to: safe, ok: r.ok }, 'margin buffer: hedge reduced on the venue');
        s = decided(s, { at: deps.now(), symbol, venue: st.venue, change: safe - p.size, cost: { fees: 0, expectedFunding: 0, total: 0 }, outcome: `margin reduce: ${r.ok ? r.note : r.reason}` });
      } catch (err) {
        log.error({ err, venue: st.venue, symbol }, 'margin buffer: reducing the hedge got no answer');
      }
      // no new exposure there until the venue is back outside the buffer
      s = down(s, st.venue, `margin buffer: ${p.health.reason ?? ''}`);
    }
    return s;
  }

  return async (s, msg) => {
    switch (msg.type) {
      case 'hedgeTo': {
        lastPrice.set(msg.symbol, msg.markPrice);
        const next = await route(s, msg);
        deps.onNet(netView(markOf));
        deps.publish(next);
        return next;
      }
      case 'venueState': {
        if (!deps.exchanges.has(msg.state.venue)) return s;
        states.set(msg.state.venue, msg.state);
        const next = await watchMargin(s, msg.state);
        deps.onNet(netView(markOf));
        deps.publish(next);
        return next;
      }
      case 'getState':
        reply(msg.replyTo, s);
        return s;
    }
  };
}

function emptyPosition(mark: number): ExchangeState['positions'][string] {
  return {
    size: 0, entryPrice: 0, markPrice: mark, unrealizedPnl: 0, margin: 0, maintenanceMargin: 0, liquidationPrice: null,
    health: { liquidationPrice: null, liquidationDistance: null, marginRatio: 0, maxSafeNotional: Number.POSITIVE_INFINITY, healthy: true, reason: null },
  };
}

export type RouterRef = ActorRef<RouterMsg>;

/** Sends a venue's state to the router (the agent's exchange report hook). */
export function reportVenue(router: RouterRef, state: ExchangeState): void {
  tell(router, { type: 'venueState', state });
}
