/**
 * A roll whose pre-flight simulation fails its slippage bounds because the price moved between
 * planning and sending — what happens on the devnet (and on mainnet) when an arbitrageur trades
 * back our own re-balancing swap at once — is planned again at the new price, a bounded number
 * of times. The market move is injected by the provider at the exact moment of the simulation
 * (another account's real swap on anvil), so the race is reproduced every run.
 */
import { Interface, JsonRpcProvider, Network, type TransactionRequest } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevnetManifest, ManifestPool } from '../../../src/adapters/chain/devnet/manifest.js';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import { OnChainPort, type OnChainPool } from '../../../src/adapters/chain/onchain/onChainPort.js';
import type { PoolKey } from '../../../src/adapters/chain/poolId.js';
import { PositionManagerClient } from '../../../src/adapters/chain/positions/positionManager.js';
import { PoolSwapTestSwap } from '../../../src/adapters/chain/swap/poolSwapTestSwap.js';
import { UniversalRouterSwap } from '../../../src/adapters/chain/swap/universalRouterSwap.js';
import { TxRevertedError } from '../../../src/adapters/chain/tx/errors.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { PartialRollError } from '../../../src/actors/ports.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { useDevnet } from '../../support/devnet.js';

const MODIFY_LIQUIDITIES = new Interface(['function modifyLiquidities(bytes unlockData, uint256 deadline) payable']).getFunction('modifyLiquidities')!.selector;
const USDC = 10n ** 6n;
const WETH = 10n ** 18n;

/** A provider that runs `beforeRollSimulation` right before each eth_call of PositionManager.modifyLiquidities. */
class MovingMarketProvider extends JsonRpcProvider {
  positionManager = '';
  beforeRollSimulation: (() => Promise<void>) | null = null;
  simulations = 0;
  override async call(tx: TransactionRequest): Promise<string> {
    const to = typeof tx.to === 'string' ? tx.to.toLowerCase() : '';
    if (to === this.positionManager.toLowerCase() && typeof tx.data === 'string' && tx.data.startsWith(MODIFY_LIQUIDITIES)) {
      this.simulations += 1;
      if (this.beforeRollSimulation !== null) await this.beforeRollSimulation();
    }
    return super.call(tx);
  }
}

const devnet = useDevnet({ seed: 9 });
let manifest: DevnetManifest;
let pool: ManifestPool;
let key: PoolKey;

beforeAll(() => {
  ({ manifest } = devnet());
  pool = manifest.pools[0]!; // WETH/USDC fee 500 / spacing 10; USDC is token0
  key = pool.key;
});

interface Rig {
  port: OnChainPort;
  provider: MovingMarketProvider;
  capture: LogCapture;
  /** Another account's swap, alternating direction so the price stays around where it was. */
  moveMarket(): Promise<void>;
  tokenIdAfterMint: string;
  /** A range of ±half tick spacings around `tick`. */
  around(tick: number, half: number): { tickLower: number; tickUpper: number };
}

async function rig(): Promise<Rig> {
  const network = Network.from(manifest.chainId);
  const provider = new MovingMarketProvider(manifest.rpcUrl, network, { staticNetwork: network, pollingInterval: 50 });
  provider.positionManager = manifest.contracts.positionManager;
  const plain = new JsonRpcProvider(manifest.rpcUrl, network, { staticNetwork: network, pollingInterval: 50 });
  const capture = new LogCapture();
  const log = createLogger({ level: 'info', destination: capture });
  const agent = manifest.accounts.find((a) => a.role === 'agent')!;
  const arb = manifest.accounts.find((a) => a.role === 'arbitrageur')!;
  const sender = new TxSender({ signer: walletFor(agent, provider), provider, logger: log, config: { receiptPollMs: 20 } });
  const router = new UniversalRouterSwap({ address: manifest.contracts.universalRouter!, provider, sender, permit2: manifest.contracts.permit2, log });
  const moverSender = new TxSender({ signer: walletFor(arb, plain), provider: plain, logger: log, config: { receiptPollMs: 20 } });
  const mover = new PoolSwapTestSwap({ address: manifest.contracts.poolSwapTest, provider: plain, sender: moverSender, log });
  const positions = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, provider, sender, logger: log });
  const onChainPool: OnChainPool = {
    desc: { poolId: pool.id, asset: 'ETH', assetIsToken0: false, hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: key.fee, tickSpacing: key.tickSpacing },
    key,
  };
  const port = new OnChainPort({ provider, positions, owner: agent.address, pools: [onChainPool], fromBlock: 0, log, swap: { router, slippageBps: 50 } });
  const spacing = key.tickSpacing;
  const around = (tick: number, half: number): { tickLower: number; tickUpper: number } => {
    const c = Math.floor(tick / spacing) * spacing;
    return { tickLower: c - half * spacing, tickUpper: c + half * spacing };
  };
  let up = true;
  const moveMarket = async (): Promise<void> => {
    // 60-70 ticks (0.6% of price) here: inside the new ±200-tick range, past the roll's 0.5% amount bounds
    await mover.swapExactIn({ poolKey: key, zeroForOne: !up, amountIn: up ? 100n * WETH : 300_000n * USDC, amountOutMinimum: 0n, label: 'market move' });
    up = !up;
  };
  const tick0 = (await port.poolSnapshot(pool.id)).tick;
  const minted = await port.mint({ poolId: pool.id, ...around(tick0, 10), amount0Max: 30_000n * USDC, amount1Max: 10n * WETH });
  // leave the range below (the position holds WETH only), so the roll re-balances through the router
  // (on this seeded book 1,000 WETH move the price about 240 ticks past the ±100-tick range)
  await mover.swapExactIn({ poolKey: key, zeroForOne: false, amountIn: 1_000n * WETH, amountOutMinimum: 0n, label: 'push out of range' });
  return { port, provider, capture, moveMarket, tokenIdAfterMint: minted.position.tokenId, around };
}

describe('a roll refused in simulation because the price moved', () => {
  it('is planned again at the new price and goes through', async () => {
    const r = await rig();
    const out = await r.port.poolSnapshot(pool.id);
    let moves = 1;
    r.provider.beforeRollSimulation = async () => {
      if (moves-- > 0) await r.moveMarket();
    };
    const target = r.around(out.tick, 20);
    const rolled = await r.port.roll({ poolId: pool.id, tokenId: r.tokenIdAfterMint, ...target });
    expect(rolled.position).toMatchObject(target);
    expect(rolled.amount0).toBeGreaterThan(0n);
    expect(rolled.amount1).toBeGreaterThan(0n);
    // the first simulation failed its bounds, the second (planned at the moved price) passed
    expect(r.provider.simulations).toBeGreaterThanOrEqual(2);
    expect(r.capture.text().match(/planning again at the new price/g)?.length).toBe(1);
  });

  it('gives up after a bounded number of plans, reporting what the re-balancing swap moved', async () => {
    const r = await rig();
    const out = await r.port.poolSnapshot(pool.id);
    r.provider.beforeRollSimulation = () => r.moveMarket();
    const err = await r.port.roll({ poolId: pool.id, tokenId: r.tokenIdAfterMint, ...r.around(out.tick, 20) }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PartialRollError);
    const cause = (err as PartialRollError).cause;
    expect(cause).toBeInstanceOf(TxRevertedError);
    expect((cause as TxRevertedError).reason).toBe('MaximumAmountExceeded');
    expect(r.capture.text().match(/planning again at the new price/g)?.length).toBe(2);
  });
});
