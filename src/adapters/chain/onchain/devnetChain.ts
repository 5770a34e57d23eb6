/**
 * The agent's chain on a running devnet: an OnChainPort for the devnet's pools, trading as the
 * manifest's 'agent' account through the PositionManager, re-balancing rolls through the
 * devnet's Universal Router (PoolSwapTest for a manifest written before the devnet had one).
 * Pool descriptors come from the manifest (WETH may sort as token0 or token1; the hedge asset is
 * ETH either way).
 */
import { Wallet, type JsonRpcProvider } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import type { PoolDescriptor } from '../../../actors/ports.js';
import { accountWithRole, type DevnetManifest } from '../devnet/manifest.js';
import { localProvider } from '../devnet/setupTx.js';
import { PositionManagerClient } from '../positions/positionManager.js';
import { TxSender } from '../tx/sender.js';
import { PoolSwapTestSwap } from '../swap/poolSwapTestSwap.js';
import type { SwapRouter } from '../swap/swapRouter.js';
import { UniversalRouterSwap } from '../swap/universalRouterSwap.js';
import { OnChainPort, type OnChainPool } from './onChainPort.js';
import type { Store } from '../../store/store.js';
import { StoreRollJournal } from '../saga/rollJournal.js';
import { StorePoolBooks } from '../saga/poolBooks.js';

export interface DevnetChain {
  port: OnChainPort;
  pools: PoolDescriptor[];
  provider: JsonRpcProvider;
  /** Sends as the agent account (one nonce sequence for everything the agent sends). */
  sender: TxSender;
  close(): Promise<void>;
}

/** Builds (and starts) the on-chain port for the devnet described by `manifest`. */
export async function connectDevnetChain(
  manifest: DevnetManifest, log: Logger, hedgeSymbol = 'ETH/USDT:USDT', durable?: { store: Store; agentId: string },
): Promise<DevnetChain> {
  // the devnet's provider settings (no response cache: a read right after our own transaction
  // must see it, and a receipt poll's "not yet" must not be held for 250 ms), polling blocks at 250 ms
  const provider = localProvider(manifest.rpcUrl, manifest.chainId);
  provider.pollingInterval = 250;
  const agent = accountWithRole(manifest, 'agent');
  const signer = new Wallet(agent.privateKey, provider);
  const sender = new TxSender({ signer, provider, logger: log, config: { receiptPollMs: 100 } });
  const positions = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, provider, sender, logger: log });
  const tokens = manifest.contracts.tokens;
  const pools: OnChainPool[] = manifest.pools.map((p) => {
    const t0 = tokens[p.token0]!;
    const t1 = tokens[p.token1]!;
    const desc: PoolDescriptor = {
      poolId: p.id, asset: 'ETH', assetIsToken0: p.token0 === 'WETH', hedgeSymbol,
      token0: { symbol: t0.symbol, decimals: t0.decimals }, token1: { symbol: t1.symbol, decimals: t1.decimals },
      fee: p.key.fee, tickSpacing: p.key.tickSpacing,
    };
    return { desc, key: { ...p.key } };
  });
  const ur = manifest.contracts.universalRouter;
  const router: SwapRouter = ur === undefined
    ? new PoolSwapTestSwap({ address: manifest.contracts.poolSwapTest, provider, sender, log })
    : new UniversalRouterSwap({ address: ur, provider, sender, permit2: manifest.contracts.permit2, log });
  const port = new OnChainPort({
    provider, positions, owner: agent.address, pools, fromBlock: manifest.deployedAtBlock, log,
    swap: { router },
    // sagas journaled (and books kept) in the agent's store when one is given
    ...(durable === undefined ? {} : {
      journal: new StoreRollJournal(durable.store, `agent/${durable.agentId}/sagas/`),
      books: new StorePoolBooks(durable.store, `agent/${durable.agentId}/books/`),
    }),
  });
  await port.start();
  return {
    port,
    pools: pools.map((p) => p.desc),
    provider,
    sender,
    close: async () => {
      await port.close();
      provider.destroy();
    },
  };
}
