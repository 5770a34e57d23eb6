/**
 * Runs a backtest: the agent — the same actor tree as live (startAgent: RiskSupervisor,
 * ExchangeActor on the paper venue, HedgeActor, PositionActor per pool) — on a VirtualClock,
 * against the market's simulated chain. Nothing waits on the wall clock: before each market step
 * the clock advances to the step's time, firing the agent's timers due on the way (reference
 * re-reads, gas polls, venue syncs, hedge re-checks) each at its own time (one due at the step's
 * own time fires after the step, and sees it); then the pool moves,
 * the venue's mark and the reference price follow, and the run waits until every actor has
 * worked through what that caused. After each step it samples the books (backtestLedger.ts).
 * The clock-only timers run at most once per step unless told otherwise (stepTimers.ts).
 */
import { Subject } from 'rxjs';
import { startAgent, type AgentSettings, type PriceTick } from '../actors/agent.js';
import type { VirtualClock } from '../actors/core/virtualClock.js';
import type { StateEvent } from '../actors/core/stateFeed.js';
import type { PositionState } from '../actors/position/positionActor.js';
import type { HedgeState } from '../actors/hedge/hedgeActor.js';
import { PaperExchange } from '../adapters/exchange/paperExchange.js';
import type { Logger } from '../logging/logger.js';
import type { BacktestMarket } from './backtestMarket.js';
import { BacktestLedger, type LedgerResult } from './backtestLedger.js';
import { PoolValuation } from './poolValuation.js';
import { RecordingChain } from './recordingChain.js';
import type { ReferencePrice } from './referencePricesCsv.js';
import { medianStepMs, timersPerStep } from './stepTimers.js';

/** The paper venue the hedge trades on. */
export interface BacktestVenue {
  id: string;
  balance: number;
  takerFeeBps: number;
  slippageBps: number;
  /** Funding per 8 h when the reference series gives none (default the paper venue's 0.0001). */
  fundingRate?: number;
}

export interface BacktestRunOptions {
  settings: AgentSettings;
  market: BacktestMarket;
  clock: VirtualClock;
  venue: BacktestVenue;
  /** The hedge leg's price series; without it the pool's price is the reference. */
  reference?: readonly ReferencePrice[];
  log: Logger;
  /** 'step': the agent's clock-only timers at most once per market step (stepTimers.ts); 'configured': at their configured periods, as live. */
  timers: 'step' | 'configured';
  /** Called after each step with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** The reference source's name as the position sees it. */
export const REFERENCE_SOURCE = 'backtest-reference';

/** The latest entry of `series` at or before `time` (series sorted by time), by a moving cursor. */
class SeriesCursor {
  private i = 0;
  constructor(private readonly series: readonly ReferencePrice[]) {}
  at(time: number): ReferencePrice | undefined {
    while (this.i + 1 < this.series.length && this.series[this.i + 1]!.time <= time) this.i++;
    const p = this.series[this.i];
    return p !== undefined && p.time <= time ? p : undefined;
  }
}

export async function runBacktest(o: BacktestRunOptions): Promise<LedgerResult> {
  const { settings, market, clock } = o;
  const cfg = settings.pools[0];
  if (cfg === undefined || settings.pools.length !== 1) throw new RangeError(`a backtest runs one pool, got ${settings.pools.length}`);
  const desc = cfg.pool;
  const value = new PoolValuation(desc);
  const now = (): number => clock.now();
  const nativeUsd = (assetPrice: number): number => (cfg.nativeIsAsset ? assetPrice : cfg.nativePriceUsd);
  const chain = new RecordingChain(market.chain, value, now, nativeUsd);
  const refs = o.reference === undefined || o.reference.length === 0 ? null : new SeriesCursor(o.reference);
  const fundingCursor = refs === null ? null : new SeriesCursor(o.reference!);
  const startPrice = refs?.at(market.startTime)?.price ?? chain.assetPrice(market.poolId);
  const venue = new PaperExchange(
    {
      id: o.venue.id, balance: o.venue.balance, takerFeeBps: o.venue.takerFeeBps, slippageBps: o.venue.slippageBps,
      ...(o.venue.fundingRate === undefined ? {} : { fundingRate: o.venue.fundingRate }),
      symbols: [{ symbol: desc.hedgeSymbol, base: desc.asset, price: startPrice }],
    },
    {
      now, logger: o.log,
      ...(fundingCursor === null || o.reference!.every((r) => r.fundingRate === undefined)
        ? {}
        : { fundingRate: (_symbol: string, time: number) => fundingCursor.at(time)?.fundingRate ?? o.venue.fundingRate ?? 0.0001 }),
    },
  );
  const prices = new Subject<PriceTick>();
  const stepMs = medianStepMs(market);
  const ledger = new BacktestLedger({ chain, venue, value, deposit: { amount0: cfg.amount0, amount1: cfg.amount1 }, poolId: market.poolId, symbol: desc.hedgeSymbol, stepMs });

  const quote = (time: number): number => {
    const p = refs?.at(time)?.price ?? chain.assetPrice(market.poolId);
    venue.setMark(desc.hedgeSymbol, p);
    prices.next({ asset: desc.asset, source: REFERENCE_SOURCE, price: p, at: time });
    return p;
  };

  const agent = await startAgent(o.timers === 'step' ? timersPerStep(settings, stepMs) : settings, { chain, venues: [venue], prices$: prices, store: null, log: o.log, scheduler: clock });
  const positionKey = `position-${desc.poolId.slice(0, 18)}`;
  let lastRolls = 0;
  const feedSub = agent.feed.changes$.subscribe((e: StateEvent) => {
    if (e.actor === positionKey) {
      const s = e.state as unknown as PositionState;
      if (s.rolls > lastRolls) {
        lastRolls = s.rolls;
        const d = s.rollDecisions[s.rollDecisions.length - 1];
        ledger.noteRollDecision(e.at, d === undefined ? [] : d.triggers, d?.reasoning ?? []);
      }
    }
  });
  /** Waits until the actors have worked through everything the last event caused (two idle checks a macrotask apart). */
  const settle = async (): Promise<void> => {
    let quiet = 0;
    for (let spin = 0; quiet < 2; spin++) {
      await new Promise((r) => setImmediate(r));
      quiet = agent.idle() ? quiet + 1 : 0;
      if (spin > 1_000_000) throw new Error('backtest: the actors never settled');
    }
  };
  const hedgeOf = (): { target: number; current: number } => {
    const h = agent.feed.latest('hedge')?.state as unknown as HedgeState | undefined;
    const a = h?.assets[desc.asset];
    return { target: a?.target ?? 0, current: a?.current ?? 0 };
  };
  const positionOf = (): PositionState | undefined => agent.feed.latest(positionKey)?.state as unknown as PositionState | undefined;

  try {
    quote(clock.now());
    await settle();
    await ledger.start(clock.now(), startPrice);
    const total = market.steps.length;
    ledger.expect(total);
    for (let i = 0; i < total; i++) {
      const step = market.steps[i]!;
      // the timers due before the step fire first; one due at the step's own time fires after it (next advance)
      await clock.advanceBefore(step.time, settle);
      const before = await ledger.beforeMove();
      step.move();
      ledger.afterMove(before, step.time);
      const ref = quote(step.time);
      await settle();
      await ledger.sample(step.time, ref, hedgeOf(), positionOf());
      o.onProgress?.(i + 1, total);
    }
  } finally {
    feedSub.unsubscribe();
    await agent.stop();
    prices.complete();
    await venue.close();
    market.chain.close();
  }
  return ledger.result(market.stats(), positionOf());
}
