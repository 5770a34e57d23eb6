/**
 * startDevnet: a local chain with the real Uniswap v4 contracts, WETH/USDC pools (two by
 * default, or any list of fee/tick-spacing pairs: pools.ts) with a background liquidity book,
 * funded accounts, and optionally a simulated market moving it.
 * This is what `rangekeeper devnet`, `npm start` and the integration tests call.
 */
import type { JsonRpcProvider } from 'ethers';
import { createLogger, type Logger } from '../../../logging/logger.js';
import { devAccounts } from './accounts.js';
import { startAnvil, type Anvil, type AnvilHardfork } from './anvil.js';
import { deployContracts, type DeployedContracts } from './deploy.js';
import { fundAccounts } from './funding.js';
import { deployVault } from '../vault/deployVault.js';
import type { DevnetManifest, ManifestAccount, ManifestVault, TokenInfo } from './manifest.js';
import { DEVNET_POOLS, initializePools, type PoolSpec } from './pools.js';
import { seedLiquidity, type SeededPosition } from './seed.js';
import { localProvider } from './setupTx.js';
import { walletFor } from './wallets.js';
import { startMarketSimulator, type MarketSimulator, type MarketSimulatorOptions } from './simulator/marketSimulator.js';

export interface StartDevnetOptions {
  /** Port on 127.0.0.1; 0 or absent = a free port chosen by the OS. */
  port?: number;
  /** Address anvil listens on; default 127.0.0.1. */
  host?: string;
  /** Seed of the liquidity book's jitter and of the simulator; default 1. */
  seed?: number;
  /** Seconds between blocks once set up; absent = automine (one block per transaction). */
  blockTime?: number;
  /** Initial price in USDC per WETH; default 3000. */
  initialPrice?: number;
  /** Pools to create; default WETH/USDC 0.05%/10 and 0.30%/60. */
  pools?: readonly PoolSpec[];
  /** Skip the background liquidity book (pools are initialized but empty). */
  skipSeed?: boolean;
  hardfork?: AnvilHardfork;
  /** Start the market simulator: true for defaults (GBM σ 0.8 from initialPrice, a step a second), or its options. */
  simulate?: boolean | Omit<MarketSimulatorOptions, 'manifest' | 'provider' | 'logger'>;
  /**
   * Also deploy the vault product: VaultHook (CREATE2-mined flag address), a WETH/USDC 0.30%
   * pool with it (seeded like the others unless skipSeed), and RangeVault over USDC, owned by the
   * deployer with the agent account as strategy manager. Default false.
   */
  vault?: boolean;
  logger?: Logger;
}

/** A running devnet. */
export interface Devnet {
  manifest: DevnetManifest;
  anvil: Anvil;
  /** A provider on the devnet (the devnet's own; callers may create their own from manifest.rpcUrl). */
  provider: JsonRpcProvider;
  /** The background positions seeded at start. */
  seeded: SeededPosition[];
  /** Present when started with `simulate`; its price$ is the reference price to follow. */
  simulator?: MarketSimulator;
  /** Stops the simulator and anvil; resolves when anvil's process is gone. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts anvil, deploys PoolManager, Permit2, PositionManager, StateView, V4Quoter, the test
 * routers and tokens, initializes the pools at `initialPrice`, funds accounts, seeds liquidity,
 *. On any failure anvil is stopped and the
 * error (AnvilNotFoundError, PortInUseError, AnvilStartError, DeployError...) is rethrown.
 */
export async function startDevnet(opts: StartDevnetOptions = {}): Promise<Devnet> {
  const log = opts.logger ?? createLogger({ name: 'devnet' });
  const seed = opts.seed ?? 1;
  const initialPrice = opts.initialPrice ?? 3000;
  const t0 = performance.now();
  const accounts = devAccounts();
  // Set-up runs on automine; timed blocks (if asked) start once everything is in place.
  const anvil = await startAnvil({ port: opts.port ?? 0, ...(opts.host === undefined ? {} : { host: opts.host }), accounts: accounts.length, ...(opts.hardfork === undefined ? {} : { hardfork: opts.hardfork }) });
  const provider = localProvider(anvil.rpcUrl, anvil.chainId);
  let simulator: MarketSimulator | undefined;
  const stopAll = async (): Promise<void> => {
    try {
      await simulator?.stop();
    } finally {
      provider.destroy();
      await anvil.stop();
    }
  };
  try {
    log.info({ anvilPid: anvil.pid, rpcUrl: anvil.rpcUrl }, 'anvil listening');
    const deployer = accounts.find((a) => a.role === 'deployer')!;
    const contracts = await deployContracts(provider, walletFor(deployer, provider));
    const { WETH: base, USDC: quote } = contracts.tokens;
    const pools = await initializePools(walletFor(deployer, provider), contracts.poolManager, base, quote, initialPrice, opts.pools ?? DEVNET_POOLS);
    await fundAccounts(provider, accounts, base, quote, contracts);
    const vault = opts.vault === true ? await deployDevnetVault(provider, accounts, contracts, base, quote, initialPrice) : undefined;
    const seeded = opts.skipSeed === true
      ? []
      : await seedLiquidity({
        provider,
        pools: vault === undefined ? pools : [...pools, vault.pool],
        lps: accounts.filter((a) => a.role === 'liquidity'),
        base,
        quote,
        quotePerBase: initialPrice,
        poolModifyLiquidityTest: contracts.poolModifyLiquidityTest,
        seed,
      });
    if (opts.blockTime !== undefined) {
      await provider.send('evm_setAutomine', [false]);
      await provider.send('evm_setIntervalMining', [opts.blockTime]);
    }
    const manifest: DevnetManifest = {
      chainId: anvil.chainId,
      rpcUrl: anvil.rpcUrl,
      wsUrl: anvil.wsUrl,
      contracts,
      pools,
      accounts,
      deployedAtBlock: await provider.getBlockNumber(),
      anvilPid: anvil.pid,
      ...(vault === undefined ? {} : { vault }),
    };
    log.info({ ms: Math.round(performance.now() - t0), pools: pools.length, positions: seeded.length }, 'devnet ready');
    if (opts.simulate !== undefined && opts.simulate !== false) {
      const simOpts = opts.simulate === true ? {} : opts.simulate;
      simulator = startMarketSimulator({ seed, initialPrice, concurrent: opts.blockTime !== undefined, ...simOpts, manifest, provider, logger: log });
    }
    return { manifest, anvil, provider, seeded, ...(simulator === undefined ? {} : { simulator }), stop: once(stopAll) };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

async function deployDevnetVault(
  provider: JsonRpcProvider,
  accounts: readonly ManifestAccount[],
  contracts: DeployedContracts,
  base: TokenInfo,
  quote: TokenInfo,
  quotePerBase: number,
): Promise<ManifestVault> {
  const deployer = accounts.find((a) => a.role === 'deployer')!;
  const manager = accounts.find((a) => a.role === 'agent')!;
  const d = await deployVault({
    provider,
    deployer: walletFor(deployer, provider),
    poolManager: contracts.poolManager,
    positionManager: contracts.positionManager,
    permit2: contracts.permit2,
    base,
    quote,
    quotePerBase,
    owner: deployer.address,
    manager: manager.address,
  });
  return { vault: d.vault, hook: d.hook, manager: manager.address, pool: d.pool, quoteIsCurrency0: d.quoteIsCurrency0 };
}

function once(f: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= f());
}
