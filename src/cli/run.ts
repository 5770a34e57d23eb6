/**
 * `rangekeeper run --config FILE`: the agent from a configuration file. An invalid configuration
 * stops start-up with the path of every bad field (exit code 2).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/loadConfig.js';
import { EMPTY, merge, type Observable } from 'rxjs';
import { startAgent, type PriceTick } from '../actors/agent.js';
import { OnChainPort, type OnChainPortOptions } from '../adapters/chain/onchain/onChainPort.js';
import { PositionManagerClient } from '../adapters/chain/positions/positionManager.js';
import { connectChain } from '../adapters/chain/provider.js';
import { TxSender } from '../adapters/chain/tx/sender.js';
import { UniversalRouterSwap } from '../adapters/chain/swap/universalRouterSwap.js';
import { VenueError } from '../adapters/exchange/errors.js';
import { KeyStoreError } from '../adapters/keys/keyErrors.js';
import { walletFromEnv, WalletKeyError } from '../adapters/keys/walletKey.js';
import { venueMarkPrices$ } from '../streams/venueMarkPrices.js';
import { poolTwapPrices$ } from '../streams/poolTwapPrices.js';
import { openVenues } from './openVenues.js';
import { openObservability } from './observability.js';
import { NotifyConfigError } from '../adapters/notify/channels.js';
import { ShutdownSteps } from './shutdownSteps.js';
import { stopRun } from './stopRun.js';
import { StopSignals } from './stopSignals.js';
import { openStore } from '../adapters/store/openStore.js';
import { StoreRollJournal } from '../adapters/chain/saga/rollJournal.js';
import { StorePoolBooks } from '../adapters/chain/saga/poolBooks.js';
import { agentSettings } from '../config/agentSettings.js';
import type { AgentConfig } from '../config/schema.js';
import { createLogger } from '../logging/logger.js';
import { openPaperVenue, runSimulated, type RunningAgent } from './start.js';
import { numberOption } from './numberOption.js';
import { describeFailure } from './failure.js';
import { rpcPools } from './rpcPools.js';
import { serveAgentState } from './serveAgentState.js';
import { CliUsageError } from './usageError.js';
import { HA_ACTOR, holdAgentLease, LEASE_LOST_EXIT, type HeldLease } from './agentLease.js';
import { openScaleOut, type ScaleOut } from './scaleOut.js';

const HELP = `usage: rangekeeper run --config FILE [options]

  --config FILE   YAML or JSON configuration (see the README for every field)
  --seed N        simulated market seed when chain.kind is "simulated" (default 7)
  --check         validate the configuration and exit
  --master-key-file FILE  master key of the key store (mode 0600); RANGEKEEPER_MASTER_KEY wins when set
  --allow-withdraw-key    accept an exchange key that can withdraw (refused by default)

Environment overrides: RPC_URL, REDIS_URL, RANGEKEEPER_API_HOST, RANGEKEEPER_API_PORT,
RANGEKEEPER_DATA_DIR, RANGEKEEPER_AGENT_ID, LOG_LEVEL. Every API route but /health needs a token:
rangekeeper api-token add --role viewer|manager|admin (same --data-dir or --redis as the store).
RANGEKEEPER_API_TOKEN (earlier versions' single token) still works as an admin token.
Examples: examples/devnet.yaml (against \`rangekeeper devnet --simulate\`), examples/rangekeeper.example.yaml.
`;


/** How often each real venue's mark price is read as a reference source (and the paper venue's TWAP mark re-read), ms. */
const REFERENCE_POLL_MS = 5_000;

/**
 * The reference sources `run` can have: each real (ccxt) venue's mark price and each pool's TWAP.
 * The paper venue is never one (it only echoes the price it is fed). An agent that could never
 * see `reference.minSources` fresh sources would never act: that is a configuration error.
 */
function checkReferenceSources(cfg: AgentConfig, source: string): void {
  const venues = cfg.exchanges.filter((e) => e.kind !== 'paper').map((e) => e.id ?? e.kind);
  const possible = venues.length + 1;
  if (cfg.reference.minSources > possible) {
    throw new ConfigError(source, [{
      path: 'reference.minSources',
      message: `${cfg.reference.minSources} fresh reference sources required, but only ${possible} can exist (${[...venues.map((v) => `${v} mark`), 'the pool TWAP'].join(', ')}; a paper venue is not a source): set reference.minSources: ${possible} or configure a real venue`,
    }]);
  }
}

/** Operator flags about venue keys. */
interface VenueFlags {
  allowWithdrawKey: boolean;
  masterKeyFile: string | undefined;
}

/**
 * The agent against an RPC: the wallet key from the environment variable the config names,
 * positions through the configured PositionManager, pool ids checked against their PoolKeys.
 * A bad pool id or wallet key throws (ConfigError, WalletKeyError) before anything connects.
 */
async function runOnRpc(cfg: AgentConfig, o: VenueFlags, ha: HeldLease | null, shares: ScaleOut | null): Promise<RunningAgent | null> {
  if (cfg.chain.kind !== 'rpc') return null;
  const chainCfg = cfg.chain;
  const log = createLogger({ level: cfg.log.level });
  // the pools and the wallet key are checked before any connection: a mistake costs no RPC round trip
  const pools = rpcPools(cfg, 'config');
  checkReferenceSources(cfg, 'config');
  const wallet = walletFromEnv(process.env, chainCfg.privateKeyEnv, null);
  // under a lease, nothing is broadcast and no order, cancel or leverage change leaves unless the
  // lease is held fresh: checked by the sender and the gates first, and last at the socket write
  // itself (http/gatedDispatcher.ts), so a process frozen past its lease sends nothing on waking
  const writeGate = ha === null ? undefined : (what: string): void => ha.lease.assertHeld(what);
  const conn = await connectChain({ chainId: chainCfg.chainId, http: chainCfg.rpcUrls }, log, writeGate === undefined ? {} : { writeGate });
  const signer = wallet.connect(conn.provider);
  // (under scale-out each pool's steps are gated by its own lease, right before each is sent: core/shareGates.ts)
  const sender = new TxSender({ signer, provider: conn.provider, logger: log, config: chainCfg.tx, ...(ha === null ? {} : { mayBroadcast: (label: string) => ha.lease.assertHeld(`tx ${label}`) }) });
  const positions = new PositionManagerClient({ positionManager: chainCfg.positionManager, stateView: chainCfg.stateView, permit2: chainCfg.permit2, provider: conn.provider, sender, logger: log });
  let swap: OnChainPortOptions['swap'];
  if (chainCfg.universalRouter === undefined) {
    log.warn('chain.universalRouter is not configured: rolls will NOT re-balance (a roll redeploys only what the old position\'s tokens fund; the rest idles in the wallet)');
  } else {
    const router = new UniversalRouterSwap({ address: chainCfg.universalRouter, provider: conn.provider, sender, permit2: chainCfg.permit2, log });
    swap = { router, slippageBps: chainCfg.rebalanceSlippageBps };
    log.info({ universalRouter: chainCfg.universalRouter, slippageBps: chainCfg.rebalanceSlippageBps }, 'rolls re-balance through the Universal Router');
  }
  const cleanup = new ShutdownSteps(log);
  cleanup.push('rpc connection', () => conn.destroy());
  try {
    const store = shares?.store ?? ha?.store ?? await openStore(cfg.store);
    cleanup.push('store', () => store.close());
    // rolls, mints and withdraws are journaled in the store before each step is sent (resumed after a crash)
    const journal = new StoreRollJournal(store, `agent/${cfg.agentId}/sagas/`);
    const books = new StorePoolBooks(store, `agent/${cfg.agentId}/books/`);
    const port = new OnChainPort({ provider: conn.provider, positions, owner: signer.address, pools, fromBlock: chainCfg.fromBlock, log, journal, books, ...(swap === undefined ? {} : { swap }) });
    await port.start();
    cleanup.push('chain port', () => port.close());
    const opened = await openVenues(cfg, {
      log,
      store,
      allowWithdrawKey: o.allowWithdrawKey,
      masterKeyFile: o.masterKeyFile,
      ...(writeGate === undefined ? {} : { writeGate }),
      paper: async (ex) => {
        const hedgePool = pools[0]!.desc;
        const snap = await port.poolSnapshot(hedgePool.poolId);
        const startPrice = hedgePool.assetIsToken0 ? snap.price : 1 / snap.price;
        // the paper mark follows the pool's TWAP: a flash push of the pool does not move it
        const price$ = poolTwapPrices$({ snapshots$: port.snapshots$, pool: hedgePool, initial: snap, windowSeconds: cfg.reference.twapSeconds, intervalMs: REFERENCE_POLL_MS, now: Date.now });
        return openPaperVenue({ id: ex.id, balance: ex.balance, symbol: hedgePool.hedgeSymbol, base: hedgePool.asset, startPrice, takerFeeBps: ex.takerFeeBps, slippageBps: ex.slippageBps, price$ });
      },
    });
    cleanup.push('venues', () => opened.closeAll());
    // The reference sources: every real venue's mark price, each named by its venue id (each
    // position adds its own pool's TWAP). The paper venue is never one.
    // each hedged asset's mark: a pool's asset, and its quote token when that is not a USD stablecoin
    const assets = new Map(pools.flatMap((p) => [[p.desc.hedgeSymbol, p.desc.asset] as const, ...(p.desc.quote === undefined ? [] : [[p.desc.quote.hedgeSymbol, p.desc.quote.asset] as const])]));
    const marks = opened.ccxt.map((v) => venueMarkPrices$({ source: v, assets, intervalMs: REFERENCE_POLL_MS, log }));
    if (marks.length === 0) log.warn({ minSources: cfg.reference.minSources, twapSeconds: cfg.reference.twapSeconds }, 'no venue mark price source (paper venue only): the reference is each pool\'s TWAP alone');
    const prices$: Observable<PriceTick> = marks.length === 0 ? EMPTY : merge(...marks);
    const obs = openObservability(cfg, log, cleanup);
    const agent = await startAgent(agentSettings(cfg, pools.map((p) => p.desc.poolId)), {
      chain: obs.chain(port), venues: obs.venues(opened.venues), prices$, store, log, onAlert: obs.onAlert,
      ...(ha === null ? {} : { lease: ha.lease }), ...(shares === null ? {} : { scaleOut: shares.ports }),
    });
    cleanup.push('agent', () => agent.stop());
    // scale-out: the pools and the hedge are taken (and adopted) from here on, while the state server starts
    if (shares !== null) await shares.attach(agent);
    if (ha !== null) agent.feed.publish(HA_ACTOR, 'ha', ha.activeState());
    obs.attach(agent);
    const { server } = await serveAgentState(agent, cfg, log, obs, store);
    cleanup.pushLast('state server', () => server.close());
    return { wsUrl: server.wsUrl, httpUrl: server.httpUrl, chainUrl: conn.httpUrls[0] ?? '', adminToken: null, agent, stop: stopRun(agent, cleanup, log) };
  } catch (err) {
    // a key or venue refusal is reported by run()
    await cleanup.unwind();
    throw err;
  }
}

/** Loads the configuration and runs the agent until SIGINT/SIGTERM/SIGHUP or until its launcher goes (see stopSignals.ts). */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      seed: { type: 'string', default: '7' },
      check: { type: 'boolean', default: false },
      'allow-withdraw-key': { type: 'boolean', default: false },
      'master-key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.config === undefined) throw new CliUsageError(`--config FILE is required\n${HELP}`);
  const seed = numberOption('seed', values.seed, Number.isInteger, 'an integer')!;
  let cfg;
  try {
    cfg = await loadConfig(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`rangekeeper run: ${describeFailure(err).line}`);
      return 2;
    }
    throw err;
  }
  if (values.check && cfg.chain.kind === 'rpc') {
    // what run would refuse, --check refuses too (e.g. the example's placeholder poolId)
    try {
      rpcPools(cfg, values.config);
      checkReferenceSources(cfg, values.config);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      console.error(`rangekeeper run: ${describeFailure(err).line}`);
      return 2;
    }
  }
  if (values.check) {
    console.log(`configuration ${values.config} is valid (${cfg.pools.length} pool(s), chain ${cfg.chain.kind}, hedge venue ${cfg.hedge.venue})`);
    return 0;
  }
  const flags: VenueFlags = { allowWithdrawKey: values['allow-withdraw-key'], masterKeyFile: values['master-key-file'] };
  // from here on a stop signal or SIGUSR2 is never lost, not even during start-up
  const signals = new StopSignals(createLogger({ level: cfg.log.level }));
  // on the Redis store the agent acts under a lease: a second process waits here as the standby
  let ha: HeldLease | null = null;
  let shares: ScaleOut | null = null;
  if (cfg.ha.mode === 'pools') {
    // every process acts, each for its share of the pools (scaleOut.ts); no agent-wide lease
    try {
      const rpc = rpcPools(cfg, values.config);
      shares = await openScaleOut(cfg, new Map(rpc.map((p) => [p.desc.poolId, p.desc.asset])), createLogger({ level: cfg.log.level }));
    } catch (err) {
      signals.dispose();
      if (err instanceof ConfigError) {
        console.error(`rangekeeper run: ${describeFailure(err).line}`);
        return 2;
      }
      throw err;
    }
  } else if (cfg.store.kind === 'redis') {
    try {
      ha = await holdAgentLease(cfg, createLogger({ level: cfg.log.level }), signals.requested);
    } catch (err) {
      signals.dispose();
      throw err;
    }
    if (ha === null) {
      // stopped while standby: nothing was started
      signals.dispose();
      return 0;
    }
  }
  let running: RunningAgent | null;
  try {
    running = cfg.chain.kind === 'rpc' ? await runOnRpc(cfg, flags, ha, shares) : await runSimulated(cfg, { seed, tickMs: 500, startPrice: 3000, ...flags, ha });
  } catch (err) {
    signals.dispose();
    await ha?.close();
    await shares?.close();
    if (err instanceof KeyStoreError || err instanceof VenueError || err instanceof WalletKeyError || err instanceof ConfigError || err instanceof NotifyConfigError) {
      console.error(`rangekeeper run: ${describeFailure(err).line}`);
      return 2;
    }
    throw err;
  }
  if (running === null) {
    signals.dispose();
    await ha?.close();
    await shares?.close();
    return 2;
  }
  signals.attach(running.agent);
  console.log(`rangekeeper running (${cfg.agentId}, agent pid ${process.pid}): state feed ${running.wsUrl}${ha === null ? '' : ` (active, lease token ${ha.lease.token})`}${shares === null ? '' : ` (pools shared with the other processes as ${shares.holder})`}`);
  console.log(`dashboard: ${running.httpUrl}/`);
  // a lost lease (a newer holder exists) stops this process at once: it must not act any more
  const lost = ha === null ? new Promise<never>(() => undefined) : ha.lease.lost.then((r) => `lease lost: ${r}`);
  const reason = await Promise.race([signals.requested, lost]);
  // pools mode: a pool another process gives up while this one stops (it stops too) must not be
  // adopted here by an agent being stopped (its adoption would outlive the agent and hold the exit)
  shares?.stopTaking();
  const report = await running.stop(reason);
  await ha?.close();
  await shares?.close();
  signals.finish(report);
  return reason.startsWith('lease lost') ? LEASE_LOST_EXIT : 0;
}
