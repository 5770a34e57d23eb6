/**
 * A whole backtest: the configuration's first pool and its paper hedge venue, run over each
 * window of the input (backtestInput.ts) by runBacktest, from a fresh agent and a fresh wallet
 * holding the pool's deposit. The report is what `rangekeeper backtest` writes as JSON and
 * renders as HTML.
 */
import { VirtualClock } from '../actors/core/virtualClock.js';
import { agentSettings, parseUnits } from '../config/agentSettings.js';
import type { AgentConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { MarketWindow } from './backtestInput.js';
import type { LedgerResult } from './backtestLedger.js';
import type { ReferencePrice } from './referencePricesCsv.js';
import { runBacktest, type BacktestVenue } from './runBacktest.js';

export interface WindowResult extends LedgerResult {
  label: string;
  kind: string;
}

export interface BacktestReport {
  generatedBy: string;
  pool: { asset: string; token0: string; token1: string; fee: number; tickSpacing: number; deposit: { amount0: string; amount1: string } };
  strategy: AgentConfig['strategy'];
  hedge: { ratio: number; band: number; venue: BacktestVenue };
  windows: WindowResult[];
}

/** Thrown when the configuration cannot be backtested (e.g. its hedge venue is not a paper venue). */
export class BacktestConfigError extends Error {
  override readonly name = 'BacktestConfigError';
}

/** The paper venue the configuration hedges on. */
export function backtestVenue(cfg: AgentConfig): BacktestVenue {
  const ex = cfg.exchanges.find((e) => (e.id ?? e.kind) === cfg.hedge.venue);
  if (ex === undefined || ex.kind !== 'paper') {
    throw new BacktestConfigError(`hedge.venue "${cfg.hedge.venue}" must be a paper exchange in a backtest (exchanges: [{ kind: paper, id: ${cfg.hedge.venue} }])`);
  }
  return { id: ex.id, balance: ex.balance, takerFeeBps: ex.takerFeeBps, slippageBps: ex.slippageBps };
}

export interface BacktestRunInput {
  cfg: AgentConfig;
  windows: readonly MarketWindow[];
  reference?: readonly ReferencePrice[];
  log: Logger;
  gasPriceWei?: bigint;
  onProgress?: (window: number, done: number, total: number) => void;
}

export async function backtest(i: BacktestRunInput): Promise<BacktestReport> {
  const cfg = { ...i.cfg, pools: [i.cfg.pools[0]!], exchanges: i.cfg.exchanges.filter((e) => (e.id ?? e.kind) === i.cfg.hedge.venue), hedge: { ...i.cfg.hedge, venues: undefined } };
  const venue = backtestVenue(cfg);
  const p = cfg.pools[0]!;
  const poolId = p.poolId ?? `0x${'ba'.repeat(32)}`;
  const settings = agentSettings(cfg, [poolId]);
  const desc = settings.pools[0]!.pool;
  const windows: WindowResult[] = [];
  for (let w = 0; w < i.windows.length; w++) {
    const win = i.windows[w]!;
    await win.load();
    const clock = new VirtualClock(win.startTime);
    const balances: Record<string, bigint> = { [p.token0.symbol]: parseUnits(p.deposit.amount0, p.token0.decimals), [p.token1.symbol]: parseUnits(p.deposit.amount1, p.token1.decimals) };
    const market = win.open({ desc, balances, gasPriceWei: i.gasPriceWei ?? 30_000_000_000n, now: () => clock.now() });
    const result = await runBacktest({
      settings, market, clock, venue, log: i.log, timers: cfg.backtest.timers,
      ...(i.reference === undefined ? {} : { reference: i.reference }),
      ...(i.onProgress === undefined ? {} : { onProgress: (done: number, total: number) => i.onProgress!(w, done, total) }),
    });
    windows.push({ label: win.label, kind: market.kind, ...result });
  }
  return {
    generatedBy: 'rangekeeper backtest',
    pool: { asset: p.asset, token0: p.token0.symbol, token1: p.token1.symbol, fee: p.fee, tickSpacing: p.tickSpacing, deposit: p.deposit },
    strategy: cfg.strategy,
    hedge: { ratio: cfg.risk.hedgeRatio, band: cfg.hedge.band, venue },
    windows,
  };
}
