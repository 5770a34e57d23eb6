import { startAnvil, type TestAnvil } from './anvil.js';
import { ContractFactory, JsonRpcProvider, Network, type Contract, type JsonRpcSigner } from 'ethers';
import { makePoolKey, poolIdOf, type PoolKey } from '../../../src/adapters/chain/poolId.js';
import { loadArtifact, type Artifact } from '../../../src/adapters/chain/devnet/artifacts.js';
import { openPriceLimit } from '../../../src/adapters/chain/swap/exactInQuote.js';
export { MAX_SQRT_PRICE, MIN_SQRT_PRICE } from '../../../src/math/tickMath.js';
import { mined } from './mined.js';

const POOL_MANAGER = loadArtifact('PoolManager');
const SWAP_ROUTER = loadArtifact('PoolSwapTest');
const LIQ_ROUTER = loadArtifact('PoolModifyLiquidityTest');
const ERC20 = loadArtifact('MockERC20');
const DONATE_ROUTER = loadArtifact('PoolDonateTest');
const STATE_VIEW = loadArtifact('StateView');

export const Q96 = 1n << 96n;

/** Real v4 contracts on a test anvil: PoolManager, StateView, two MockERC20s, the test routers, one initialized pool with liquidity. */
export interface V4Pool {
  provider: JsonRpcProvider;
  signer: JsonRpcSigner;
  poolManager: string;
  stateView: string;
  liquidityRouter: string;
  /** The PoolSwapTest router `swap` goes through (tokens approved from account 0). */
  swapRouter: string;
  token0: { address: string; symbol: string; decimals: number };
  token1: { address: string; symbol: string; decimals: number };
  key: PoolKey;
  poolId: string;
  /** Block of the pool's Initialize event. */
  initBlock: number;
  /** Liquidity added on [-600, 600] by the liquidity router with salt 0. */
  liquidity: bigint;
  /** One exact-input swap (mines one block under automine). */
  swap(zeroForOne: boolean, amountIn?: bigint): Promise<{ blockNumber: number; hash: string }>;
  /** Initializes another pool of the same tokens (other fee/tickSpacing). */
  initializePool(fee: number, tickSpacing: number): Promise<{ key: PoolKey; poolId: string }>;
  /** Donates to the in-range liquidity (PoolDonateTest). */
  donate(amount0: bigint, amount1: bigint): Promise<void>;
  destroy(): void;
}

async function deploy(signer: JsonRpcSigner, a: Artifact, ...args: unknown[]): Promise<Contract> {
  const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await mined(Promise.resolve(c.deploymentTransaction())); // not waitForDeployment / tx.wait(): see ./mined.ts
  return c as Contract;
}

/** Deploys the real v4 contracts on `rpcUrl` and opens a pool (fee 3000, spacing 60) at price 1. */
export async function deployV4Pool(rpcUrl: string, chainId = 31337): Promise<V4Pool> {
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(rpcUrl, network, { staticNetwork: network, pollingInterval: 50, cacheTimeout: -1 });
  const signer = await provider.getSigner(0);
  const me = await signer.getAddress();
  const pm = await deploy(signer, POOL_MANAGER, me);
  const pmAddr = await pm.getAddress();
  const sv = await deploy(signer, STATE_VIEW, pmAddr);
  const swapRouter = await deploy(signer, SWAP_ROUTER, pmAddr);
  const liqRouter = await deploy(signer, LIQ_ROUTER, pmAddr);
  const donateRouter = await deploy(signer, DONATE_ROUTER, pmAddr);
  const tA = await deploy(signer, ERC20, 'Wrapped Ether', 'WETH', 18);
  const tB = await deploy(signer, ERC20, 'USD Coin', 'USDC', 6);
  const supply = 10n ** 30n;
  for (const t of [tA, tB]) {
    await mined(t.getFunction('mint')(me, supply));
    await mined(t.getFunction('approve')(await swapRouter.getAddress(), supply));
    await mined(t.getFunction('approve')(await liqRouter.getAddress(), supply));
    await mined(t.getFunction('approve')(await donateRouter.getAddress(), supply));
  }
  const key = makePoolKey(await tA.getAddress(), await tB.getAddress(), 3000, 60);
  const init = await mined(pm.getFunction('initialize')(key, Q96));
  const liquidity = 10n ** 21n;
  await mined(liqRouter.getFunction('modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)')(
    key, { tickLower: -600, tickUpper: 600, liquidityDelta: liquidity, salt: '0x' + '00'.repeat(32) }, '0x'));
  const meta = async (c: Contract) => ({ address: await c.getAddress(), symbol: (await c.getFunction('symbol')()) as string, decimals: Number(await c.getFunction('decimals')()) });
  const [m0, m1] = await Promise.all([meta(tA), meta(tB)]);
  const token0 = m0.address === key.currency0 ? m0 : m1;
  const token1 = m0.address === key.currency0 ? m1 : m0;
  return {
    provider, signer, poolManager: pmAddr, stateView: await sv.getAddress(), liquidityRouter: await liqRouter.getAddress(), swapRouter: await swapRouter.getAddress(),
    token0, token1, key, poolId: poolIdOf(key), initBlock: init.blockNumber, liquidity,
    async swap(zeroForOne, amountIn = 10n ** 15n) {
      const r = await mined(swapRouter.getFunction('swap')(key,
        { zeroForOne, amountSpecified: -amountIn, sqrtPriceLimitX96: openPriceLimit(zeroForOne) },
        { takeClaims: false, settleUsingBurn: false }, '0x'));
      return { blockNumber: r.blockNumber, hash: r.hash };
    },
    async initializePool(fee, tickSpacing) {
      const k = makePoolKey(key.currency0, key.currency1, fee, tickSpacing);
      await mined(pm.getFunction('initialize')(k, Q96));
      return { key: k, poolId: poolIdOf(k) };
    },
    async donate(amount0, amount1) {
      await mined(donateRouter.getFunction('donate')(key, amount0, amount1, '0x'));
    },
    destroy() { provider.destroy(); },
  };
}

/** A private anvil with a v4 pool deployed on it, and how to tear both down. */
export interface V4PoolRig {
  anvil: TestAnvil;
  pool: V4Pool;
  stop(): Promise<void>;
}

/** Starts a private anvil and deploys a v4 pool on it (the common set-up of the stream tests). */
export async function startV4PoolRig(): Promise<V4PoolRig> {
  const anvil = await startAnvil();
  try {
    const pool = await deployV4Pool(anvil.rpcUrl);
    return { anvil, pool, stop: async () => { pool.destroy(); await anvil.stop(); } };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}
