/**
 * The built-in backtest configuration and examples/backtest.yaml (the copy users start from) are
 * the same configuration, and it backtests the shipped example data's pool.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKTEST_CONFIG } from '../../src/backtest/defaultConfig.js';
import { backtestVenue } from '../../src/backtest/backtestRun.js';
import { loadConfig, parseConfig } from '../../src/config/loadConfig.js';

describe('the built-in backtest configuration', () => {
  it('equals examples/backtest.yaml and hedges on its paper venue', async () => {
    const file = await loadConfig(new URL('../../examples/backtest.yaml', import.meta.url).pathname, {});
    const builtIn = parseConfig(DEFAULT_BACKTEST_CONFIG, 'built-in', {});
    expect(file).toEqual(builtIn);
    expect(builtIn.pools[0]).toMatchObject({ fee: 500, tickSpacing: 10, token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 } });
    expect(backtestVenue(builtIn)).toEqual({ id: 'paper', balance: 10_000, takerFeeBps: 5, slippageBps: 2 });
  });

  it('refuses a configuration whose hedge venue is not a paper exchange', () => {
    const cfg = parseConfig({ ...DEFAULT_BACKTEST_CONFIG, hedge: { venue: 'bn' }, exchanges: [{ kind: 'binanceusdm', id: 'bn' }] }, 'test', {});
    expect(() => backtestVenue(cfg)).toThrow(/hedge.venue "bn" must be a paper exchange/);
  });
});
