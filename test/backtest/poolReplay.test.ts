/**
 * PoolReplay on the exact pool model: minute bars of the shipped day (our position joins the
 * recorded liquidity and gets its share of each bar's fees), and recorded swaps of a known pool
 * replayed to the wei.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readMinuteBarsCsv, type MinuteBar } from '../../src/backtest/minuteBarsCsv.js';
import { auditPositionFees } from '../../src/backtest/positionFeeAudit.js';
import type { HistoryEvent } from '../../src/backtest/poolHistory.js';
import { OTHERS, PoolReplay } from '../../src/backtest/poolReplay.js';
import { Pool, getSqrtPriceAtTick } from '../../src/math/index.js';
import { EXAMPLE_MINUTE_BARS } from '../support/sharedData.js';

describe('minute bar replay (shipped day 2023-08-17)', () => {
  let bars: MinuteBar[];
  beforeAll(async () => {
    bars = await readMinuteBarsCsv([EXAMPLE_MINUTE_BARS]);
  });

  it('follows every bar: price at the close tick, in-range liquidity as recorded', () => {
    const replay = new PoolReplay({ tickSpacing: 10, fee: 500, sqrtPriceX96: getSqrtPriceAtTick(bars[0]!.openTick), liquidity: bars[0]!.liquidity });
    for (const bar of bars) {
      replay.replayBar(bar);
      expect(replay.pool.getSlot0().sqrtPriceX96).toBe(getSqrtPriceAtTick(bar.closeTick));
      expect(replay.pool.getLiquidity()).toBe(bar.liquidity);
    }
    expect(replay.stats).toMatchObject({ bars: 1440, liquidityClamps: 0, barsWithoutLiquidity: 0 });
  });

  it('our position is diluted by the recorded liquidity: its fees are L/(L_bar + L) of each in-range bar’s LP fee', () => {
    const first = bars[0]!;
    const replay = new PoolReplay({ tickSpacing: 10, fee: 500, sqrtPriceX96: getSqrtPriceAtTick(first.openTick), liquidity: first.liquidity });
    const lower = Math.floor(first.openTick / 10) * 10 - 300;
    const upper = lower + 600;
    const ours = first.liquidity / 4n;
    replay.addPosition('us', lower, upper, ours, false);
    let expected0 = 0;
    let expected1 = 0;
    let inRangeBars = 0;
    for (const bar of bars) {
      replay.replayBar(bar);
      const inRange = lower <= bar.closeTick && bar.closeTick < upper;
      expect(replay.pool.getLiquidity()).toBe(bar.liquidity + (inRange ? ours : 0n));
      if (!inRange) continue;
      inRangeBars++;
      const share = Number(ours) / Number(bar.liquidity + ours);
      expected0 += (Number(bar.inAmount0) * 500) / 1e6 * share;
      expected1 += (Number(bar.inAmount1) * 500) / 1e6 * share;
    }
    const fees = replay.removePosition('us', 0n).feesAccrued;
    // the crash day leaves the ±300-tick range part of the day
    expect(inRangeBars).toBeGreaterThan(100);
    expect(inRangeBars).toBeLessThan(1440);
    expect(Number(fees.amount0) / expected0).toBeCloseTo(1, 6);
    expect(Number(fees.amount1) / expected1).toBeCloseTo(1, 6);
    expect(fees.amount0).toBeGreaterThan(0n);
  });
});

describe('swap replay of a known pool', () => {
  /**
   * A "chain": a pool whose other LPs have a different liquidity in each segment. It records its
   * swaps and a JIT position's mint, swaps and burn as a history, which the replay has never seen.
   */
  function recordHistory(): { events: HistoryEvent[]; jitFees: { amount0: bigint; amount1: bigint } } {
    const chain = new Pool({ tickSpacing: 10, fee: 500 });
    chain.initialize(getSqrtPriceAtTick(5));
    for (let s = -200; s < 200; s += 10) {
      chain.modifyLiquidity({ owner: 'lp', tickLower: s, tickUpper: s + 10, liquidityDelta: 10n ** 18n + BigInt(s + 200) * 10n ** 16n });
    }
    const events: HistoryEvent[] = [];
    let block = 0;
    const swap = (zeroForOne: boolean, amountIn: bigint): void => {
      const r = chain.swap({ zeroForOne, amountSpecified: -amountIn, sqrtPriceLimitX96: getSqrtPriceAtTick(zeroForOne ? -1000 : 1000) });
      events.push({ kind: 'swap', block: ++block, logIndex: 0, time: undefined, amount0: -r.amount0, amount1: -r.amount1, sqrtPriceX96: r.sqrtPriceX96, liquidity: r.liquidity, tick: r.tick });
    };
    // walk the price down and up inside and across segments, each swap crossing at most one boundary
    const amounts = [3n, 7n, 2n, 11n, 5n, 13n, 1n, 8n].map((k) => k * 10n ** 14n);
    swap(true, 10n ** 12n);
    for (let i = 0; i < 40; i++) swap(i % 3 !== 2, amounts[i % amounts.length]!);
    const tick = chain.getSlot0().tick;
    const jitLower = Math.floor(tick / 10) * 10;
    const mint = chain.modifyLiquidity({ owner: 'jit', tickLower: jitLower, tickUpper: jitLower + 10, liquidityDelta: 5n * 10n ** 18n });
    events.push({ kind: 'mint', block: ++block, logIndex: 0, time: undefined, position: 'jit', tickLower: jitLower, tickUpper: jitLower + 10, liquidity: 5n * 10n ** 18n, amount0: -mint.principalDelta.amount0, amount1: -mint.principalDelta.amount1 });
    for (let i = 0; i < 6; i++) swap(i % 2 === 0, 10n ** 14n);
    const burn = chain.modifyLiquidity({ owner: 'jit', tickLower: jitLower, tickUpper: jitLower + 10, liquidityDelta: -(5n * 10n ** 18n) });
    const principal = burn.principalDelta;
    events.push({ kind: 'burn', block: ++block, logIndex: 0, time: undefined, position: 'jit', tickLower: jitLower, tickUpper: jitLower + 10, liquidity: 5n * 10n ** 18n, amount0: principal.amount0, amount1: principal.amount1 });
    events.push({ kind: 'collect', block, logIndex: 1, time: undefined, position: 'jit', tickLower: jitLower, tickUpper: jitLower + 10, amount0: burn.callerDelta.amount0, amount1: burn.callerDelta.amount1 });
    for (let i = 0; i < 10; i++) swap(i % 2 === 1, amounts[i % amounts.length]!);
    return { events, jitFees: burn.feesAccrued };
  }

  it('learns the other LPs from the record: every swap reaches the recorded price with exactly the recorded input', () => {
    const { events } = recordHistory();
    const swaps = events.filter((e) => e.kind === 'swap');
    const first = swaps[0]!;
    const replay = new PoolReplay({ tickSpacing: 10, fee: 500, sqrtPriceX96: first.sqrtPriceX96, liquidity: first.liquidity });
    for (const e of events.slice(1)) {
      if (e.kind === 'swap') {
        replay.replaySwap(e);
        expect(replay.pool.getSlot0().sqrtPriceX96).toBe(e.sqrtPriceX96);
        expect(replay.pool.getLiquidity()).toBe(e.liquidity);
      } else if (e.kind === 'mint') replay.addPosition(e.position, e.tickLower, e.tickUpper, e.liquidity, true);
      else if (e.kind === 'burn') replay.removePosition(e.position, e.liquidity);
    }
    expect(replay.stats.swaps).toBe(swaps.length - 1);
    expect(replay.stats.exactSwaps).toBe(swaps.length - 1);
    expect(replay.stats.unusedInput0 + replay.stats.unusedInput1).toBe(0n);
    expect(replay.othersIn(0)).toBeDefined();
    expect(replay.pool.getPosition(OTHERS, 0, 10).liquidity).toBeGreaterThan(0n);
  });

  it('the audit gives the JIT position exactly the fees the chain paid it, and our accounting agrees', () => {
    const { events, jitFees } = recordHistory();
    const audit = auditPositionFees(events, { tickSpacing: 10, fee: 500 });
    expect(audit.cycles).toHaveLength(1);
    const c = audit.cycles[0]!;
    expect(jitFees.amount0 > 0n && jitFees.amount1 > 0n).toBe(true);
    expect(c.chain).toEqual({ amount0: jitFees.amount0, amount1: jitFees.amount1 });
    expect(c.model).toEqual(c.chain);
    expect(c.ours).toEqual(c.model);
    expect(audit.mintAmountMismatches).toBe(0);
  });
});
