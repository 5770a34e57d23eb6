/**
 * Turns what the agent publishes into history records. It listens to the state feed (every
 * actor's state after each change) and derives: a snapshot per pool at most once per
 * `snapshotIntervalMs`, decisions when their outcome changes (or a roll is decided, or the
 * interval passed), each roll once (with the triggers and costs of the decision behind it),
 * hedge changes per asset, halts and resumes, and the equity curve (at the snapshot interval).
 * Fills, funding and alerts come from the venue wrappers and the alert path (`fill`, `funding`,
 * `alert`). Every record goes to `sink` (the write queue), which never blocks.
 */
import type { Subscription, Observable } from 'rxjs';
import type { StateEvent } from '../../actors/core/stateFeed.js';
import type { PositionState } from '../../actors/position/positionActor.js';
import type { RiskState } from '../../actors/risk/riskSupervisor.js';
import type { HedgeState } from '../../actors/hedge/hedgeActor.js';
import type { Fill } from '../exchange/venue.js';
import type { HistoryRecord } from './historyRecords.js';

export interface RecorderOptions {
  agentId: string;
  sink: (r: HistoryRecord) => void;
  /** At most one pool snapshot (and one equity point) per this many ms (default one a minute). */
  snapshotIntervalMs?: number;
}

/** An alert on its way to people and to the history. */
export interface RecordedAlert {
  at: number;
  severity: string;
  message: string;
  rule?: string;
}

/** LVR accrued (USD) from a position state, where the position actor publishes one (`lvr`: a number or an object with a USD total). */
export function lvrUsdOf(state: Record<string, unknown>): number | null {
  const lvr = state['lvr'];
  if (typeof lvr === 'number' && Number.isFinite(lvr)) return lvr;
  if (typeof lvr === 'object' && lvr !== null) {
    const o = lvr as Record<string, unknown>;
    for (const k of ['cumulativeUsd', 'totalUsd', 'usd', 'lvrUsd', 'accruedUsd']) {
      const v = o[k];
      if (typeof v === 'number' && Number.isFinite(v)) return v;
    }
  }
  return null;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export class HistoryRecorder {
  private readonly interval: number;
  private readonly lastSnapshotAt = new Map<string, number>();
  private readonly lastDecision = new Map<string, { at: number; roll: boolean; urgency: string; triggers: string[] }>();
  private readonly lastRollTx = new Map<string, string>();
  private readonly lastHedge = new Map<string, { target: number; current: number }>();
  private lastEquityAt = Number.NEGATIVE_INFINITY;
  private riskStatus: RiskState['status'] | null = null;

  constructor(private readonly o: RecorderOptions) {
    this.interval = o.snapshotIntervalMs ?? 60_000;
  }

  /** Records from `changes$` until unsubscribed. */
  attach(changes$: Observable<StateEvent>): Subscription {
    return changes$.subscribe((e) => this.onEvent(e));
  }

  /** Derives the records one published state implies. */
  onEvent(e: StateEvent): void {
    if (e.kind === 'position') this.onPosition(e.at, e.state as unknown as PositionState, e.state);
    else if (e.kind === 'risk') this.onRisk(e.at, e.state as unknown as RiskState);
    else if (e.kind === 'hedge') this.onHedge(e.at, e.state as unknown as HedgeState);
  }

  alert(a: RecordedAlert): void {
    this.o.sink({ kind: 'alert', agentId: this.o.agentId, at: a.at, severity: a.severity, rule: a.rule ?? 'risk', message: a.message });
  }

  fill(f: Fill): void {
    this.o.sink({ kind: 'fill', agentId: this.o.agentId, venue: f.venue, orderId: f.orderId, clientOrderId: f.clientOrderId, symbol: f.symbol, side: f.side, amount: f.amount, price: f.price, fee: f.fee, at: f.timestamp });
  }

  /** A funding rate observed (amount null) or a funding payment (amount signed, quote units). */
  funding(venue: string, symbol: string, at: number, rate: number, amount: number | null): void {
    this.o.sink({ kind: 'funding', agentId: this.o.agentId, venue, symbol, at, rate, amount });
  }

  private onPosition(at: number, s: PositionState, raw: Record<string, unknown>): void {
    const agentId = this.o.agentId;
    const poolId = s.poolId;
    // a roll, once per transaction, with the decision that led to it
    if (s.lastRoll !== null && this.lastRollTx.get(poolId) !== s.lastRoll.txHash) {
      const known = this.lastRollTx.has(poolId);
      this.lastRollTx.set(poolId, s.lastRoll.txHash);
      // the first state seen after a restart carries the previous run's last roll: already recorded then (and idempotent anyway)
      if (known || at - s.lastRoll.at < this.interval) {
        const d = s.lastDecision;
        this.o.sink({
          kind: 'roll', agentId, poolId, at: s.lastRoll.at, txHash: s.lastRoll.txHash,
          fromTickLower: s.lastRoll.from.tickLower, fromTickUpper: s.lastRoll.from.tickUpper, toTickLower: s.lastRoll.to.tickLower, toTickUpper: s.lastRoll.to.tickUpper,
          triggers: d?.triggers ?? [], expectedGainUsd: d?.expectedGainUsd ?? null, gasCostUsd: d?.gasCostUsd ?? null, swapCostUsd: d?.swapCostUsd ?? null,
        });
      }
    }
    const d = s.lastDecision;
    if (d !== null) {
      const prev = this.lastDecision.get(poolId);
      const changed = prev === undefined || prev.roll !== d.roll || prev.urgency !== d.urgency || !sameList(prev.triggers, d.triggers);
      if (prev?.at !== d.at && (changed || d.roll || d.at - prev.at >= this.interval)) {
        this.lastDecision.set(poolId, { at: d.at, roll: d.roll, urgency: d.urgency, triggers: d.triggers });
        this.o.sink({
          kind: 'decision', agentId, poolId, at: d.at, roll: d.roll, urgency: d.urgency, triggers: d.triggers,
          expectedGainUsd: d.expectedGainUsd, gasCostUsd: d.gasCostUsd, swapCostUsd: d.swapCostUsd,
          newTickLower: d.newRange?.tickLower ?? null, newTickUpper: d.newRange?.tickUpper ?? null, reasons: d.reasons,
        });
      }
    }
    if (!(s.price > 0)) return;
    const last = this.lastSnapshotAt.get(poolId);
    if (last !== undefined && at - last < this.interval) return;
    this.lastSnapshotAt.set(poolId, at);
    this.o.sink({
      kind: 'poolSnapshot', agentId, poolId, at, status: s.status, price: s.price, assetPrice: s.assetPrice, referencePrice: s.referencePrice, tick: s.tick,
      tickLower: s.position?.tickLower ?? null, tickUpper: s.position?.tickUpper ?? null, liquidity: s.position?.liquidity ?? '0',
      valueUsd: s.valueUsd, depositedUsd: s.depositedUsd, pnlUsd: s.pnlUsd, feesUsd: s.feesEarned, ilPercent: s.il.ilPercent, ilUsd: s.il.ilUSD,
      cumulativeIlUsd: s.il.cumulativeUSD, lvrUsd: lvrUsdOf(raw), delta: s.delta,
    });
  }

  private onRisk(at: number, s: RiskState): void {
    const agentId = this.o.agentId;
    if (this.riskStatus !== null && this.riskStatus !== s.status) {
      this.o.sink(s.status === 'halted'
        ? { kind: 'haltChange', agentId, at: s.haltedAt ?? at, action: 'halt', reason: s.reason, by: s.haltedBy }
        : { kind: 'haltChange', agentId, at, action: 'resume', reason: null, by: null });
    }
    this.riskStatus = s.status;
    if (s.equityUsd > 0 && at - this.lastEquityAt >= this.interval) {
      this.lastEquityAt = at;
      this.o.sink({ kind: 'equity', agentId, at, equityUsd: s.equityUsd, peakEquityUsd: s.peakEquityUsd, drawdown: s.drawdown, exposure: s.exposure, pnlPercent: s.pnlPercent });
    }
  }

  private onHedge(at: number, s: HedgeState): void {
    // a hedge state restored from an older agent may lack assets: nothing to read then
    for (const h of Object.values(s.assets ?? {})) {
      const prev = this.lastHedge.get(h.asset);
      const moved = (a: number, b: number): boolean => Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
      if (prev !== undefined && !moved(prev.target, h.target) && !moved(prev.current, h.current)) continue;
      this.lastHedge.set(h.asset, { target: h.target, current: h.current });
      this.o.sink({
        kind: 'hedge', agentId: this.o.agentId, asset: h.asset, symbol: h.symbol, at, netDelta: h.netDelta, target: h.target, current: h.current,
        deviation: h.deviation, withinBand: h.withinBand,
      });
    }
  }
}
