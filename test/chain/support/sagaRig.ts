/**
 * The agent's on-chain port on a running devnet with its saga journal and books in a real file
 * store, as a process would have them, for the crash tests: `agentInstance(dir)` is one run of
 * the agent (fresh TxSender, positions client, router and port, nothing in memory carried over);
 * a second instance on the same `dir` is the agent restarted after a kill -9.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, JsonRpcProvider, Network, Wallet, type TransactionRequest } from 'ethers';
import { afterEach, beforeAll } from 'vitest';
import type { Devnet } from '../../../src/adapters/chain/devnet/devnet.js';
import { accountWithRole, type DevnetManifest, type ManifestPool } from '../../../src/adapters/chain/devnet/manifest.js';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import { OnChainPort, type OnChainPool } from '../../../src/adapters/chain/onchain/onChainPort.js';
import { PositionManagerClient } from '../../../src/adapters/chain/positions/positionManager.js';
import { StoreRollJournal } from '../../../src/adapters/chain/saga/rollJournal.js';
import type { SagaHooks } from '../../../src/adapters/chain/saga/sagaContext.js';
import { StorePoolBooks } from '../../../src/adapters/chain/saga/poolBooks.js';
import { POOL_MANAGER_TOPICS } from '../../../src/adapters/chain/abi/poolManagerEvents.js';
import { PoolSwapTestSwap } from '../../../src/adapters/chain/swap/poolSwapTestSwap.js';
import { UniversalRouterSwap } from '../../../src/adapters/chain/swap/universalRouterSwap.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { FileStore } from '../../../src/adapters/store/fileStore.js';
import { createLogger, type Logger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { revert, snapshot, useDevnet } from '../../support/devnet.js';

export const USDC = 10n ** 6n;
export const WETH = 10n ** 18n;

/** A provider that can run a hook right before an eth_estimateGas or an eth_call (the pre-flight simulation). */
export class HookedProvider extends JsonRpcProvider {
  beforeEstimate: ((tx: TransactionRequest) => Promise<void>) | null = null;
  beforeCall: ((tx: TransactionRequest) => Promise<void>) | null = null;
  override async estimateGas(tx: TransactionRequest): Promise<bigint> {
    if (this.beforeEstimate !== null) await this.beforeEstimate(tx);
    return super.estimateGas(tx);
  }
  override async call(tx: TransactionRequest): Promise<string> {
    if (this.beforeCall !== null) await this.beforeCall(tx);
    return super.call(tx);
  }
}

export interface AgentInstance {
  port: OnChainPort;
  store: FileStore;
  journal: StoreRollJournal;
  books: StorePoolBooks;
  provider: HookedProvider;
  capture: LogCapture;
  log: Logger;
  onChainPool: OnChainPool;
  /** The process "dies": its store lock is released, its provider closed. */
  kill(): Promise<void>;
}

export function poolOf(manifest: DevnetManifest): ManifestPool {
  return manifest.pools[0]!; // WETH/USDC fee 500 / spacing 10; USDC is token0
}

export function onChainPoolOf(pool: ManifestPool): OnChainPool {
  return {
    desc: { poolId: pool.id, asset: 'ETH', assetIsToken0: false, hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: pool.key.fee, tickSpacing: pool.key.tickSpacing },
    key: pool.key,
  };
}

/** One run of the agent's chain side on `dir` (see the module comment). */
export async function agentInstance(manifest: DevnetManifest, dir: string, hooks: SagaHooks = {}, allPools = false): Promise<AgentInstance> {
  const network = Network.from(manifest.chainId);
  const provider = new HookedProvider(manifest.rpcUrl, network, { staticNetwork: network, pollingInterval: 50, cacheTimeout: -1 });
  const capture = new LogCapture();
  const log = createLogger({ level: 'info', destination: capture });
  const agent = accountWithRole(manifest, 'agent');
  const sender = new TxSender({ signer: new Wallet(agent.privateKey, provider), provider, logger: log, config: { receiptPollMs: 20 } });
  const router = new UniversalRouterSwap({ address: manifest.contracts.universalRouter!, provider, sender, permit2: manifest.contracts.permit2, log });
  const positions = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, provider, sender, logger: log });
  const store = await FileStore.open(dir);
  const journal = new StoreRollJournal(store, 'agent/test/sagas/');
  const books = new StorePoolBooks(store, 'agent/test/books/');
  const onChainPool = onChainPoolOf(poolOf(manifest));
  const port = new OnChainPort({
    provider, positions, owner: agent.address, pools: allPools ? manifest.pools.map(onChainPoolOf) : [onChainPool], fromBlock: 0, log, swap: { router, slippageBps: 50 },
    journal, books, resumeTimeoutMs: 10_000, sagaHooks: hooks,
  });
  return {
    port, store, journal, books, provider, capture, log, onChainPool,
    kill: async () => {
      await store.close();
      provider.destroy();
    },
  };
}

/** Another account's swaps on the pool (the market), through PoolSwapTest. */
export function marketMover(manifest: DevnetManifest): { swap(zeroForOne: boolean, amountIn: bigint): Promise<void>; close(): void } {
  const network = Network.from(manifest.chainId);
  const provider = new JsonRpcProvider(manifest.rpcUrl, network, { staticNetwork: network, pollingInterval: 50, cacheTimeout: -1 });
  const log = createLogger({ level: 'silent' });
  const sender = new TxSender({ signer: walletFor(accountWithRole(manifest, 'arbitrageur'), provider), provider, logger: log, config: { receiptPollMs: 20 } });
  const mover = new PoolSwapTestSwap({ address: manifest.contracts.poolSwapTest, provider, sender, log });
  const key = poolOf(manifest).key;
  return {
    swap: async (zeroForOne, amountIn) => {
      await mover.swapExactIn({ poolKey: key, zeroForOne, amountIn, amountOutMinimum: 0n, label: 'market' });
    },
    close: () => provider.destroy(),
  };
}

/** Swap events of the pool since `fromBlock` whose transaction the agent's account sent. */
export async function agentSwaps(manifest: DevnetManifest, provider: JsonRpcProvider, fromBlock: number): Promise<string[]> {
  const agent = accountWithRole(manifest, 'agent').address.toLowerCase();
  const logs = await provider.getLogs({ address: manifest.contracts.poolManager, topics: [POOL_MANAGER_TOPICS.Swap, poolOf(manifest).id], fromBlock, toBlock: 'latest' });
  const out: string[] = [];
  for (const l of logs) {
    const tx = await provider.getTransaction(l.transactionHash);
    if (tx?.from.toLowerCase() === agent) out.push(l.transactionHash);
  }
  return out;
}

/** The agent's wallet balances of the pool's two tokens. */
export async function walletBalances(manifest: DevnetManifest, provider: JsonRpcProvider): Promise<{ amount0: bigint; amount1: bigint }> {
  const key = poolOf(manifest).key;
  const owner = accountWithRole(manifest, 'agent').address;
  const abi = ['function balanceOf(address) view returns (uint256)'];
  const [a0, a1] = await Promise.all([
    new Contract(key.currency0, abi, provider).getFunction('balanceOf')(owner) as Promise<bigint>,
    new Contract(key.currency1, abi, provider).getFunction('balanceOf')(owner) as Promise<bigint>,
  ]);
  return { amount0: a0, amount1: a1 };
}

/** A range of ±half tick spacings around `tick`. */
export function around(manifest: DevnetManifest, tick: number, half: number): { tickLower: number; tickUpper: number } {
  const spacing = poolOf(manifest).key.tickSpacing;
  const c = Math.floor(tick / spacing) * spacing;
  return { tickLower: c - half * spacing, tickUpper: c + half * spacing };
}

/** A devnet for saga tests in which every test starts from the seeded chain (see sagaDevnet). */
export interface SagaDevnet {
  devnet(): Devnet;
  manifest(): DevnetManifest;
  /** A fresh data directory, removed after the test. */
  dataDir(): Promise<string>;
  /** One run of the agent on `dir` (default: a fresh one), killed after the test unless `kill`ed before. */
  start(dir?: string, hooks?: SagaHooks, allPools?: boolean): Promise<AgentInstance>;
  /** The process dies (kill -9): a later `start` on the same dir is the restarted agent. */
  kill(a: AgentInstance): Promise<void>;
}

/**
 * Registers a devnet (seeded with `seed`) and the hooks that give each test the seeded chain (an
 * anvil snapshot reverted after each test: no position of an earlier test to adopt), and kill the
 * agent instances and remove the data directories a test left.
 */
export function sagaDevnet(seed: number): SagaDevnet {
  const devnet = useDevnet({ seed });
  let clean = '';
  const dirs: string[] = [];
  const live: AgentInstance[] = [];
  beforeAll(async () => {
    clean = await snapshot(devnet());
  });
  afterEach(async () => {
    for (const a of live.splice(0)) await a.kill().catch(() => undefined);
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    await revert(devnet(), clean);
    clean = await snapshot(devnet());
  });
  const dataDir = async (): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), 'rk-saga-'));
    dirs.push(d);
    return d;
  };
  return {
    devnet,
    manifest: () => devnet().manifest,
    dataDir,
    start: async (dir, hooks = {}, allPools = false) => {
      const a = await agentInstance(devnet().manifest, dir ?? (await dataDir()), hooks, allPools);
      live.push(a);
      return a;
    },
    kill: async (a) => {
      const i = live.indexOf(a);
      if (i >= 0) live.splice(i, 1);
      await a.kill();
    },
  };
}
