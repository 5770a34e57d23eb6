/**
 * `rangekeeper compare` and `rangekeeper sweep` as a user runs them, through the real runner on
 * worker threads (short paths to stay cheap): a configuration with a clearly worse parameter (its
 * range sized for 1% volatility on an 80% market: it leaves the range and pays a roll) is called
 * worse, and is worse on every seed's path; a sweep ranks its grid,
 * reports the best row's deflated Sharpe ratio and stores a result the schema reads back; bad
 * input is one line on stderr and exit 2, before any worker starts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareResultSchema, sweepResultSchema } from '../../src/backtest/researchResultSchema.js';
import { readResearchResults } from '../../src/backtest/researchResultStore.js';
import { describeFailure } from '../../src/cli/failure.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rk-compare-cli-'));
const results = join(dir, 'results');
const base = readFileSync(new URL('../../examples/backtest.yaml', import.meta.url), 'utf8');
const narrow = join(dir, 'narrow.yaml');
writeFileSync(narrow, base.replace('annualVolatility: 0.6', 'annualVolatility: 0.01'));
const good = join(dir, 'good.yaml');
writeFileSync(good, base);

describe('rangekeeper compare', () => {
  it('calls the configuration with a range sized for 1% volatility worse, paired path by path', async () => {
    const out = join(dir, 'compare.json');
    const r = await runCli(['compare', '--a', good, '--b', narrow, '--paths', '5', '--steps', '30', '--workers', '2', '--out', out, '--results-dir', results], { timeoutMs: 170_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/recommendation: prefer A/);
    const res = compareResultSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(res.recommendation.verdict).toBe('A_BETTER');
    expect(res.paths).toMatchObject({ kind: 'synthetic', count: 5, stepsPerPath: 30 });
    expect(res.strategyA.perPath).toHaveLength(5);
    // paired: B loses on every single path, and the interval lies above 0
    res.strategyA.perPath.forEach((a, i) => expect(a.totalReturn).toBeGreaterThan(res.strategyB.perPath[i]!.totalReturn));
    expect(res.confidenceInterval.lower).toBeGreaterThan(0);
    expect(res.statisticalSignificance.pValue!).toBeLessThan(0.05);
    expect(res.statisticalSignificance.batchLength).toBe(1);
    expect(res.effectSize.cohensDz!).toBeGreaterThan(1);
    expect(res.strategyB.config.strategy['annualVolatility']).toBe(0.01);
    const stored = await readResearchResults(results);
    expect(stored.some((s) => 'result' in s && s.result.kind === 'compare' && s.result.testId === res.testId)).toBe(true);
  }, 180_000);
});

describe('rangekeeper sweep', () => {
  it('ranks a grid on 2 workers and deflates the best row by the number of rows', async () => {
    const out = join(dir, 'sweep.json');
    const r = await runCli(['sweep', '--param', 'risk.hedgeRatio=0,0.8', '--paths', '3', '--steps', '30', '--workers', '2', '--out', out, '--results-dir', results], { timeoutMs: 170_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = sweepResultSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(res.rows.map((row) => row.params['risk.hedgeRatio'])).toEqual([0, 0.8]);
    expect(res.workers).toBe(2);
    expect(res.best).not.toBeNull();
    const best = res.best!;
    expect(res.rows[best.index]!.sharpe).toBe(Math.max(...res.rows.map((row) => row.sharpe ?? -Infinity)));
    expect(best.deflatedSharpe!.trials).toBe(2);
    expect(best.deflatedSharpe!.observations).toBe(3);
    expect(best.warning).toMatch(/deflated Sharpe ratio/);
    expect(r.stdout).toContain(best.warning);
  }, 180_000);
});

describe('bad input to compare and sweep', () => {
  const badConfig = join(dir, 'bad.yaml');
  writeFileSync(badConfig, base.replace('riskLevel: moderate', 'riskLevel: reckless'));
  // through the real binary: one line on stderr, exit 2, nothing on stdout
  const spawned: [string, string[], RegExp][] = [
    ['a missing config file', ['compare', '--a', join(dir, 'none.yaml'), '--b', good], /none\.yaml.*cannot read/],
    ['an unknown sweep parameter', ['sweep', '--param', 'strategy.widthMultiplier=1,2'], /invalid configuration .*strategy.*widthMultiplier/],
  ];
  for (const [what, args, message] of spawned) {
    it(`refuses ${what} with one line and exit 2`, async () => {
      const r = await runCli(args);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    });
  }
  // the same boundary in-process (each spawn costs seconds): the error maps to exit 2 and its line
  const inProcess: [string, 'compare' | 'sweep', string[], RegExp][] = [
    ['a missing --b', 'compare', ['--a', good], /--a and --b are required/],
    ['an invalid config', 'compare', ['--a', good, '--b', badConfig], /invalid configuration .*bad\.yaml.*strategy\.riskLevel/],
    ['synthetic options with --data', 'compare', ['--a', good, '--b', good, '--data', 'examples/data', '--sigma', '1'], /--sigma is for synthetic paths/],
    ['too few windows in the data', 'compare', ['--a', good, '--b', good, '--data', 'examples/data', '--window-minutes', '1000'], /only 1 window\(s\) of 1000 minutes/],
    ['a block length over half the paths', 'compare', ['--a', good, '--b', good, '--paths', '4', '--block-length', '3'], /--block-length must be an integer from 1 to 2/],
    ['a malformed --param', 'sweep', ['--param', 'risk.hedgeRatio'], /--param must be name=v1,v2/],
    ['a non-numeric value', 'sweep', ['--param', 'risk.hedgeRatio=0,high'], /"high" is not a number/],
    ['a value the config refuses', 'sweep', ['--param', 'risk.hedgeRatio=0.5,2'], /invalid configuration .*risk\.hedgeRatio=2.*risk\.hedgeRatio/],
    ['no grid', 'sweep', [], /give the grid/],
  ];
  for (const [what, command, args, message] of inProcess) {
    it(`${command} refuses ${what} as a usage error (exit 2)`, async () => {
      const mod = command === 'compare' ? await import('../../src/cli/compare.js') : await import('../../src/cli/sweep.js');
      const err: unknown = await mod.run(args).then(() => null, (e: unknown) => e);
      const f = describeFailure(err);
      expect(f.exitCode).toBe(2);
      expect(f.line).toMatch(message);
    });
  }
});
