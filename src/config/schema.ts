/**
 * The agent's configuration: one YAML or JSON file plus environment variables, validated here.
 * Defaults are the spec's (risk limits, thresholds, leverage). Secrets never live in the file:
 * the wallet key and exchange keys come from the environment or the encrypted key store.
 */
import { z } from 'zod';
import { txConfigSchema } from '../adapters/chain/tx/txConfig.js';
import { serverLimitsSchema } from '../api/serverLimits.js';
import { DEFAULT_RESULTS_DIR } from '../backtest/researchResultSchema.js';
import { historyConfigSchema } from '../adapters/history/historyConfig.js';
import { notifyConfigSchema } from '../adapters/notify/notifyConfig.js';
import { marginBufferSchema } from '../actors/exchange/marginCheck.js';

const fraction = z.number().min(0).max(1);
const decimalAmount = z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal number as a string, e.g. "1.5"');
const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 0x-prefixed 32-byte hex string');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address');

export const tokenSchema = z.object({
  symbol: z.string().min(1),
  decimals: z.number().int().min(0).max(36),
  address: address.optional(),
});

export const exitRuleSchema = z.object({
  stopLossPct: fraction.optional(),
  takeProfitPct: z.number().positive().optional(),
  priceBelow: z.number().positive().optional(),
  priceAbove: z.number().positive().optional(),
}).strict();

export const poolSchema = z.object({
  /** bytes32 PoolId; on the devnet it may be omitted and is filled from the deployment. */
  poolId: hex32.optional(),
  asset: z.string().min(1),
  hedgeSymbol: z.string().min(1),
  token0: tokenSchema,
  token1: tokenSchema,
  fee: z.number().int().min(0).max(1_000_000, {
    // 0x800000 is LPFeeLibrary.DYNAMIC_FEE_FLAG: a hook sets the fee, and the roll planner does not model hooks
    message: 'must be a static LP fee in pips, 0..1000000 (dynamic-fee pools, fee 0x800000 = 8388608, are not supported)',
  }),
  tickSpacing: z.number().int().min(1).max(32767),
  hooks: address.default('0x0000000000000000000000000000000000000000'),
  /** Amounts the agent deposits at its first mint in this pool, whole tokens. */
  deposit: z.object({ amount0: decimalAmount, amount1: decimalAmount }).strict(),
  exit: exitRuleSchema.default({}),
  /**
   * The quote token (the one that is not `asset`) when it is not a USD stablecoin, e.g. WETH in a
   * WBTC/WETH pool: the asset it is priced as (the venues' mark of `hedgeSymbol`) and hedged in.
   * Absent: the quote is a USD stablecoin worth 1 USD.
   */
  quote: z.object({ asset: z.string().min(1), hedgeSymbol: z.string().min(1) }).strict().optional(),
  /**
   * Positions the wallet owns in this pool beside the managed (largest) one, found at start-up:
   * `count` them in value and delta (default), `withdraw` them into the pool's held tokens, or
   * `merge` them into the managed position (withdrawn, then the held tokens added to it by a roll).
   */
  otherPositions: z.enum(['count', 'withdraw', 'merge']).default('count'),
}).strict();

export const strategySchema = z.object({
  riskLevel: z.enum(['conservative', 'moderate', 'aggressive']).default('moderate'),
  /** Annualized volatility the range width is sized for until it is measured (the prior). */
  annualVolatility: z.number().positive().max(20).default(0.6),
  /** Spec volatilityWindow: σ, fee yield and capital efficiency are measured over this window, seconds (default 1 day). */
  volatilityWindowSeconds: z.number().positive().default(86_400),
  /** Returns (and fee-growth reads) needed before a measurement replaces the configured value. */
  minSamples: z.number().int().min(3).default(30),
  /** Most price samples kept over the window (sets their spacing: window / maxSamples). */
  maxSamples: z.number().int().min(3).max(100_000).default(1440),
  /** Read the pool's initialized ticks and fee growth at most this often, ms. */
  liquidityReadMs: z.number().int().min(0).default(60_000),
  /** Rebalance horizon, seconds (default 1 day). */
  horizonSeconds: z.number().positive().default(86_400),
  /** Spec priceProximity: fraction of the range width. */
  rebalanceThreshold: z.number().min(0).max(0.5).default(0.05),
  apyThreshold: z.number().min(0).default(0.10),
  minCapitalEfficiency: fraction.default(0.70),
  /** Fee APY assumed while in range (until measured). */
  feeApy: z.number().min(0).default(0.3),
  /** Refuse to roll while the pool price deviates from the reference by more than this. */
  maxPriceDeviation: fraction.default(0.02),
  minNetGainUsd: z.number().min(0).default(0),
  rollGasUnits: z.number().int().positive().default(800_000),
  /** Read a position's uncollected fees from chain at most this often, ms. */
  feeReadMs: z.number().int().min(0).default(15_000),
  /** USD per native gas token when the pool's asset is not the native token. */
  nativePriceUsd: z.number().positive().default(3000),
}).strict();

export const riskSchema = z.object({
  maxDrawdown: fraction.default(0.15),
  maxExposure: fraction.default(0.80),
  maxIL: fraction.default(0.20),
  stopLoss: fraction.default(0.25),
  hedgeRatio: fraction.default(0.80),
  /** Hedge notional cap as a multiple of the LP value (spec maxHedgeRatio). */
  maxHedgeRatio: z.number().min(0).max(10).default(1),
  /** USD, per position/hedge. */
  maxPositionSize: z.number().positive().default(1_000_000),
  /** Capital the PnL is measured against; measured at start when absent. */
  capitalUsd: z.number().positive().optional(),
  onHalt: z.object({ flattenHedges: z.boolean().default(false), withdrawLiquidity: z.boolean().default(false) }).strict().default({ flattenHedges: false, withdrawLiquidity: false }),
  crashLoop: z.object({ maxCrashes: z.number().int().min(1).default(3), windowMs: z.number().int().positive().default(60_000) }).strict().default({ maxCrashes: 3, windowMs: 60_000 }),
}).strict();

export const exchangeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('paper'),
    id: z.string().min(1).default('paper'),
    /** Starting USDT balance. */
    balance: z.number().positive().default(100_000),
    takerFeeBps: z.number().min(0).default(5),
    slippageBps: z.number().min(0).default(2),
  }).strict(),
  z.object({
    kind: z.enum(['binanceusdm', 'bybit']),
    id: z.string().min(1).optional(),
    /** Key store label of the credentials (rangekeeper keys add <venue> <label>). */
    label: z.string().min(1).default('main'),
    sandbox: z.boolean().default(true),
    /** REST base URL override: an egress proxy (or a stand-in in tests); the venue's own by default. */
    apiUrl: z.string().url().optional(),
    /** Fills and mark prices through the venue's websocket (falling back to polling while it is down); false: polling only. */
    watch: z.boolean().default(true),
  }).strict(),
]);

export const chainSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulated') }).strict(),
  z.object({
    kind: z.literal('rpc'),
    rpcUrls: z.array(z.string().url()).min(1),
    chainId: z.number().int().positive(),
    poolManager: address,
    positionManager: address,
    stateView: address,
    permit2: address.default('0x000000000022D473030F116dDEE9F6B43aC78BA3'),
    /** Name of the environment variable holding the wallet's private key. */
    privateKeyEnv: z.string().min(1).default('RANGEKEEPER_PRIVATE_KEY'),
    /** Block to scan the wallet's PositionManager NFTs from (the block of its first mint). */
    fromBlock: z.number().int().min(0).default(0),
    /** Uniswap Universal Router rolls re-balance through; absent: rolls do not re-balance (a warning at start). */
    universalRouter: address.optional(),
    /** Re-balancing swap's minimum output: the exact model's predicted output less this many bps. */
    rebalanceSlippageBps: z.number().int().min(0).max(1_000).default(50),
    /** Transaction settings: gas caps (spec: 100 gwei, tip 2 gwei), receipt timeout, replacement of unmined transactions. */
    tx: txConfigSchema.strict().prefault({}),
  }).strict(),
]);

export const configSchema = z.object({
  agentId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and -, at most 32').default('main'),
  chain: chainSchema.default({ kind: 'simulated' }),
  pools: z.array(poolSchema).min(1),
  strategy: strategySchema.default(strategySchema.parse({})),
  risk: riskSchema.default(riskSchema.parse({})),
  /**
   * The reference price the agent acts on: the median of the fresh sources (each real venue's mark
   * price, the pool's TWAP over `twapSeconds`). Fewer than `minSources` fresh sources, or sources
   * further apart than `maxSpread`, and the agent refuses to act (see the README).
   */
  reference: z.object({
    minSources: z.number().int().min(1).default(2),
    maxSpread: fraction.default(0.03),
    twapSeconds: z.number().positive().max(86_400).default(120),
    /** How often the reference is re-read on the clock alone (the TWAP moves, sources go stale), ms; absent: a tenth of the TWAP window within 250 ms..5 s. */
    rereadMs: z.number().int().positive().optional(),
    /** A source quote older than this is dropped, ms. */
    staleMs: z.number().int().positive().default(30_000),
    /** Per-source staleness bounds, ms (source name: a venue id, or "pool-twap"). */
    sourceStaleMs: z.record(z.string(), z.number().int().positive()).default({}),
  }).strict().prefault({}),
  hedge: z.object({
    venue: z.string().min(1).default('paper'),
    band: fraction.default(0.05),
    leverage: z.number().positive().max(125).default(3),
    /** Per asset, no new hedge order sooner than this after the previous one (ms), unless urgent. */
    minIntervalMs: z.number().int().min(0).default(15_000),
    /** Deviation from target (fraction) beyond which an order is urgent and not delayed (5x the band). */
    urgentBand: z.number().positive().max(10).default(0.25),
    /** Skip hedge orders below this notional (USD); a close to flat and the halt flatten are never skipped. */
    minOrderUsd: z.number().min(0).default(0),
    /** Liquidation buffer of each perp position and what happens inside it (reduce the hedge, or alert). */
    margin: marginBufferSchema.prefault({}),
    /** Venues hedges may go to (default: [venue]); each change goes where it is cheapest to hold (taker fee, expected funding, free margin) among the healthy ones. */
    venues: z.array(z.string().min(1)).min(1).optional(),
    /** A venue that does not answer or refuses for margin is left out of the choice this long, ms. */
    failoverMs: z.number().int().min(0).default(60_000),
    /** Horizon of a hedge's expected funding and IL reduction (venue choice, recommendation), ms. */
    horizonMs: z.number().int().positive().default(86_400_000),
  }).strict().prefault({}),
  exchanges: z.array(exchangeSchema).min(1).default([{ kind: 'paper', id: 'paper', balance: 100_000, takerFeeBps: 5, slippageBps: 2 }]),
  store: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), dataDir: z.string().min(1).default('./data') }).strict(),
    z.object({
      kind: z.literal('redis'), url: z.string().min(1),
      /** Prefix of every key (default "rangekeeper"); for Redis Cluster give it a hash tag, e.g. "{rangekeeper}". */
      namespace: z.string().min(1).max(100).optional(),
      /** Redis Sentinel: the sentinels to ask for the master named `sentinelName` (the url then gives only password and db). */
      sentinels: z.array(z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict()).min(1).optional(),
      sentinelName: z.string().min(1).optional(),
    }).strict().refine((r) => (r.sentinels === undefined) === (r.sentinelName === undefined), { message: 'sentinels and sentinelName go together', path: ['sentinelName'] }),
    z.object({ kind: z.literal('memory') }).strict(),
  ]).default({ kind: 'file', dataDir: './data' }),
  /**
   * High availability (with the Redis store only): the agent acts under a lease with a fencing
   * token; a second process with the same agentId waits as a standby and takes over when the
   * lease expires. See the README's "Running in production".
   */
  ha: z.object({
    /** How long the lease lives without a renewal, ms: a killed holder is replaced after at most this long. */
    leaseTtlMs: z.number().int().min(1_000).max(600_000).default(5_000),
    /** How often a standby asks for the lease, ms. */
    standbyPollMs: z.number().int().min(50).max(60_000).default(250),
    /**
     * "agent": one process acts for the whole agent, the others wait as standbys. "pools": the pools
     * are spread over every process started with this configuration (a lease per pool; the hedge's
     * owner nets the deltas the pool owners publish). Needs the Redis store and chain.kind "rpc".
     */
    mode: z.enum(['agent', 'pools']).default('agent'),
  }).strict().prefault({}),
  api: z.object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Timeouts, connection caps, message and buffer sizes of the state feed server (see serverLimits.ts). */
    limits: serverLimitsSchema.prefault({}),
    /** The results `rangekeeper compare` and `sweep` store (their --results-dir), shown by GET /api/v1/analytics/strategy-comparison; relative to the working directory. */
    resultsDir: z.string().min(1).default(DEFAULT_RESULTS_DIR),
  }).strict().prefault({}),
  timeouts: z.object({
    chainMs: z.number().int().positive().default(60_000),
    orderMs: z.number().int().positive().default(15_000),
  }).strict().default({ chainMs: 60_000, orderMs: 15_000 }),
  gasPollMs: z.number().int().min(0).default(15_000),
  venueSyncMs: z.number().int().min(0).default(10_000),
  /** How often a running agent re-reads its venue keys to pick up a `rangekeeper keys rotate`, ms. */
  keyRotationCheckMs: z.number().int().min(100).default(30_000),
  log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') }).strict().default({ level: 'info' }),
  /**
   * Read by backtests only (backtest, compare, sweep); a live agent ignores it. `timers`: 'step'
   * runs the agent's clock-only timers (reference re-read, gas poll, venue sync) at most once per
   * market step, each at the larger of its configured period and the market's typical step;
   * 'configured' runs them at their configured periods, as a live agent does.
   */
  backtest: z.object({ timers: z.enum(['step', 'configured']).default('step') }).strict().prefault({}),
  /** What the agent records (PostgreSQL with DATABASE_URL, else embedded PGlite); see the README's History. */
  history: historyConfigSchema.prefault({}),
  /** Where alerts go (webhook, Slack, Telegram) and the monitoring rules' bounds; see the README's Alerts. */
  notify: notifyConfigSchema.prefault({}),
}).strict().superRefine((cfg, ctx) => {
  if (cfg.strategy.maxSamples <= cfg.strategy.minSamples) {
    ctx.addIssue({ code: 'custom', path: ['strategy', 'maxSamples'], message: `must exceed strategy.minSamples (${cfg.strategy.minSamples}), or σ is never measured` });
  }
  cfg.pools.forEach((p, i) => {
    const named = (sym: string): boolean => sym === p.asset || sym === `W${p.asset}`;
    if (!named(p.token0.symbol) && !named(p.token1.symbol)) {
      ctx.addIssue({ code: 'custom', path: ['pools', i, 'asset'], message: `must be the symbol of token0 or token1 (or their unwrapped form), got "${p.asset}"` });
    }
    if (p.quote !== undefined) {
      const other = named(p.token0.symbol) ? p.token1.symbol : p.token0.symbol;
      if (other !== p.quote.asset && other !== `W${p.quote.asset}`) {
        ctx.addIssue({ code: 'custom', path: ['pools', i, 'quote', 'asset'], message: `must be the symbol of the pool's other token "${other}" (or its unwrapped form), got "${p.quote.asset}"` });
      }
      if (p.quote.asset === p.asset) ctx.addIssue({ code: 'custom', path: ['pools', i, 'quote', 'asset'], message: 'must differ from the pool\'s asset' });
    }
  });
  const ids = cfg.exchanges.map((e) => e.id ?? e.kind);
  if (!ids.includes(cfg.hedge.venue)) {
    ctx.addIssue({ code: 'custom', path: ['hedge', 'venue'], message: `must name one of the configured exchanges (${ids.join(', ')})` });
  }
  (cfg.hedge.venues ?? []).forEach((v, i) => {
    if (!ids.includes(v)) ctx.addIssue({ code: 'custom', path: ['hedge', 'venues', i], message: `must name one of the configured exchanges (${ids.join(', ')})` });
  });
  if (cfg.ha.mode === 'pools' && (cfg.store.kind !== 'redis' || cfg.chain.kind !== 'rpc')) {
    ctx.addIssue({ code: 'custom', path: ['ha', 'mode'], message: '"pools" spreads the pools over processes sharing one chain and one Redis: it needs store.kind "redis" and chain.kind "rpc"' });
  }
  if (cfg.chain.kind === 'rpc') {
    cfg.pools.forEach((p, i) => {
      if (p.poolId === undefined) ctx.addIssue({ code: 'custom', path: ['pools', i, 'poolId'], message: 'required when chain.kind is "rpc"' });
      if (p.token0.address === undefined) ctx.addIssue({ code: 'custom', path: ['pools', i, 'token0', 'address'], message: 'required when chain.kind is "rpc"' });
      if (p.token1.address === undefined) ctx.addIssue({ code: 'custom', path: ['pools', i, 'token1', 'address'], message: 'required when chain.kind is "rpc"' });
    });
  }
});

export type AgentConfig = z.infer<typeof configSchema>;
export type PoolConfig = z.infer<typeof poolSchema>;
