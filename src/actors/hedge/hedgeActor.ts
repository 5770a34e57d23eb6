/**
 * HedgeActor: nets the deltas every PositionActor reports, per underlying asset, computes the
 * target perp position (short hedgeRatio × net delta, capped by maxHedgeRatio and the position
 * size limit), and keeps the actual hedge within the tolerance band (spec 5%) of the target by
 * asking the ExchangeActor for orders. It never talks to an exchange itself. It also runs the
 * spec's position sync (discrepancy, severity, action) and tracks hedge effectiveness.
 */
import type { Logger } from '../../logging/logger.js';
import { sizeHedge } from '../../math/hedgeSizing.js';
import { ask, reply, tell, type ActorRef, type Behaviour, type ReplyTo } from '../core/typedActors.js';
import { publishingBehaviour } from '../core/publishingBehaviour.js';
import type { HedgeOrderReply } from '../exchange/exchangeActor.js';
import { decideDispatch, type HedgePacing } from './pacing.js';
import { changeCost, syncVerdict, type Severity, type VenueQuote } from './hedgeSync.js';
import type { HedgeToMsg } from './venueRouter.js';
import { hedgeRecommendation, type HedgeRecommendation } from './hedgeRecommendation.js';
import { assetBookOf } from './assetBook.js';

// ---- protocol -------------------------------------------------------------------------------

export type HedgeMsg =
  /** A pool's current delta (token0 held, whole units; long exposure to the asset). */
  | { type: 'delta'; poolId: string; asset: string; symbol: string; delta: number; price: number; valueUsd: number; hedgeRatio?: number | null }
  | { type: 'price'; asset: string; price: number }
  /** Re-check every asset against its band (after a sync, on a timer). */
  | { type: 'rebalance'; replyTo?: ReplyTo<HedgeState> }
  /**
   * Actual venue position sizes, net over the hedge venues (start-up adoption, after syncs), with
   * the net funding received per symbol and the quote of the venue a new hedge would go to.
   */
  | { type: 'venuePositions'; sizes: Record<string, number>; funding?: Record<string, number>; quotes?: Record<string, VenueQuote> }
  | { type: 'halt'; reason: string }
  | { type: 'resume' }
  | { type: 'getState'; replyTo: ReplyTo<HedgeState> };

// ---- state ----------------------------------------------------------------------------------

export type { Severity } from './hedgeSync.js';

export interface AssetHedge {
  asset: string;
  symbol: string;
  price: number;
  /**
   * Delta per pool, whole units of the asset. This record, `values` and `ratios` are the asset's
   * book (assetBook.ts): updated in place and shared from one state to the next, never copied per
   * report; kept in the checkpoint, left out of the state feed (see hedgeFeedState).
   */
  deltas: Record<string, number>;
  /** Value per pool, USD (the base of the maxHedgeRatio cap). */
  values: Record<string, number>;
  /** Pools hedged at their own ratio (per-pool settings) instead of the agent's (absent: none). */
  ratios?: Record<string, number>;
  /** Pools netted (absent in a checkpoint from before it existed). */
  pools?: number;
  netDelta: number;
  /** Target notional before the cap, the cap, and whether it bit. */
  sizing: { uncappedNotionalUsd: number; capNotionalUsd: number; capped: boolean; reason: string };
  /** Target perp position, signed (negative = short). */
  target: number;
  /** Actual perp position, signed. */
  current: number;
  side: 'short' | 'long' | 'flat';
  /** |current − target| / |target| (0 when both are 0). */
  deviation: number;
  withinBand: boolean;
  sync: { discrepancy: number; severity: Severity; action: 'INCREASE_HEDGE' | 'DECREASE_HEDGE' | 'NONE'; priority: number };
  /** Next intent sequence number (client order ids derive from it). */
  sequence: number;
  orders: number;
  rejections: number;
  lastRejection: string | null;
  /**
   * PnL of the unhedged LP delta and of the hedge, quote units, since start: the hedge's is its
   * price PnL plus the funding it received (< 0: paid) on the hedge venues; ratio = 1 − |hedged| / |unhedged|.
   */
  effectiveness: { unhedgedPnl: number; hedgePnl: number; hedgedPnl: number; ratio: number | null; hedgePricePnl: number; funding: number };
  /** The quote of the venue a new hedge of this asset goes to (taker fee, funding rate), null before the first venue report. */
  quote: VenueQuote | null;
  /** The spec's hedge recommendation for the current target (hedgeRecommendation.ts). */
  recommendation: HedgeRecommendation | null;
  /** When the last order for this asset was sent (ms, the actor's clock), null before the first. */
  lastOrderAt: number | null;
  /** While an out-of-band order waits for the min interval: when it may go (ms), else null. */
  deferredUntil: number | null;
  /** Why the last out-of-band check sent no order (min interval, below min notional), else null. */
  deferReason: string | null;
  /** Base units of the last order the free margin could not carry (a partial hedge), 0 when it all went. */
  unplaced: number;
}

export interface HedgeState {
  status: 'running' | 'halted';
  haltReason: string | null;
  hedgeRatio: number;
  band: number;
  assets: Record<string, AssetHedge>;
  /** Last known venue position per symbol (adopted at start-up, refreshed after syncs). */
  venueSizes: Record<string, number>;
}

export interface HedgeDeps {
  /** Where hedge orders go: the VenueRouter over the hedge venues (or one ExchangeActor). */
  exchange: ActorRef<HedgeToMsg>;
  /** Annualized volatility the expected IL reduction is estimated with (default 0.6). */
  annualVolatility?: number;
  /** Horizon of the recommendation's expected funding and IL reduction, ms (default 24 h). */
  horizonMs?: number;
  hedgeRatio: number;
  /** Cap: |target| ≤ maxHedgeRatio × |net delta|. */
  maxHedgeRatio: number;
  /** Tolerance band as a fraction of target (spec 0.05). */
  band: number;
  /** Max hedge notional, quote units. */
  maxPositionNotional: number;
  orderTimeoutMs: number;
  /** Churn guard (see pacing.ts): min spacing of orders per asset, the urgent deviation, the min notional. */
  pacing: HedgePacing;
  /** The actor's clock, ms: the agent's injected Scheduler (core/scheduler.ts), never Date.now. */
  now: () => number;
  /** Runs `fire` after `delayMs` on the same clock (the deferred re-check): the Scheduler's setTimer. */
  setTimer: (delayMs: number, fire: () => void) => void;
  log: Logger;
  publish: (s: HedgeState) => void;
}

/** An asset's hedge as the feed shows it: without the per-pool records (see AssetHedge.deltas). */
export type AssetHedgeFeed = Omit<AssetHedge, 'deltas' | 'values' | 'ratios'>;
export type HedgeFeedState = Omit<HedgeState, 'assets'> & { assets: Record<string, AssetHedgeFeed> };

/** What the feed publishes of a hedge state: O(assets), not O(pools). */
export function hedgeFeedState(s: HedgeState): HedgeFeedState {
  const assets: Record<string, AssetHedgeFeed> = {};
  for (const [k, a] of Object.entries(s.assets)) {
    const { deltas: _d, values: _v, ratios: _r, ...rest } = a;
    assets[k] = rest;
  }
  return { ...s, assets };
}

export function initialHedgeState(hedgeRatio: number, band: number): HedgeState {
  return { status: 'running', haltReason: null, hedgeRatio, band, assets: {}, venueSizes: {} };
}

/** Recomputes the derived fields of an asset's hedge (pure), with the hedge sizing policy of src/math. */
export function assess(a: AssetHedge, deps: Pick<HedgeDeps, 'hedgeRatio' | 'maxHedgeRatio' | 'band' | 'maxPositionNotional' | 'annualVolatility' | 'horizonMs'>): AssetHedge {
  // running sums over the pools (assetBook.ts): O(1) in the pool count
  const book = assetBookOf(a);
  const netDelta = book.netDelta();
  const valueUsd = book.valueUsd();
  const pools = book.pools;
  if (!(a.price > 0)) return { ...a, netDelta, pools };
  // a pool with its own hedge ratio: the delta to hedge is Σ ratio_pool × delta_pool, sized at ratio 1
  const own = book.ownRatios > 0;
  const hedged = own ? book.hedgedDelta(deps.hedgeRatio) : netDelta;
  const sz = sizeHedge({
    delta: hedged, markPrice: a.price, positionValueUsd: valueUsd, currentHedgeSize: a.current,
    maxHedgeRatio: deps.maxHedgeRatio, hedgeRatio: own ? 1 : deps.hedgeRatio, toleranceBand: deps.band,
  });
  let target = sz.targetSize;
  if (Math.abs(target) * a.price > deps.maxPositionNotional) target = (Math.sign(target) * deps.maxPositionNotional) / a.price;
  const verdict = syncVerdict(target, a.current, deps.band);
  const horizonMs = deps.horizonMs ?? 86_400_000;
  const recommendation = hedgeRecommendation({
    netDelta, target, current: a.current, price: a.price, unplaced: a.unplaced, annualVolatility: deps.annualVolatility ?? 0.6, horizonMs,
    quote: a.quote, cost: (q, delta, price) => changeCost(q, delta, price, horizonMs),
  });
  return {
    ...a,
    netDelta,
    pools,
    target,
    side: target < 0 ? 'short' : target > 0 ? 'long' : 'flat',
    ...verdict,
    sizing: { uncappedNotionalUsd: sz.uncappedNotionalUsd, capNotionalUsd: sz.capNotionalUsd, capped: sz.capped, reason: sz.reason },
    recommendation,
  };
}

function newAsset(asset: string, symbol: string): AssetHedge {
  return {
    asset, symbol, price: 0, deltas: {}, values: {}, netDelta: 0, sizing: { uncappedNotionalUsd: 0, capNotionalUsd: 0, capped: false, reason: '' }, target: 0, current: 0, side: 'flat', deviation: 0, withinBand: true,
    sync: { discrepancy: 0, severity: 'none', action: 'NONE', priority: 0 }, sequence: 1, orders: 0, rejections: 0, lastRejection: null,
    effectiveness: { unhedgedPnl: 0, hedgePnl: 0, hedgedPnl: 0, ratio: null, hedgePricePnl: 0, funding: 0 }, lastOrderAt: null, deferredUntil: null, deferReason: null, unplaced: 0,
    quote: null, recommendation: null,
  };
}

/**
 * A state restored from a checkpoint written before the pacing fields existed gets them (null).
 * Applied once, where the checkpoint is restored, not on every message.
 */
export function restoredHedgeState(s: HedgeState): HedgeState {
  const assets: Record<string, AssetHedge> = {};
  let changed = false;
  for (const [k, a] of Object.entries(s.assets)) {
    type Added = 'lastOrderAt' | 'deferredUntil' | 'deferReason' | 'unplaced' | 'quote' | 'recommendation';
    const partial = a as Partial<Pick<AssetHedge, Added>> & Omit<AssetHedge, Added>;
    const eff = a.effectiveness as Partial<AssetHedge['effectiveness']> & Pick<AssetHedge['effectiveness'], 'unhedgedPnl' | 'hedgePnl' | 'hedgedPnl' | 'ratio'>;
    if (partial.lastOrderAt === undefined || partial.deferredUntil === undefined || partial.deferReason === undefined || partial.unplaced === undefined
      || partial.quote === undefined || partial.recommendation === undefined || eff.funding === undefined || eff.hedgePricePnl === undefined) {
      changed = true;
      assets[k] = {
        ...a, lastOrderAt: partial.lastOrderAt ?? null, deferredUntil: partial.deferredUntil ?? null, deferReason: partial.deferReason ?? null, unplaced: partial.unplaced ?? 0,
        quote: partial.quote ?? null, recommendation: partial.recommendation ?? null,
        effectiveness: { ...eff, hedgePricePnl: eff.hedgePricePnl ?? eff.hedgePnl, funding: eff.funding ?? 0 },
      };
    } else {
      assets[k] = a;
    }
  }
  return changed ? { ...s, assets } : s;
}

/** Hedge effectiveness from the unhedged PnL, the hedge's price PnL and the funding it received. */
export function effectivenessOf(unhedgedPnl: number, hedgePricePnl: number, funding: number): AssetHedge['effectiveness'] {
  const hedgePnl = hedgePricePnl + funding;
  const hedgedPnl = unhedgedPnl + hedgePnl;
  const ratio = unhedgedPnl === 0 ? null : 1 - Math.abs(hedgedPnl) / Math.abs(unhedgedPnl);
  return { unhedgedPnl, hedgePnl, hedgedPnl, ratio, hedgePricePnl, funding };
}

function movePrice(a: AssetHedge, price: number): AssetHedge {
  if (a.price === 0) return { ...a, price };
  const dp = price - a.price;
  const e = a.effectiveness;
  return { ...a, price, effectiveness: effectivenessOf(e.unhedgedPnl + a.netDelta * dp, e.hedgePricePnl + a.current * dp, e.funding) };
}

/** The HedgeActor's behaviour. */
export function hedgeBehaviour(deps: HedgeDeps): Behaviour<HedgeState, HedgeMsg> {
  const { log, setTimer } = deps;
  /** Per asset, the time a deferred re-check is already scheduled for (one timer at a time). */
  const recheckAt = new Map<string, number>();

  function scheduleRecheck(self: ActorRef<HedgeMsg>, asset: string, at: number): void {
    const pending = recheckAt.get(asset);
    if (pending !== undefined && pending <= at && pending >= deps.now()) return;
    recheckAt.set(asset, at);
    setTimer(Math.max(0, at - deps.now()), () => {
      if (recheckAt.get(asset) === at) recheckAt.delete(asset);
      tell(self, { type: 'rebalance' });
    });
  }

  /** Sends orders for every asset outside its band, highest priority first, paced by deps.pacing. */
  async function rebalanceWith(s: HedgeState, self: ActorRef<HedgeMsg>): Promise<HedgeState> {
    if (s.status === 'halted') return s;
    const assets = { ...s.assets };
    for (const a of Object.values(assets)) {
      if (a.withinBand && (a.deferredUntil !== null || a.deferReason !== null)) assets[a.asset] = { ...a, deferredUntil: null, deferReason: null };
    }
    const order = Object.values(assets).filter((a) => !a.withinBand && a.price > 0).sort((x, y) => y.sync.priority - x.sync.priority);
    for (const a0 of order) {
      const now = deps.now();
      const decision = decideDispatch({ target: a0.target, current: a0.current, price: a0.price, deviation: a0.deviation, lastOrderAt: a0.lastOrderAt, now }, deps.pacing);
      if (decision.kind !== 'send') {
        assets[a0.asset] = { ...a0, deferredUntil: decision.kind === 'defer' ? decision.until : null, deferReason: decision.reason };
        if (decision.kind === 'defer') {
          scheduleRecheck(self, a0.asset, decision.until);
          log.debug({ asset: a0.asset, deferredUntil: decision.until, reason: decision.reason }, 'hedge order deferred');
        }
        continue;
      }
      const a: AssetHedge = { ...a0, deferredUntil: null, deferReason: null };
      let result: HedgeOrderReply;
      try {
        result = await ask<HedgeToMsg, HedgeOrderReply>(
          deps.exchange,
          (replyTo) => ({ type: 'hedgeTo', asset: a.asset, symbol: a.symbol, targetSize: a.target, markPrice: a.price, sequence: a.sequence, replyTo }),
          deps.orderTimeoutMs,
        );
      } catch (err) {
        // no answer: keep the same sequence so the retry reuses the client order id
        log.error({ err, asset: a.asset }, 'hedge request got no answer; will retry with the same intent');
        // (an order may have gone: count the attempt for the spacing)
        assets[a.asset] = { ...a, lastOrderAt: now, rejections: a.rejections + 1, lastRejection: err instanceof Error ? err.message : String(err) };
        continue;
      }
      if (result.ok) {
        const placed = result.order !== null;
        assets[a.asset] = assess({ ...a, current: result.positionSize, sequence: placed ? a.sequence + 1 : a.sequence, orders: a.orders + (placed ? 1 : 0), lastOrderAt: placed ? now : a.lastOrderAt, unplaced: result.unplaced }, deps);
        log.info({ asset: a.asset, target: a.target, current: result.positionSize, unplaced: result.unplaced, note: result.note }, 'hedge adjusted');
      } else {
        // a definitive rejection consumes the intent; a retryable one keeps it
        assets[a.asset] = assess(
          { ...a, current: result.positionSize, sequence: result.retryable ? a.sequence : a.sequence + 1, rejections: a.rejections + 1, lastRejection: result.reason },
          deps,
        );
      }
    }
    return { ...s, assets };
  }

  function withAsset(s: HedgeState, asset: string, symbol: string, f: (a: AssetHedge) => AssetHedge): HedgeState {
    const a = s.assets[asset] ?? { ...newAsset(asset, symbol), current: s.venueSizes[symbol] ?? 0 };
    return { ...s, assets: { ...s.assets, [asset]: assess(f(a), deps) } };
  }

  return publishingBehaviour<HedgeState, HedgeMsg>(async (s, msg, ctx) => {
    const rebalance = (x: HedgeState): Promise<HedgeState> => rebalanceWith(x, ctx.self);
    let next: HedgeState;
    switch (msg.type) {
      case 'delta':
        next = withAsset(s, msg.asset, msg.symbol, (a) => {
          // the book's records are updated in place (no copy of every pool's delta per report)
          const book = assetBookOf(a);
          const ratio = msg.hedgeRatio ?? null;
          book.put(msg.poolId, msg.delta, msg.valueUsd, ratio);
          const moved = movePrice(a, msg.price);
          return ratio === null && a.ratios === undefined ? moved : { ...moved, ratios: book.ratios };
        });
        next = await rebalance(next);
        break;
      case 'price': {
        const a = s.assets[msg.asset];
        if (a === undefined) return s;
        next = withAsset(s, msg.asset, a.symbol, (x) => movePrice(x, msg.price));
        next = await rebalance(next);
        break;
      }
      case 'rebalance':
        next = await rebalance(s);
        if (msg.replyTo !== undefined) reply(msg.replyTo, next);
        break;
      case 'venuePositions': {
        const assets = { ...s.assets };
        for (const a of Object.values(assets)) {
          const size = msg.sizes[a.symbol];
          const funding = msg.funding?.[a.symbol];
          const quote = msg.quotes?.[a.symbol];
          if (size === undefined && funding === undefined && quote === undefined) continue;
          const e = a.effectiveness;
          assets[a.asset] = assess({
            ...a, current: size ?? a.current, quote: quote ?? a.quote,
            effectiveness: funding === undefined ? e : effectivenessOf(e.unhedgedPnl, e.hedgePricePnl, funding),
          }, deps);
        }
        next = { ...s, assets, venueSizes: { ...s.venueSizes, ...msg.sizes } };
        break;
      }
      case 'halt':
        next = { ...s, status: 'halted', haltReason: msg.reason };
        break;
      case 'resume':
        next = await rebalance({ ...s, status: 'running', haltReason: null });
        break;
    }
    return next;
  }, deps.publish);
}

export type HedgeRef = ActorRef<HedgeMsg>;
