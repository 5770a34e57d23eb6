/**
 * The registry of sub-commands. A command module exports `run(args): Promise<exitCode>`.
 * Add a command by adding one entry here and one file beside this one.
 */
export interface CommandModule {
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  version: { summary: 'print the version', load: () => import('./version.js') },
  start: { summary: 'run the agent on a simulated market with a paper exchange and serve the state feed (npm start)', load: () => import('./start.js') },
  run: { summary: 'run the agent from a config file (--config rangekeeper.yaml)', load: () => import('./run.js') },
  keys: { summary: 'manage exchange API keys, encrypted at rest (add | list | remove | rotate)', load: () => import('./keys.js') },
  'api-token': { summary: 'manage the HTTP API\'s tokens, stored hashed (add --role viewer|manager|admin | list | revoke <id>)', load: () => import('./apiToken.js') },
  venue: { summary: 'check a venue account with its stored key: permissions, markets, balance, positions (venue check <venue> <label> [--sandbox])', load: () => import('./venue.js') },
  events: { summary: 'print confirmed Uniswap v4 pool events (and reorg retractions) as JSON lines', load: () => import('./events.js') },
  backtest: { summary: 'replay minute bars, pool events or a synthetic market through the agent on a virtual clock (--data FILE|DIR --report out.html)', load: () => import('./backtest.js') },
  compare: { summary: 'A/B test two strategy configs on the same market paths: paired test, block bootstrap CI, effect size (--a A.yaml --b B.yaml)', load: () => import('./compare.js') },
  sweep: { summary: 'run a parameter grid on worker threads: results table and a deflated Sharpe ratio for the best (--param strategy.rebalanceThreshold=0.02,0.05)', load: () => import('./sweep.js') },
  devnet: { summary: 'local chain with real Uniswap v4 contracts and WETH/USDC pools (--simulate for a market)', load: () => import('./devnet.js') },
};
