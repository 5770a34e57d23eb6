/**
 * RiskSupervisor: parent of every trading actor. It watches equity, drawdown, exposure, IL and
 * PnL against the configured limits and owns the kill switch: on a breach or a manual halt it
 * closes the gate (nothing risk-adding leaves the process), tells every child to halt (positions
 * refuse rolls and optionally withdraw, the exchange cancels open orders and optionally
 * flattens hedges). Only an explicit resume lifts it. It also hears about child crashes: a
 * crashed child is restarted from its last checkpoint; a crash loop halts and raises a
 * critical alert.
 */
import type { Logger } from '../../logging/logger.js';
import { reply, tell, type ActorRef, type Behaviour, type ReplyTo } from '../core/typedActors.js';
import { publishingBehaviour } from '../core/publishingBehaviour.js';
import type { KillSwitch } from '../core/killSwitch.js';
import type { ExchangeMsg } from '../exchange/exchangeActor.js';
import type { HedgeMsg } from '../hedge/hedgeActor.js';
import type { PositionMsg, PositionReport } from '../position/positionActor.js';
import { netExposure } from './exposure.js';
import { bookOf } from './riskBook.js';

// ---- protocol -------------------------------------------------------------------------------

export type RiskMsg =
  | { type: 'positionReport'; report: PositionReport }
  /** `positionsUsd`: signed notional (size × mark, short < 0) per symbol. */
  | { type: 'exchangeReport'; venue: string; equityUsd: number; hedgeNotionalUsd: number; positionsUsd: Record<string, number> }
  | { type: 'halt'; reason: string; by: string; replyTo?: ReplyTo<RiskState> }
  | { type: 'resume'; by: string; replyTo?: ReplyTo<RiskState> }
  | { type: 'childCrashed'; child: string; error: string }
  /** A child's alert (e.g. a hedge position inside the liquidation buffer): recorded and sent on. */
  | { type: 'alert'; severity: Alert['severity']; message: string }
  | { type: 'getState'; replyTo: ReplyTo<RiskState> };

// ---- state ----------------------------------------------------------------------------------

export interface RiskLimits {
  /** Fractions: 0.15 = 15%. */
  maxDrawdown: number;
  /** Net unhedged exposure / equity: Σ per symbol |LP delta USD + signed perp notional| (see exposure.ts). */
  maxExposure: number;
  /** |IL| of any position, fraction. */
  maxIL: number;
  /** Loss of equity vs capital that halts and unwinds everything, fraction. */
  stopLoss: number;
  /** USD notional of one position or hedge. */
  maxPositionSize: number;
}

export interface HaltPolicy {
  /** On halt, flatten the hedges (reduce-only market orders). */
  flattenHedges: boolean;
  /** On halt, withdraw all liquidity. */
  withdrawLiquidity: boolean;
  /** Crashes of one child within crashWindowMs that count as a crash loop. */
  maxCrashes: number;
  crashWindowMs: number;
}

export interface Alert {
  at: number;
  severity: 'info' | 'warning' | 'critical';
  message: string;
}

export interface RiskState {
  status: 'running' | 'halted';
  reason: string | null;
  haltedAt: number | null;
  haltedBy: string | null;
  limits: RiskLimits;
  /** Equity the PnL and stop loss are measured against (fixed at the first full report). */
  capitalUsd: number | null;
  equityUsd: number;
  peakEquityUsd: number;
  drawdown: number;
  /** Net unhedged exposure share of equity (exposure.ts); the maxExposure limit applies to it. */
  exposure: number;
  /** Net exposure per symbol, USD, signed (> 0 long the asset). */
  exposureUsd?: Record<string, number>;
  pnlPercent: number;
  worstIlPercent: number;
  /**
   * Each pool's last report, by pool id: the supervisor's book (riskBook.ts), updated in place and
   * shared from one state to the next, never copied per report. Kept in the checkpoint, left out
   * of the state feed (each pool's own state is there): see riskFeedState.
   */
  positions: Record<string, PositionReport>;
  /** Pools that have reported (absent in a checkpoint from before it existed). */
  pools?: number;
  venues: Record<string, { equityUsd: number; hedgeNotionalUsd: number; positionsUsd?: Record<string, number> }>;
  crashes: Record<string, number[]>;
  restarts: number;
  alerts: Alert[];
}

/** The refs the supervisor commands; filled as children are spawned. */
export interface Children {
  positions: Map<string, ActorRef<PositionMsg>>;
  hedge: ActorRef<HedgeMsg> | null;
  exchanges: Map<string, ActorRef<ExchangeMsg>>;
}

export interface RiskDeps {
  limits: RiskLimits;
  policy: HaltPolicy;
  /** Fixed capital (USD); when null, the first complete equity measurement is used. */
  capitalUsd: number | null;
  expectedPools: number;
  expectedVenues: number;
  children: Children;
  killSwitch: KillSwitch;
  log: Logger;
  now: () => number;
  publish: (s: RiskState) => void;
  alert: (a: Alert) => void;
}

export function initialRiskState(limits: RiskLimits, capitalUsd: number | null): RiskState {
  return {
    status: 'running', reason: null, haltedAt: null, haltedBy: null, limits, capitalUsd, equityUsd: 0, peakEquityUsd: 0,
    drawdown: 0, exposure: 0, pnlPercent: 0, worstIlPercent: 0, positions: {}, pools: 0, venues: {}, crashes: {}, restarts: 0, alerts: [],
  };
}

/** The risk state as the feed shows it: without the per-pool reports (see RiskState.positions). */
export type RiskFeedState = Omit<RiskState, 'positions'>;

/** What the feed publishes of a risk state: O(1) in the pool count. */
export function riskFeedState(s: RiskState): RiskFeedState {
  const { positions: _, ...rest } = s;
  return rest;
}

const MAX_ALERTS = 50;

/**
 * Which limit, if any, the measurements breach (first found), and whether it forces a full unwind.
 * `exposure: false` leaves the exposure limit out (see riskBehaviour: it is judged when a venue reports).
 */
export function findBreach(s: RiskState, o: { exposure: boolean } = { exposure: true }): { reason: string; unwind: boolean } | null {
  const l = s.limits;
  if (s.capitalUsd !== null && s.pnlPercent <= -l.stopLoss) return { reason: `stop loss: PnL ${(s.pnlPercent * 100).toFixed(2)}% <= -${l.stopLoss * 100}%`, unwind: true };
  if (s.drawdown > l.maxDrawdown) return { reason: `max drawdown: ${(s.drawdown * 100).toFixed(2)}% > ${l.maxDrawdown * 100}%`, unwind: false };
  if (-s.worstIlPercent / 100 > l.maxIL) return { reason: `max IL: ${s.worstIlPercent.toFixed(2)}% beyond -${l.maxIL * 100}%`, unwind: false };
  if (o.exposure && s.exposure > l.maxExposure) return { reason: `max exposure: ${(s.exposure * 100).toFixed(2)}% > ${l.maxExposure * 100}%`, unwind: false };
  return null;
}

/** Tells every child to halt: positions refuse rolls (and withdraw), the hedge stops, venues cancel (and flatten). */
export function haltChildren(children: Children, reason: string, unwind: { withdraw: boolean; flatten: boolean }): void {
  for (const p of children.positions.values()) tell(p, { type: 'halt', reason, withdraw: unwind.withdraw });
  if (children.hedge !== null) tell(children.hedge, { type: 'halt', reason });
  for (const e of children.exchanges.values()) tell(e, { type: 'halt', reason, flatten: unwind.flatten });
}

/** The RiskSupervisor's behaviour. */
export function riskBehaviour(deps: RiskDeps): Behaviour<RiskState, RiskMsg> {
  const { children, log } = deps;

  function withAlert(s: RiskState, severity: Alert['severity'], message: string): RiskState {
    const a: Alert = { at: deps.now(), severity, message };
    deps.alert(a);
    if (severity === 'critical') log.fatal({ alert: a }, `CRITICAL: ${message}`);
    else log.warn({ alert: a }, message);
    return { ...s, alerts: [...s.alerts, a].slice(-MAX_ALERTS) };
  }

  function halt(s: RiskState, reason: string, by: string, unwind: boolean): RiskState {
    const flatten = unwind || deps.policy.flattenHedges;
    const withdraw = unwind || deps.policy.withdrawLiquidity;
    deps.killSwitch.halt(reason, { withdraw, flatten });
    if (s.status === 'halted' && !unwind) return s;
    haltChildren(children, reason, { withdraw, flatten });
    const next: RiskState = { ...s, status: 'halted', reason, haltedAt: deps.now(), haltedBy: by };
    return withAlert(next, 'critical', `kill switch: halted by ${by}: ${reason} (flatten=${flatten}, withdraw=${withdraw})`);
  }

  /** Re-measures from the book of positions (O(1) in the pool count, see riskBook.ts) and the venues. */
  function measure(s: RiskState): RiskState {
    const book = bookOf(s.positions);
    const ven = Object.values(s.venues);
    const equityUsd = book.lpUsd() + ven.reduce((a, v) => a + v.equityUsd, 0);
    const complete = book.pools >= deps.expectedPools && ven.length >= deps.expectedVenues && book.unfunded === 0 && equityUsd > 0;
    if (!complete) return { ...s, equityUsd, pools: book.pools };
    const capitalUsd = s.capitalUsd ?? equityUsd;
    const peakEquityUsd = Math.max(s.peakEquityUsd, equityUsd);
    // a pool quoted in a non-USD token (WBTC/WETH) is exposed to both: its asset and its quote token (the book sums both)
    const net = netExposure(book.lpDeltas(), ven.map((v) => v.positionsUsd ?? {}), equityUsd);
    return {
      ...s, capitalUsd, equityUsd, peakEquityUsd, pools: book.pools,
      drawdown: peakEquityUsd > 0 ? 1 - equityUsd / peakEquityUsd : 0,
      exposure: net.exposure,
      exposureUsd: net.netUsd,
      pnlPercent: equityUsd / capitalUsd - 1,
      worstIlPercent: book.worstIlPercent(),
    };
  }

  /**
   * `exposure`: whether to judge the exposure limit now. It is judged when a venue reports (after
   * every hedge order or refusal, and every sync), not on an LP report alone: the LP's new delta
   * reaches the hedge at the same moment, and the hedge must have had its turn before what stays
   * unhedged counts (else a correctly funded agent would halt at start, before its first hedge).
   */
  function check(s: RiskState, exposure: boolean): RiskState {
    if (s.status !== 'running' || s.capitalUsd === null) return s;
    const b = findBreach(s, { exposure });
    return b === null ? s : halt(s, b.reason, 'risk-limits', b.unwind);
  }

  return publishingBehaviour<RiskState, RiskMsg>((s, msg) => {
    let next: RiskState;
    switch (msg.type) {
      case 'positionReport': {
        // a change of a pool's deposited capital (a vault's deposit or withdrawal) is a flow, not
        // PnL: the capital and the peak move with it, so neither the stop loss nor the drawdown sees it
        // (the book's record is updated in place: no copy of every pool's report per report)
        const book = bookOf(s.positions);
        const last = book.put(msg.report);
        try {
          const before = last?.depositedUsd;
          const flow = before === undefined || before === 0 || s.capitalUsd === null ? 0 : msg.report.depositedUsd - before;
          const base = flow === 0 ? s : { ...s, capitalUsd: s.capitalUsd! + flow, peakEquityUsd: s.peakEquityUsd + flow };
          next = check(measure(base), false);
        } catch (err) {
          // the record is shared with the last state (the one a restart resumes from): take the
          // failed report out of it, or the restart would hold its row with the old capital
          book.undo(msg.report, last);
          throw err;
        }
        break;
      }
      case 'exchangeReport':
        next = check(measure({ ...s, venues: { ...s.venues, [msg.venue]: { equityUsd: msg.equityUsd, hedgeNotionalUsd: msg.hedgeNotionalUsd, positionsUsd: msg.positionsUsd } } }), true);
        break;
      case 'halt':
        next = halt(s, msg.reason, msg.by, false);
        if (msg.replyTo !== undefined) reply(msg.replyTo, next);
        break;
      case 'resume': {
        if (s.status === 'running') {
          if (msg.replyTo !== undefined) reply(msg.replyTo, s);
          return s;
        }
        deps.killSwitch.resume();
        for (const p of children.positions.values()) tell(p, { type: 'resume' });
        if (children.hedge !== null) tell(children.hedge, { type: 'resume' });
        for (const e of children.exchanges.values()) tell(e, { type: 'resume' });
        // the drawdown peak restarts from here: the operator has accepted the loss
        next = withAlert({ ...s, status: 'running', reason: null, haltedAt: null, haltedBy: null, peakEquityUsd: s.equityUsd, crashes: {} }, 'warning', `kill switch: resumed by ${msg.by}`);
        if (msg.replyTo !== undefined) reply(msg.replyTo, next);
        break;
      }
      case 'alert':
        next = withAlert(s, msg.severity, msg.message);
        break;
      case 'childCrashed': {
        const window = deps.now() - deps.policy.crashWindowMs;
        const times = [...(s.crashes[msg.child] ?? []).filter((t) => t >= window), deps.now()];
        next = { ...s, crashes: { ...s.crashes, [msg.child]: times }, restarts: s.restarts + 1 };
        if (times.length >= deps.policy.maxCrashes) {
          next = halt(next, `crash loop: ${msg.child} crashed ${times.length} times in ${deps.policy.crashWindowMs} ms (last: ${msg.error})`, 'supervisor', false);
        } else {
          next = withAlert(next, 'warning', `${msg.child} crashed (${msg.error}); restarted from its last checkpoint`);
        }
        break;
      }
    }
    return next;
  }, deps.publish);
}

export type RiskRef = ActorRef<RiskMsg>;
