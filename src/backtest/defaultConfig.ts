/**
 * The configuration `rangekeeper backtest` runs without --config: the shipped example data's pool
 * (Polygon USDC.e/WETH 0.05%, tick spacing 10) with the live defaults. examples/backtest.yaml is
 * the same configuration as a file to start from (a test keeps the two equal).
 */
export const DEFAULT_BACKTEST_CONFIG = {
  agentId: 'backtest',
  pools: [{
    asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 },
    fee: 500, tickSpacing: 10, deposit: { amount0: '9000', amount1: '5' },
  }],
  strategy: { annualVolatility: 0.6, horizonSeconds: 86_400, riskLevel: 'moderate' },
  // minute bars: a quote is at most one bar old when the next one arrives
  reference: { minSources: 2, twapSeconds: 120, staleMs: 120_000 },
  hedge: { venue: 'paper', band: 0.05, leverage: 3 },
  exchanges: [{ kind: 'paper', id: 'paper', balance: 10_000, takerFeeBps: 5, slippageBps: 2 }],
  store: { kind: 'memory' },
  log: { level: 'error' },
} as const;
