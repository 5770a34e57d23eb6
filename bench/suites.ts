import type { BenchResult } from './harness.js';
import { exactMathSuite } from './exactMath.bench.js';
import { agentSuite } from './agent.bench.js';
import { analyticsSuite } from './analytics.bench.js';
import { poolSwapSuite } from './poolSwap.bench.js';
import { logDecodeSuite } from './logDecode.bench.js';
import { devnetSuite } from './devnet.bench.js';
import { ccxtVenueSuite } from './ccxtVenue.bench.js';
import { backtestSuite } from './backtest.bench.js';
import { leaseTakeoverSuite } from './leaseTakeover.bench.js';

/** A benchmark suite: `run` measures, calls `emit` for each figure as soon as it has it, and returns them all. */
export interface Suite {
  name: string;
  run(emit: (r: BenchResult) => void): Promise<BenchResult[]>;
}

/** Every suite `npm run bench` runs, in order. */
export const suites: Suite[] = [];

// Exact on-chain math vs @uniswap/v3-sdk (bench/exactMath.bench.ts).
suites.push(exactMathSuite);

// The agent: event-to-decision latency, sustained rate, memory of 1,000 PositionActors (bench/agent.bench.ts).
suites.push(agentSuite);

// The in-memory v4 pool model: a 10-tick swap vs @uniswap/v4-sdk's Pool (bench/poolSwap.bench.ts).
suites.push(poolSwapSuite);

// Float64 analytics: IL/greeks, policies, volatility window, Welch, bootstrap (bench/analytics.bench.ts).
suites.push(analyticsSuite);

// PoolManager log decoding vs ethers parseLog, and backfill throughput against anvil (bench/logDecode.bench.ts).
suites.push(logDecodeSuite);

// Local devnet: start-to-ready vs bare anvil start, simulated swaps/s (bench/devnet.bench.ts).
suites.push(devnetSuite);

// ccxt venues on loopback stand-ins: market order through CcxtVenue vs bare ccxt (bench/ccxtVenue.bench.ts).
suites.push(ccxtVenueSuite);

// The backtester: minute bars through the exact pool replay vs a float volume-share loop; the event-day fee audit (bench/backtest.bench.ts).
suites.push(backtestSuite);

// High availability: kill -9 of the active process → the standby holds the lease and decides, next to the lease ttl (bench/leaseTakeover.bench.ts).
suites.push(leaseTakeoverSuite);
