/**
 * Milionis et al. (2022): on a GBM price without fees, a liquidity position whose delta is hedged
 * continuously loses exactly the LVR, σ²/4 · L · √P per unit time while in range. Here the whole
 * backtester runs it: seeded GBM paths through the agent (position actor, hedge actor at ratio 1
 * with a negligible band, paper venue without fees or funding) on a fee-free pool, range wide
 * enough never to roll; the hedged LP's loss (LP PnL + hedge PnL) is compared with the model's
 * integral over the positions the backtest held, at the true σ and at each path's realized σ.
 * (The reference re-read interval is a tenth of the TWAP window: 50 s keeps it at one per 5 s step.)
 */
import { describe, expect, it } from 'vitest';
import { openInput } from '../../src/backtest/backtestInput.js';
import { backtest } from '../../src/backtest/backtestRun.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createLogger } from '../../src/logging/logger.js';

const SIGMA = 1.5;
const cfg = parseConfig({
  agentId: 'lvr',
  pools: [{ asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'WETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 }, fee: 0, tickSpacing: 10, deposit: { amount0: '5', amount1: '15000' } }],
  // a wide range (σ prior 300%, a week's horizon): the path stays inside, no roll
  strategy: { annualVolatility: 3, riskLevel: 'conservative', horizonSeconds: 604_800, apyThreshold: 0, minCapitalEfficiency: 0 },
  risk: { hedgeRatio: 1, maxDrawdown: 0.9, stopLoss: 0.9, maxIL: 0.9 },
  reference: { minSources: 1, twapSeconds: 50, staleMs: 60_000 },
  hedge: { venue: 'paper', band: 0.00001, minIntervalMs: 0 },
  exchanges: [{ kind: 'paper', id: 'paper', balance: 50_000, takerFeeBps: 0, slippageBps: 0 }],
  gasPollMs: 0, venueSyncMs: 0, store: { kind: 'memory' },
}, 'lvr test');

describe('delta-hedged LP on GBM without fees', () => {
  it('loses the integrated LVR, within a few percent over seeds', async () => {
    let loss = 0;
    let modelTrue = 0;
    let modelRealized = 0;
    for (const seed of [11, 12, 13]) {
      const windows = await openInput({ data: undefined, format: 'synthetic', synthetic: { initialPrice: 3000, sigma: SIGMA, seed, steps: 300, stepSeconds: 5, startTime: Date.UTC(2024, 0, 1, 1) } });
      const r = await backtest({ cfg, windows, log: createLogger({ level: 'silent' }), gasPriceWei: 0n });
      const w = r.windows[0]!;
      expect(w.rolls).toHaveLength(0);
      expect(w.timeInRange).toBe(1);
      expect(Math.abs(w.pnl.fees)).toBe(0);
      expect(Math.abs(w.pnl.hedgeFees)).toBe(0);
      expect(Math.abs(w.pnl.funding)).toBe(0);
      // the hedge really traded: it offsets almost all of the LP's price exposure
      expect(Math.abs(w.pnl.hedgePnl + w.pnl.holding)).toBeLessThan(0.05 * Math.abs(w.pnl.holding));
      loss += -(w.pnl.holding + w.pnl.ilVsHold + w.pnl.hedgePnl);
      modelTrue += (SIGMA * SIGMA / 4) * w.lvr.exposure;
      modelRealized += w.lvr.modelUsd;
    }
    expect(loss).toBeGreaterThan(0);
    expect(Math.abs(loss / modelRealized - 1)).toBeLessThan(0.05);
    expect(Math.abs(loss / modelTrue - 1)).toBeLessThan(0.15);
  }, 300_000);
});
