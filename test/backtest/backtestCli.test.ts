/**
 * `rangekeeper backtest` as a user runs it: on the shipped example day (cut to its first two
 * hours to stay quick) it exits 0 and writes a JSON result whose books add up and an HTML report
 * with its plots; bad input is one line on stderr and exit 2, never a stack trace or a result.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { EXAMPLE_MINUTE_BARS } from '../support/sharedData.js';

const dir = mkdtempSync(join(tmpdir(), 'rk-backtest-cli-'));
const lines = readFileSync(EXAMPLE_MINUTE_BARS, 'utf8').trimEnd().split('\n');
const bars = (name: string, rows: string[]): string => {
  const f = join(dir, name);
  writeFileSync(f, rows.join('\n') + '\n');
  return f;
};

describe('rangekeeper backtest', () => {
  it('replays the example day through the agent: exit 0, a JSON result that adds up, an HTML report', async () => {
    const data = bars('day.minute.csv', lines.slice(0, 91));
    const out = join(dir, 'result.json');
    const report = join(dir, 'report.html');
    const r = await runCli(['backtest', '--data', data, '--out', out, '--report', report], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('90 steps');
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      windows: {
        kind: string; steps: number; transactions: number; startEquityUsd: number; endEquityUsd: number; timeInRange: number;
        pnl: Record<string, number>; metrics: { totalReturn: number; maxDrawdown: number; sharpeRatio: number | null };
        lvr: { realizedUsd: number; modelUsd: number; agentEstimateUsd: number | null }; replay: { bars: number };
        series: { time: number[]; price: number[]; equity: number[] };
      }[];
    };
    expect(result.windows).toHaveLength(1);
    const w = result.windows[0]!;
    expect(w.kind).toBe('bars');
    expect(w.steps).toBe(90);
    expect(w.replay.bars).toBe(90);
    // the agent deposited: one mint at least, and its liquidity earned fees from the replayed bars
    expect(w.transactions).toBeGreaterThanOrEqual(1);
    expect(w.pnl['fees']).toBeGreaterThan(0);
    // 9000 USDC + 5 WETH at ~1800 plus the 10000 USDT venue
    expect(w.startEquityUsd).toBeGreaterThan(27_000);
    expect(w.startEquityUsd).toBeLessThan(29_000);
    // the decomposition adds up to the equity change
    const p = w.pnl;
    const parts = p['holding']! + p['fees']! + p['ilVsHold']! + p['swapCosts']! + p['hedgePnl']! + p['funding']! + p['hedgeFees']! + p['gas']!;
    expect(parts).toBeCloseTo(p['total']!, 6);
    expect(w.endEquityUsd - w.startEquityUsd).toBeCloseTo(p['total']!, 6);
    expect(w.metrics.totalReturn).toBeCloseTo(p['total']! / w.startEquityUsd, 9);
    // in range the whole time: realized LVR is positive and the agent's own estimate is close to it
    expect(w.timeInRange).toBe(1);
    expect(w.lvr.realizedUsd).toBeGreaterThan(0);
    expect(Math.abs(w.lvr.agentEstimateUsd! / w.lvr.realizedUsd - 1)).toBeLessThan(0.25);
    expect(w.series.time).toHaveLength(90);
    expect(w.series.price[0]).toBeGreaterThan(1700);
    const html = readFileSync(report, 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  }, 150_000);

  const bad: [string, () => string[], RegExp][] = [
    ['a missing column', () => ['backtest', '--data', bars('nocol.minute.csv', [lines[0]!.replace(',currentLiquidity', ''), ...lines.slice(1, 4).map((l) => l.slice(0, l.lastIndexOf(',')))])], /nocol\.minute\.csv.*currentLiquidity/],
    ['unsorted timestamps', () => ['backtest', '--data', bars('unsorted.minute.csv', [lines[0]!, lines[2]!, lines[1]!, lines[3]!])], /unsorted\.minute\.csv:3: timestamp: .*not after/],
    ['a gap longer than an hour', () => ['backtest', '--data', bars('gap.minute.csv', [lines[0]!, lines[1]!, lines[100]!])], /gap\.minute\.csv:3: timestamp: 98 minutes are missing/],
    ['a file that does not exist', () => ['backtest', '--data', join(dir, 'none.minute.csv')], /none\.minute\.csv: cannot read/],
    ['a bad synthetic option', () => ['backtest', '--format', 'synthetic', '--sigma=-1'], /--sigma must be a volatility >= 0/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what} with one line and exit 2`, async () => {
      const r = await runCli(args());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  }
});
