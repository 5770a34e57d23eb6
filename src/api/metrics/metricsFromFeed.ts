/**
 * Keeps the agent's gauges current from its state feed: every published position, hedge,
 * exchange and risk state sets the gauges it carries. Also measures event → decision latency:
 * the chain wrapper notes when each pool snapshot left the port (`snapshotSeen`), and the first
 * position state published at or past that block closes the measurement.
 */
import type { Observable, Subscription } from 'rxjs';
import type { StateEvent } from '../../actors/core/stateFeed.js';
import type { ExchangeState } from '../../actors/exchange/exchangeActor.js';
import type { HedgeState } from '../../actors/hedge/hedgeActor.js';
import type { PositionState } from '../../actors/position/positionActor.js';
import type { RiskState } from '../../actors/risk/riskSupervisor.js';
import { lvrUsdOf } from '../../adapters/history/recorder.js';
import type { AgentMetrics } from './agentMetrics.js';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export class MetricsFromFeed {
  private readonly pending = new Map<string, { blockNumber: number; at: number }>();
  private halted: boolean | null = null;

  constructor(private readonly m: AgentMetrics, private readonly now: () => number = Date.now) {}

  attach(changes$: Observable<StateEvent>): Subscription {
    return changes$.subscribe((e) => this.onEvent(e));
  }

  /** A pool snapshot left the chain port (the oldest one not yet decided on is kept). */
  snapshotSeen(poolId: string, blockNumber: number): void {
    if (!this.pending.has(poolId)) this.pending.set(poolId, { blockNumber, at: this.now() });
  }

  onEvent(e: StateEvent): void {
    if (e.kind === 'position') this.position(e.state as unknown as PositionState, e.state, e.at);
    else if (e.kind === 'hedge') this.hedge(e.state as unknown as HedgeState);
    else if (e.kind === 'exchange') this.exchange(e.state as unknown as ExchangeState);
    else if (e.kind === 'risk') this.risk(e.state as unknown as RiskState);
  }

  /** `publishedAt`: when the actor published it (events arrive after the actors' turns: the latency ends at publication, not delivery). */
  private position(s: PositionState, raw: Record<string, unknown>, publishedAt: number): void {
    const m = this.m;
    const pool = s.poolId;
    const p = this.pending.get(pool);
    if (p !== undefined && s.blockNumber >= p.blockNumber) {
      this.pending.delete(pool);
      m.eventToDecision.observe({ pool }, Math.max(0, Math.min(this.now(), publishedAt) - p.at) / 1000);
    }
    if (!(s.price > 0)) return;
    m.positionValue.set({ pool }, s.valueUsd);
    m.positionPnl.set({ pool }, s.pnlUsd);
    m.ilPercent.set({ pool }, s.il.ilPercent);
    m.ilUsd.set({ pool }, s.il.cumulativeUSD);
    m.feesUsd.set({ pool }, s.feesEarned);
    const lvr = lvrUsdOf(raw);
    if (lvr !== null) m.lvrUsd.set({ pool }, lvr);
    m.delta.set({ pool, asset: s.asset }, s.delta);
    m.poolPrice.set({ pool, asset: s.asset }, s.assetPrice);
    if (s.deviation !== null) m.referenceDeviation.set({ pool }, s.deviation);
    m.rolls.set({ pool }, s.rolls);
    m.positionErrors.set({ pool }, s.errors);
    if (s.position !== null) {
      const { tickLower, tickUpper } = s.position;
      const inside = s.tick >= tickLower && s.tick < tickUpper;
      m.inRange.set({ pool }, inside ? 1 : 0);
      const width = Math.max(1, tickUpper - tickLower);
      m.boundDistance.set({ pool }, Math.min(s.tick - tickLower, tickUpper - s.tick) / width);
    }
  }

  private hedge(s: HedgeState): void {
    // a hedge state restored from an older agent may lack assets: nothing to read then
    for (const h of Object.values(s.assets ?? {})) {
      this.m.hedgeTarget.set({ asset: h.asset, symbol: h.symbol }, h.target);
      this.m.hedgeCurrent.set({ asset: h.asset, symbol: h.symbol }, h.current);
      this.m.hedgeDeviation.set({ asset: h.asset }, h.deviation);
      this.m.hedgeWithinBand.set({ asset: h.asset }, h.withinBand ? 1 : 0);
      this.m.netDelta.set({ asset: h.asset }, h.netDelta);
    }
  }

  private exchange(s: ExchangeState): void {
    const venue = s.venue;
    if (finite(s.equity)) this.m.venueEquity.set({ venue }, s.equity);
    const margin = Object.values(s.positions).reduce((a, p) => a + (finite(p.margin) ? p.margin : 0), 0);
    this.m.marginRatio.set({ venue }, s.equity > 0 ? margin / s.equity : 0);
    this.m.openOrders.set({ venue }, s.openOrders);
    // the funding ledger (hedgerisk) where the state has one
    const funding = (s as { funding?: { bySymbol?: Record<string, { received?: number }> } }).funding;
    for (const [symbol, f] of Object.entries(funding?.bySymbol ?? {})) if (finite(f.received)) this.m.fundingReceived.set({ venue, symbol }, f.received);
  }

  private risk(s: RiskState): void {
    const halted = s.status === 'halted';
    if (halted && this.halted === false) this.m.halts.inc();
    this.halted = halted;
    this.m.halted.set(halted ? 1 : 0);
    this.m.equity.set(s.equityUsd);
    this.m.drawdown.set(s.drawdown);
    this.m.exposure.set(s.exposure);
    this.m.pnl.set(s.pnlPercent);
    this.m.restarts.set(s.restarts);
  }
}
