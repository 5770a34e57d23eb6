/**
 * `rangekeeper start` (`npm start`): the whole loop on this machine, no keys, no internet. A
 * simulated market moves the reference price; the pools follow it; the agent (PositionActor,
 * HedgeActor, ExchangeActor on a paper venue, RiskSupervisor) mints, rolls and hedges; the
 * WebSocket feed shows every actor's state. Ctrl-C stops everything cleanly.
 */
import { parseArgs } from 'node:util';
import { map, merge } from 'rxjs';
import { startAgent, type Agent, type PriceTick } from '../actors/agent.js';
import { SimulatedChain } from '../sim/simulatedChain.js';
import { MarketSimulator } from '../sim/marketSimulator.js';
import { agentSettings, isAssetToken, parseUnits, poolDescriptor } from '../config/agentSettings.js';
import { startDevnet } from '../adapters/chain/devnet/devnet.js';
import { startMarketSimulator } from '../adapters/chain/devnet/simulator/marketSimulator.js';
import { connectDevnetChain } from '../adapters/chain/onchain/devnetChain.js';
import { devnetVaultPort, withVaultPool } from '../adapters/chain/vault/devnetVaultPort.js';
import { startVaultCoordinator } from '../adapters/chain/vault/vaultCoordinator.js';
import { vaultReader } from '../adapters/chain/vault/vaultReader.js';
import { startVaultOracle } from '../adapters/chain/devnet/simulator/vaultOracle.js';
import { startVaultUsers } from '../adapters/chain/devnet/simulator/vaultUsers.js';
import { pollingHeads } from '../streams/pollingHeads.js';
import { tell } from '../actors/core/typedActors.js';
import type { PositionConfig } from '../actors/position/positionActor.js';
import type { AgentConfig } from '../config/schema.js';
import { parseConfig } from '../config/loadConfig.js';
import { createLogger } from '../logging/logger.js';
import { HA_ACTOR, LEASE_LOST_EXIT, takeAgentLease, type HeldLease } from './agentLease.js';
import { openStore } from '../adapters/store/openStore.js';
import { redisUrlForDisplay } from '../adapters/store/redisStore.js';
import type { Observable } from 'rxjs';
import type { ExchangeVenue } from '../adapters/exchange/venue.js';
import { PaperExchange } from '../adapters/exchange/paperExchange.js';
import { numberOption } from './numberOption.js';
import { serveAgentState } from './serveAgentState.js';
import { CliUsageError } from './usageError.js';
import { DEMO_SPEED, wallClockStrategy } from './demoTimeScale.js';
import { SECONDS_PER_YEAR } from '../math/feeApy.js';
import { openVenues } from './openVenues.js';
import { openObservability } from './observability.js';
import { ShutdownSteps, type UnwindReport } from './shutdownSteps.js';
import { stopRun } from './stopRun.js';
import { StopSignals } from './stopSignals.js';

const HELP = `usage: rangekeeper start [options]

Starts a local devnet (anvil + the real Uniswap v4 contracts) with a simulated market, runs the
agent on it with a paper exchange fed by the market's reference price, and serves the state feed.

options:
  --port N        WebSocket/HTTP port (default 8080; 0 = any free port)
  --host HOST     listen address (default 127.0.0.1)
  --seed N        market simulator seed (default 7)
  --sigma X       the simulated market's annualized volatility (default 0.8); the agent measures it
  --tick-ms N     market step interval in ms (default 1000); the market moves 15 simulated minutes
                  per wall-clock second whatever the step
  --simulated     no anvil: in-memory simulated pools instead of the devnet
  --redis URL     keep actor checkpoints in Redis instead of memory. The demo takes the agent's
                  lease there (fenced checkpoints, gated sends, exit 3 if it is lost) and refuses
                  to start while another process holds it: its chain lives inside the process, so
                  it cannot be a standby (use rangekeeper run for high availability)
`;

/** The simulated market's name as a reference source (it stands in for a venue's mark price). */
export const MARKET_SOURCE = 'market';

/** The demo's configuration: one ETH/USDC 0.05% pool, the spec's risk limits, a paper venue. */
export const DEMO_CONFIG = {
  agentId: 'demo',
  pools: [{
    poolId: `0x${'de'.repeat(32)}`, asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT',
    token0: { symbol: 'ETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 },
    fee: 500, tickSpacing: 10, deposit: { amount0: '10', amount1: '30000' },
  }],
  // in the market's time (start converts it to the wall clock, demoTimeScale.ts): a 1-day horizon
  // with a 20% σ prior, a range about ±2% wide until σ is measured over a 1-day window
  strategy: { annualVolatility: 0.2, horizonSeconds: 86_400, volatilityWindowSeconds: 86_400, riskLevel: 'moderate', feeApy: 0.3, feeReadMs: 0, liquidityReadMs: 2_000 },
  exchanges: [{ kind: 'paper', id: 'paper', balance: 40_000 }],
  // the reference: the simulated market (a stand-in for a venue's mark) and a short pool TWAP; the
  // demo's market moves a day in minutes, so a 120 s TWAP would lag it beyond the 3% agreement bound
  reference: { twapSeconds: 2 },
  store: { kind: 'memory' },
  gasPollMs: 5_000,
  venueSyncMs: 5_000,
} as const;

interface PaperVenueOptions {
  id: string;
  balance: number;
  symbol: string;
  base: string;
  startPrice: number;
  takerFeeBps: number;
  slippageBps: number;
  price$: Observable<{ price: number; at: number }>;
}

/** The paper venue, its mark price fed by the market's reference price. */
export async function openPaperVenue(o: PaperVenueOptions): Promise<ExchangeVenue> {
  return new PaperExchange(
    { id: o.id, balance: o.balance, symbols: [{ symbol: o.symbol, base: o.base, price: o.startPrice }], takerFeeBps: o.takerFeeBps, slippageBps: o.slippageBps },
    { price$: o.price$.pipe(map((t) => ({ symbol: o.symbol, price: t.price, timestamp: t.at }))) },
  );
}

/** A running simulated agent: its feed address and how to stop it. */
export interface RunningAgent {
  wsUrl: string;
  httpUrl: string;
  /** The chain's RPC URL when running on a devnet. */
  chainUrl?: string;
  /** The admin API token the demo created (null: none was created). */
  adminToken: string | null;
  agent: Agent;
  /**
   * Stops trading at once, then everything the run started, the state server last, within
   * STOP_DEADLINE_MS (see stopRun.ts); says what was left running.
   */
  stop(reason?: string): Promise<UnwindReport>;
}

/**
 * Runs the agent of `cfg` on a fresh devnet: anvil with the real v4 contracts, the devnet's
 * market simulator (GBM reference price, arbitrage swaps keep the pools on it), the on-chain port
 * trading as the devnet's agent account, a paper venue fed by the reference price. The config's
 * pools are matched to the devnet's WETH/USDC pools by fee; their deposits are used.
 */
export async function runDevnet(cfg: AgentConfig, o: { seed: number; tickMs: number; sigma: number; demoToken?: boolean; ha?: HeldLease | null }): Promise<RunningAgent> {
  const ha = o.ha ?? null;
  const log = createLogger({ level: cfg.log.level });
  const devnet = await startDevnet({ port: 0, seed: o.seed, logger: log, vault: true });
  // the vault's pool among the pools: the chain port snapshots it, the simulator keeps it on the market
  const manifest = withVaultPool(devnet.manifest);
  const cleanup = new ShutdownSteps(log);
  cleanup.push('anvil', () => devnet.stop());
  try {
    const hedgeSymbol = cfg.pools[0]!.hedgeSymbol;
    const store = ha?.store ?? await openStore(cfg.store);
    cleanup.push('store', () => store.close());
    const chain = await connectDevnetChain(manifest, log, hedgeSymbol, { store, agentId: cfg.agentId });
    cleanup.push('chain', () => chain.close());
    const market = startMarketSimulator({
      manifest, provider: devnet.provider, logger: log, seed: o.seed, intervalMs: o.tickMs,
      // a lively market so the demo shows rolls within a minute: 15 simulated minutes per wall-clock second
      sigma: o.sigma, stepSeconds: (DEMO_SPEED * o.tickMs) / 1000, noiseTradesPerStep: 1,
    });
    cleanup.push('market simulator', () => market.stop());
    // the simulated market is the demo's venue mark (a named reference source); its points carry
    // simulated time (15 minutes a step), so a quote is stamped when it arrives
    const prices$: Observable<PriceTick> = market.price$.pipe(map((p) => ({ asset: 'ETH', source: MARKET_SOURCE, price: p.price, at: Date.now() })));
    const matched = cfg.pools.map((p) => {
      const d = chain.pools.find((x) => x.fee === p.fee && x.poolId !== manifest.vault?.pool.id) ?? chain.pools[0]!;
      const eth = isAssetToken(p.asset, p.token0.symbol) ? p.deposit.amount0 : p.deposit.amount1;
      const usd = isAssetToken(p.asset, p.token0.symbol) ? p.deposit.amount1 : p.deposit.amount0;
      return {
        desc: d,
        pool: { ...p, poolId: d.poolId, token0: { symbol: d.token0.symbol, decimals: d.token0.decimals }, token1: { symbol: d.token1.symbol, decimals: d.token1.decimals }, fee: d.fee, tickSpacing: d.tickSpacing, deposit: d.assetIsToken0 ? { amount0: eth, amount1: usd } : { amount0: usd, amount1: eth } },
      };
    });
    const devCfg: AgentConfig = { ...cfg, pools: matched.map((m) => m.pool) };
    const venues: ExchangeVenue[] = [];
    for (const ex of cfg.exchanges) {
      if (ex.kind !== 'paper') throw new CliUsageError(`exchange kind "${ex.kind}" is not available on the devnet demo; use kind: paper`);
      venues.push(await openPaperVenue({ id: ex.id, balance: ex.balance, symbol: hedgeSymbol, base: 'ETH', startPrice: 3000, takerFeeBps: ex.takerFeeBps, slippageBps: ex.slippageBps, price$: prices$ }));
    }
    cleanup.push('venues', async () => { for (const v of venues) await v.close(); });
    const obs = openObservability(cfg, log, cleanup);
    // the vault product: its pool run by one more PositionActor through the vault (capital from deposits)
    const vp = devnetVaultPort(manifest, chain, log);
    const settings = agentSettings(devCfg, matched.map((m) => m.desc.poolId));
    const vaultPool: PositionConfig = { ...settings.pools[0]!, pool: { ...vp.pool, hedgeSymbol }, amount0: 0n, amount1: 0n, capital: 'deposits', exit: {} };
    const agent = await startAgent({ ...settings, pools: [...settings.pools, vaultPool] }, { chain: obs.chain(vp.port), venues: obs.venues(venues), prices$, store, log, onAlert: obs.onAlert, ...(ha === null ? {} : { lease: ha.lease }) });
    cleanup.push('agent', () => agent.stop());
    if (ha !== null) agent.feed.publish(HA_ACTOR, 'ha', ha.activeState());
    obs.attach(agent);
    const vaultRef = agent.refs.positions.get(vp.pool.poolId)!;
    const coordinator = await startVaultCoordinator({
      provider: chain.provider, addresses: { vault: vp.vault.vault, hook: vp.vault.hook }, store, keyPrefix: `agent/${cfg.agentId}/vault/`,
      heads: pollingHeads(chain.provider, 500, log), fromBlock: manifest.deployedAtBlock, confirmations: 0, now: Date.now, log, sampleMs: 5_000,
      onCapital: (deploy) => tell(vaultRef, { type: 'capital', deploy }),
    });
    cleanup.push('vault coordinator', () => coordinator.stop());
    const oracle = startVaultOracle({ manifest, provider: devnet.provider, price$: market.price$, log });
    cleanup.push('vault oracle', () => oracle.stop());
    const users = startVaultUsers({ manifest, provider: devnet.provider, log, seed: o.seed, intervalMs: 3_000 });
    cleanup.push('vault users', () => users.stop());
    const reader = vaultReader({ provider: chain.provider, vault: coordinator.vault, ledger: coordinator.ledger, quoteDecimals: 6, quotePriceUsd: 1, now: Date.now, position: (b) => vp.port.vaultPosition(b) });
    const { server, adminToken } = await serveAgentState(agent, cfg, log, obs, store, { demoToken: o.demoToken === true, vault: reader });
    cleanup.pushLast('state server', () => server.close());
    return { wsUrl: server.wsUrl, httpUrl: server.httpUrl, chainUrl: devnet.manifest.rpcUrl, adminToken, agent, stop: stopRun(agent, cleanup, log) };
  } catch (err) {
    await cleanup.unwind();
    throw err;
  }
}

/**
 * Runs the agent of `cfg` on simulated pools that follow a seeded market, with a paper venue
 * fed by the same reference price, and serves the state feed. Pools without a poolId get one.
 */
export async function runSimulated(cfg: AgentConfig, o: { seed: number; tickMs: number; startPrice: number; sigma?: number; allowWithdrawKey?: boolean; masterKeyFile?: string | undefined; ha?: HeldLease | null; demoToken?: boolean }): Promise<RunningAgent> {
  const ha = o.ha ?? null;
  const log = createLogger({ level: cfg.log.level });
  const poolIds = cfg.pools.map((p, i) => p.poolId ?? `0x${(i + 1).toString(16).padStart(64, '0')}`);
  const balances: Record<string, bigint> = {};
  cfg.pools.forEach((p) => {
    balances[p.token0.symbol] = (balances[p.token0.symbol] ?? 0n) + parseUnits(p.deposit.amount0, p.token0.decimals);
    balances[p.token1.symbol] = (balances[p.token1.symbol] ?? 0n) + parseUnits(p.deposit.amount1, p.token1.decimals);
  });
  const descs = cfg.pools.map((p, i) => poolDescriptor(p, poolIds[i]!));
  const chain = new SimulatedChain({
    pools: descs.map((d) => ({ ...d, price: d.assetIsToken0 ? o.startPrice : 1 / o.startPrice })),
    balances,
    gasPriceWei: 2_000_000_000n,
  });
  const assets = [...new Set(cfg.pools.map((p) => p.asset))];
  const markets = assets.map((asset, k) => new MarketSimulator({
    asset, startPrice: o.startPrice, pools: descs.filter((d) => d.asset === asset).map((d) => ({ poolId: d.poolId, assetIsToken0: d.assetIsToken0 })), chain,
    // with a σ: the demo's market, DEMO_SPEED simulated seconds per wall-clock second
    tickVolatility: o.sigma === undefined ? 0.002 : o.sigma * Math.sqrt((DEMO_SPEED * o.tickMs) / 1000 / SECONDS_PER_YEAR), tickDrift: 0.0004, tickMs: o.tickMs, seed: o.seed + k,
  }));
  const prices$: Observable<PriceTick> = merge(...markets.map((m) => m.prices$)).pipe(map((t) => ({ ...t, source: MARKET_SOURCE })));
  const cleanup = new ShutdownSteps(log);
  cleanup.push('chain', () => chain.close());
  try {
    const store = ha?.store ?? await openStore(cfg.store);
    cleanup.push('store', () => store.close());
    const opened = await openVenues(cfg, {
      log,
      store,
      ...(o.allowWithdrawKey === undefined ? {} : { allowWithdrawKey: o.allowWithdrawKey }),
      masterKeyFile: o.masterKeyFile,
      paper: (ex) => {
        const p = cfg.pools.find((x) => x.asset === assets[0]) ?? cfg.pools[0]!;
        return openPaperVenue({ id: ex.id, balance: ex.balance, symbol: p.hedgeSymbol, base: p.asset, startPrice: o.startPrice, takerFeeBps: ex.takerFeeBps, slippageBps: ex.slippageBps, price$: prices$ });
      },
    });
    cleanup.push('venues', () => opened.closeAll());
    const obs = openObservability(cfg, log, cleanup);
    const agent = await startAgent(agentSettings(cfg, poolIds), { chain: obs.chain(chain), venues: obs.venues(opened.venues), prices$, store, log, onAlert: obs.onAlert, ...(ha === null ? {} : { lease: ha.lease }) });
    cleanup.push('agent', () => agent.stop());
    if (ha !== null) agent.feed.publish(HA_ACTOR, 'ha', ha.activeState());
    obs.attach(agent);
    const { server, adminToken } = await serveAgentState(agent, cfg, log, obs, store, { demoToken: o.demoToken === true });
    cleanup.pushLast('state server', () => server.close());
    for (const m of markets) m.start();
    cleanup.push('market simulators', () => {
      for (const m of markets) m.stop();
    });
    return { wsUrl: server.wsUrl, httpUrl: server.httpUrl, adminToken, agent, stop: stopRun(agent, cleanup, log) };
  } catch (err) {
    await cleanup.unwind();
    throw err;
  }
}

/** Runs until SIGINT/SIGTERM/SIGHUP or until its launcher goes (see stopSignals.ts); returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: process.env['RANGEKEEPER_API_PORT'] ?? '8080' },
      host: { type: 'string', default: process.env['RANGEKEEPER_API_HOST'] ?? '127.0.0.1' },
      seed: { type: 'string', default: '7' },
      sigma: { type: 'string', default: '0.8' },
      'tick-ms': { type: 'string', default: '1000' },
      simulated: { type: 'boolean', default: false },
      redis: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = numberOption('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, '0..65535')!;
  const seed = numberOption('seed', values.seed, Number.isInteger, 'an integer')!;
  const tickMs = numberOption('tick-ms', values['tick-ms'], (n) => n >= 10, '>= 10')!;
  const sigma = numberOption('sigma', values.sigma, (n) => n > 0 && n <= 5, 'in (0, 5]')!;

  const strategy = { ...DEMO_CONFIG.strategy, ...wallClockStrategy(DEMO_CONFIG.strategy, DEMO_SPEED, tickMs) };
  const cfg = parseConfig({ ...DEMO_CONFIG, strategy, api: { host: values.host, port }, ...(values.redis === undefined ? {} : { store: { kind: 'redis', url: values.redis } }) }, 'start defaults', process.env);
  // on Redis the demo acts under the agent's lease, and only when nobody else holds it: a second
  // demo on the same Redis would otherwise overwrite the first one's checkpoints
  let ha: HeldLease | null = null;
  if (values.redis !== undefined) {
    // an unreachable Redis fails here as it did before the lease (one line, exit 1)
    const taken = await takeAgentLease(cfg, createLogger({ level: cfg.log.level }));
    if ('heldBy' in taken) {
      console.error(`rangekeeper start: another process (${taken.heldBy?.replace(/#(\d+)$/, ', fencing token $1') ?? 'unknown'}) holds the lease of agent "${cfg.agentId}" in Redis at ${redisUrlForDisplay(values.redis)}; the demo's chain and market live inside its process, so a second demo cannot stand by for it: stop the other one, use another Redis, or use rangekeeper run --config FILE (an active process and a standby)`);
      return 2;
    }
    ha = taken;
  }
  const signals = new StopSignals(createLogger({ level: cfg.log.level }));
  let running: RunningAgent;
  try {
    running = values.simulated ? await runSimulated(cfg, { seed, tickMs, startPrice: 3000, sigma, demoToken: true, ha }) : await runDevnet(cfg, { seed, tickMs, sigma, demoToken: true, ha });
  } catch (err) {
    signals.dispose();
    await ha?.close();
    throw err;
  }
  signals.attach(running.agent);
  const where = values.simulated ? 'simulated ETH/USDC pools (no chain)' : `devnet ${running.chainUrl ?? ''} (anvil, Uniswap v4)`;
  console.log(`rangekeeper demo running: ${where}, simulated market, paper exchange.\ndashboard:  ${running.httpUrl}/${running.adminToken === null ? '' : `#token=${running.adminToken}`}\nstate feed: ${running.wsUrl}\nsnapshot:   ${running.httpUrl}/api/v1/state\nAPI docs:   ${running.httpUrl}/docs\nadmin token (this run only): ${running.adminToken ?? '(none)'}\n  e.g. export RK_TOKEN=${running.adminToken ?? ''}; curl -H "Authorization: Bearer $RK_TOKEN" ${running.httpUrl}/api/v1/vault/status\nagent pid ${process.pid}: SIGTERM or Ctrl-C stops, SIGUSR2 halts.${ha === null ? '' : `\nlease agent/${cfg.agentId} held in Redis (fencing token ${ha.lease.token})`}`);
  // a lost lease (a newer holder exists) stops the demo at once: it must not act any more
  const lost = ha === null ? new Promise<never>(() => undefined) : ha.lease.lost.then((r) => `lease lost: ${r}`);
  const reason = await Promise.race([signals.requested, lost]);
  const report = await running.stop(reason);
  await ha?.close();
  console.log('rangekeeper stopped.');
  signals.finish(report);
  return reason.startsWith('lease lost') ? LEASE_LOST_EXIT : 0;
}
