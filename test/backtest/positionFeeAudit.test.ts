/**
 * The fee audit on a real day: every event of Uniswap USDC/WETH 0.05% on 2024-01-05 replayed on
 * the exact pool model. For each of the 36 positions opened and closed that day, our fee
 * accounting (src/math/feeGrowth.ts) must equal the fee growth the pool model credits, to the
 * wei, and the model must match what the chain paid (collect − burn).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readPoolEventsCsv } from '../../src/backtest/poolEventsCsv.js';
import { auditPositionFees, type FeeAuditResult } from '../../src/backtest/positionFeeAudit.js';
import { eventDayFiles } from '../support/sharedData.js';

const abs = (v: bigint): bigint => (v < 0n ? -v : v);

describe('position fee audit on the 2024-01-05 event day (shared data)', () => {
  let audit: FeeAuditResult;
  beforeAll(async () => {
    const files = eventDayFiles();
    const events = await readPoolEventsCsv(files.tick, { positionsFile: files.positions });
    audit = auditPositionFees(events, { tickSpacing: 10, fee: 500 });
  });

  it('replays every swap after the first and audits the 36 positions opened and closed that day', () => {
    expect(audit.stats.swaps).toBe(6045);
    expect(audit.cycles).toHaveLength(36);
    expect(audit.cycles.every((c) => c.chain !== undefined)).toBe(true);
    // the recorded liquidity was never below what the tracked positions hold: the owners line up
    expect(audit.stats.liquidityClamps).toBe(0);
  });

  it('our fee accounting equals the pool model fee growth for every position, in both tokens, to the wei', () => {
    const earning = audit.cycles.filter((c) => c.model.amount0 > 0n || c.model.amount1 > 0n);
    expect(earning.length).toBeGreaterThan(30);
    for (const c of audit.cycles) {
      expect({ position: c.position, ...c.ours }).toEqual({ position: c.position, ...c.model });
    }
  });

  it('every mint paid exactly what the model charges at the replayed price', () => {
    expect(audit.mintsChecked).toBe(54);
    expect(audit.mintAmountMismatches).toBe(0);
  });

  it('the model pays what the chain paid: 35 of 36 exactly, the last (1,725 swaps wide) within 1e-4', () => {
    let exact = 0;
    for (const c of audit.cycles) {
      const chain = c.chain!;
      const d0 = abs(chain.amount0 - c.model.amount0);
      const d1 = abs(chain.amount1 - c.model.amount1);
      if (d0 === 0n && d1 === 0n) exact++;
      // relative error below 1e-4 of what the chain paid, in each token
      expect(d0 * 10_000n <= chain.amount0, `${c.position} token0: chain ${chain.amount0}, model ${c.model.amount0}`).toBe(true);
      expect(d1 * 10_000n <= chain.amount1, `${c.position} token1: chain ${chain.amount1}, model ${c.model.amount1}`).toBe(true);
    }
    expect(exact).toBeGreaterThanOrEqual(35);
  });
});
