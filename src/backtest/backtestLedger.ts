/**
 * The backtest's books, sampled after every market step, and what they add up to.
 *
 * Equity = the LP side (wallet tokens + position principal + uncollected fees, at the pool price)
 * + the hedge venue's equity − gas paid. Its change decomposes exactly into:
 *
 *   holding       the deposit's tokens held unchanged, marked to the pool price
 *   fees          fees earned: collected by rolls/withdrawals (valued when collected) + uncollected
 *   ilVsHold      the LP's loss against holding, net of fees and swap costs: LP PnL − holding − fees + swap costs
 *   swapCosts     the rolls' re-balancing swaps: fee and price impact (recordingChain.ts)
 *   hedgePnl      the perp's price PnL: venue equity change + its trading fees + funding paid
 *   funding       funding received (negative: paid)
 *   hedgeFees     the venue's taker fees (negative)
 *   gas           every transaction's gas at the asset's (or the configured native) price (negative)
 *
 * LVR (Milionis et al. 2022) is reported beside it, not added (it is part of ilVsHold): realized,
 * step by step, as asset₀·(P₁ − P₀) − (V(P₁) − V(P₀)) for the position held over the step
 * (what a continuously re-hedged LP loses to the price path), and as the model's
 * σ²/4 · L · √P · dt with σ the run's realized volatility; `exposure` = Σ L·√P·dt in range
 * (L in whole-token units, dt in years), so that LVR = σ²/4 · exposure for any σ.
 */
import type { PositionState } from '../actors/position/positionActor.js';
import type { VolatilityData } from '../actors/position/market/volatilityEstimator.js';
import type { PaperExchange } from '../adapters/exchange/paperExchange.js';
import { performanceMetrics, type ClosedTrade, type PerformanceMetrics } from '../math/performance.js';
import { tickToHumanPrice } from '../math/priceTick.js';
import { getSqrtPriceAtTick } from '../math/tickMath.js';
import { sqrtPriceX96ToHumanPrice } from '../sim/humanSqrtPrice.js';
import type { ReplayStats } from './poolReplay.js';
import type { PoolValuation } from './poolValuation.js';
import type { ChainTx, RecordingChain } from './recordingChain.js';

const YEAR_MS = 365 * 86_400_000;
/** Points kept per plotted series (the metrics use every step). */
const PLOT_POINTS = 2000;

export interface PnlBreakdown {
  total: number;
  holding: number;
  fees: number;
  ilVsHold: number;
  swapCosts: number;
  hedgePnl: number;
  funding: number;
  hedgeFees: number;
  gas: number;
}

export interface BacktestRoll {
  at: number;
  from: { tickLower: number; tickUpper: number } | null;
  to: { tickLower: number; tickUpper: number };
  triggers: string[];
  reasoning: string[];
  feesUsd: number;
  swapCostUsd: number;
  gasUsd: number;
}

/** The plotted series, decimated to at most PLOT_POINTS points. */
export interface BacktestSeries {
  time: number[];
  price: number[];
  rangeLower: (number | null)[];
  rangeUpper: (number | null)[];
  equity: number[];
  lpValue: number[];
  holdValue: number[];
  hedgedValue: number[];
  fees: number[];
  lvr: number[];
  hedgeTarget: number[];
  hedgeCurrent: number[];
  drawdown: number[];
}

export interface LedgerResult {
  start: number;
  end: number;
  steps: number;
  stepMs: number;
  startEquityUsd: number;
  endEquityUsd: number;
  metrics: PerformanceMetrics | null;
  pnl: PnlBreakdown;
  lvr: { realizedUsd: number; modelUsd: number; exposure: number; agentEstimateUsd: number | null; feesOverLvr: number | null };
  /** σ of the run's price (annualized realized volatility: Σ of squared step log returns over the elapsed time) and the agent's own VolatilityData at the end. */
  volatility: { realized: number; agent: VolatilityData | null };
  rolls: BacktestRoll[];
  transactions: number;
  timeInRange: number;
  replay: ReplayStats | null;
  series: BacktestSeries;
}

export interface LedgerOptions {
  chain: RecordingChain;
  venue: PaperExchange;
  value: PoolValuation;
  deposit: { amount0: bigint; amount1: bigint };
  poolId: string;
  symbol: string;
  stepMs: number;
}

interface Held {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  sqrtPriceX96: bigint;
  time: number;
}

export class BacktestLedger {
  private readonly hold: { asset: number; quote: number };
  private equity: number[] = [];
  private startTime = 0;
  private lastTime = 0;
  private startLp = 0;
  private startVenue = 0;
  private startHold = 0;
  /** Gas paid before the books opened (the first deposit's mint): already out of the start equity. */
  private startGas = 0;
  private lastLp = 0;
  private lastVenue = 0;
  private lastPrice = 0;
  private lastEquity = 0;
  private peak = 0;
  private lvrRealized = 0;
  private exposure = 0;
  private inRangeMs = 0;
  private logReturnsSq = 0;
  private returnCount = 0;
  private uncollectedUsd = 0;
  private txSeen = 0;
  private tradeOpen: { at: number; equity: number } | null = null;
  private readonly trades: ClosedTrade[] = [];
  private readonly decisions: { at: number; triggers: string[]; reasoning: string[] }[] = [];
  private readonly series: BacktestSeries = { time: [], price: [], rangeLower: [], rangeUpper: [], equity: [], lpValue: [], holdValue: [], hedgedValue: [], fees: [], lvr: [], hedgeTarget: [], hedgeCurrent: [], drawdown: [] };
  private stride = 1;
  private sampleIndex = 0;

  constructor(private readonly o: LedgerOptions) {
    this.hold = o.value.split(o.deposit.amount0, o.deposit.amount1);
  }

  /** The total number of samples to come (sets the plots' decimation). */
  expect(samples: number): void {
    this.stride = Math.max(1, Math.ceil(samples / PLOT_POINTS));
  }

  noteRollDecision(at: number, triggers: string[], reasoning: string[]): void {
    this.decisions.push({ at, triggers, reasoning });
  }

  private async ours(): Promise<Held | null> {
    const inner = this.o.chain.inner;
    const pos = (await inner.ownedPositions(this.o.poolId))[0];
    const { sqrtPriceX96 } = inner.poolModel(this.o.poolId).getSlot0();
    return pos === undefined ? null : { tickLower: pos.tickLower, tickUpper: pos.tickUpper, liquidity: pos.liquidity, sqrtPriceX96, time: this.lastTime };
  }

  private priceOf(sqrtPriceX96: bigint): number {
    const d = this.o.value.desc;
    return this.o.value.assetPrice(sqrtPriceX96ToHumanPrice(sqrtPriceX96, d.token0.decimals, d.token1.decimals));
  }

  /** The LP side's USD value now and the uncollected fees in it. */
  private async lpValue(price: number): Promise<{ value: number; uncollected: number; range: { lower: number; upper: number } | null }> {
    const inner = this.o.chain.inner;
    const d = this.o.value.desc;
    let value = this.o.value.usd(inner.balanceOf(d.token0.symbol), inner.balanceOf(d.token1.symbol), price);
    let uncollected = 0;
    let range: { lower: number; upper: number } | null = null;
    const pos = (await inner.ownedPositions(this.o.poolId))[0];
    if (pos !== undefined) {
      const { sqrtPriceX96 } = inner.poolModel(this.o.poolId).getSlot0();
      const a = this.o.value.positionAt(sqrtPriceX96, pos.tickLower, pos.tickUpper, pos.liquidity);
      const f = await inner.positionFees(pos);
      uncollected = this.o.value.usd(f.fees0, f.fees1, price);
      value += a.asset * price + a.quote + uncollected;
      const p1 = this.o.value.assetPrice(tickToHumanPrice(pos.tickLower, d.token0.decimals, d.token1.decimals));
      const p2 = this.o.value.assetPrice(tickToHumanPrice(pos.tickUpper, d.token0.decimals, d.token1.decimals));
      range = { lower: Math.min(p1, p2), upper: Math.max(p1, p2) };
    }
    return { value, uncollected, range };
  }

  private async venueEquity(): Promise<number> {
    return (await this.o.venue.fetchBalance()).total;
  }

  /** The books once the agent has started (its first deposit made). */
  async start(time: number, _referencePrice: number): Promise<void> {
    this.startTime = time;
    this.lastTime = time;
    const price = this.o.chain.assetPrice(this.o.poolId);
    this.lastPrice = price;
    const lp = await this.lpValue(price);
    this.startLp = lp.value;
    this.startVenue = await this.venueEquity();
    this.startHold = this.hold.asset * price + this.hold.quote;
    this.lastLp = this.startLp;
    this.lastVenue = this.startVenue;
    this.startGas = this.o.chain.gasUsd;
    this.lastEquity = this.startLp + this.startVenue - this.startGas;
    this.peak = this.lastEquity;
    this.equity.push(this.lastEquity);
    this.txSeen = this.o.chain.transactions.length;
    this.tradeOpen = { at: time, equity: this.lastEquity };
  }

  /** Our position as it stands before the market moves (what the step's LVR is measured on). */
  beforeMove(): Promise<Held | null> {
    return this.ours();
  }

  /** The step's LVR of the position held over it, and its exposure. */
  afterMove(before: Held | null, time: number): void {
    const sqrtAfter = this.o.chain.inner.poolModel(this.o.poolId).getSlot0().sqrtPriceX96;
    const p1 = this.priceOf(sqrtAfter);
    const p0 = this.lastPrice;
    if (p0 > 0 && p1 > 0) {
      const r = Math.log(p1 / p0);
      this.logReturnsSq += r * r;
      this.returnCount += 1;
    }
    if (before !== null) {
      const a0 = this.o.value.positionAt(before.sqrtPriceX96, before.tickLower, before.tickUpper, before.liquidity);
      const a1 = this.o.value.positionAt(sqrtAfter, before.tickLower, before.tickUpper, before.liquidity);
      const q0 = this.priceOf(before.sqrtPriceX96);
      this.lvrRealized += a0.asset * (p1 - q0) - (a1.asset * p1 + a1.quote - a0.asset * q0 - a0.quote);
      const lower = getSqrtPriceAtTick(before.tickLower);
      const upper = getSqrtPriceAtTick(before.tickUpper);
      if (before.sqrtPriceX96 >= lower && before.sqrtPriceX96 < upper) {
        const dt = Math.max(0, time - this.lastTime);
        this.inRangeMs += dt;
        this.exposure += (Number(before.liquidity) / this.o.value.liquidityScale) * Math.sqrt(q0) * (dt / YEAR_MS);
      }
    }
  }

  async sample(time: number, _referencePrice: number, hedge: { target: number; current: number }, _position: PositionState | undefined): Promise<void> {
    const price = this.o.chain.assetPrice(this.o.poolId);
    const lp = await this.lpValue(price);
    const venue = await this.venueEquity();
    const gas = this.o.chain.gasUsd;
    const equity = lp.value + venue - gas;
    this.lastTime = time;
    this.lastPrice = price;
    this.lastLp = lp.value;
    this.lastVenue = venue;
    this.lastEquity = equity;
    this.uncollectedUsd = lp.uncollected;
    this.equity.push(equity);
    if (equity > this.peak) this.peak = equity;
    const txs = this.o.chain.transactions.length;
    if (txs !== this.txSeen) {
      if (this.tradeOpen !== null) this.trades.push({ openedAt: this.tradeOpen.at, closedAt: time, pnl: equity - this.tradeOpen.equity });
      this.tradeOpen = { at: time, equity };
      this.txSeen = txs;
    }
    if (this.sampleIndex++ % this.stride === 0) {
      const s = this.series;
      const hold = this.hold.asset * price + this.hold.quote;
      s.time.push(time);
      s.price.push(price);
      s.rangeLower.push(lp.range?.lower ?? null);
      s.rangeUpper.push(lp.range?.upper ?? null);
      s.equity.push(equity);
      s.lpValue.push(lp.value);
      s.holdValue.push(hold);
      s.hedgedValue.push(lp.value + venue - this.startVenue - (gas - this.startGas));
      s.fees.push(this.o.chain.feesCollectedUsd + lp.uncollected);
      s.lvr.push(this.lvrRealized);
      s.hedgeTarget.push(hedge.target);
      s.hedgeCurrent.push(hedge.current);
      s.drawdown.push(this.peak > 0 ? (this.peak - equity) / this.peak : 0);
    }
  }

  result(replay: ReplayStats | null, position: PositionState | undefined): LedgerResult {
    const chain = this.o.chain;
    const ledger = this.o.venue.ledgerSnapshot();
    const fees = chain.feesCollectedUsd + this.uncollectedUsd;
    const lpPnl = this.lastLp - this.startLp;
    const holding = this.hold.asset * this.lastPrice + this.hold.quote - this.startHold;
    const venuePnl = this.lastVenue - this.startVenue;
    const pnl: PnlBreakdown = {
      total: this.lastEquity - this.equity[0]!,
      holding,
      fees,
      ilVsHold: lpPnl - holding - fees + chain.swapCostUsd,
      swapCosts: -chain.swapCostUsd,
      hedgePnl: venuePnl + ledger.feesPaid + ledger.fundingPaid,
      funding: -ledger.fundingPaid,
      hedgeFees: -ledger.feesPaid,
      gas: -(chain.gasUsd - this.startGas),
    };
    const trades = [...this.trades];
    if (this.tradeOpen !== null && this.lastTime > this.tradeOpen.at) trades.push({ openedAt: this.tradeOpen.at, closedAt: this.lastTime, pnl: this.lastEquity - this.tradeOpen.equity });
    const periodsPerYear = YEAR_MS / this.o.stepMs;
    const metrics = this.equity.length >= 3 && this.equity.every((e) => e > 0) ? performanceMetrics({ equity: this.equity, periodsPerYear, trades }) : null;
    // realized variance per unit time (Σ r² over the elapsed years): right for irregular steps (blocks) too
    const years = (this.lastTime - this.startTime) / YEAR_MS;
    const realized = years > 0 && this.returnCount > 1 ? Math.sqrt(this.logReturnsSq / years) : 0;
    const rolls = chain.transactions.filter((t): t is ChainTx & { to: { tickLower: number; tickUpper: number } } => t.op === 'roll' && t.to !== undefined).map((t, i): BacktestRoll => ({
      at: t.at, from: t.from ?? null, to: t.to, triggers: this.decisions[i]?.triggers ?? [], reasoning: this.decisions[i]?.reasoning ?? [],
      feesUsd: t.feesUsd ?? 0, swapCostUsd: t.swapCostUsd ?? 0, gasUsd: t.gasUsd,
    }));
    const span = this.lastTime - this.startTime;
    return {
      start: this.startTime, end: this.lastTime, steps: this.equity.length - 1, stepMs: this.o.stepMs,
      startEquityUsd: this.equity[0]!, endEquityUsd: this.lastEquity,
      metrics, pnl,
      lvr: {
        realizedUsd: this.lvrRealized, modelUsd: (realized * realized / 4) * this.exposure, exposure: this.exposure,
        agentEstimateUsd: position?.lvr?.cumulativeUsd ?? null, feesOverLvr: this.lvrRealized > 0 ? fees / this.lvrRealized : null,
      },
      volatility: { realized, agent: position?.market?.volatility ?? null },
      rolls, transactions: chain.transactions.length, timeInRange: span > 0 ? this.inRangeMs / span : 0,
      replay, series: this.series,
    };
  }
}
