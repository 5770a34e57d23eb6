/**
 * Deploys the real Uniswap v4 contracts (from node_modules artifacts) and two test tokens onto a
 * fresh devnet: PoolManager, Permit2 (runtime code placed at its canonical address),
 * PositionManager, StateView, V4Quoter, PoolSwapTest, PoolModifyLiquidityTest, a WETH9 wrapper for
 * PositionManager, MockERC20 tokens WETH (18 decimals) and USDC (6 decimals), and the Universal
 * Router (v4 parts only). The Universal Router is deployed last so every other address stays
 * what it was before it existed (examples/devnet.yaml lists them).
 */
import { ContractFactory, getAddress, ZeroAddress, ZeroHash, type JsonRpcProvider, type Signer } from 'ethers';
import { loadArtifact, loadPermit2RuntimeCode, PERMIT2_ADDRESS, type ArtifactName } from './artifacts.js';
import { DeployError } from './errors.js';
import type { TokenInfo } from './manifest.js';
import { confirmTx } from './setupTx.js';

/** Addresses of everything deployContracts put on chain. */
export interface DeployedContracts {
  poolManager: string;
  positionManager: string;
  stateView: string;
  permit2: string;
  quoter: string;
  poolSwapTest: string;
  poolModifyLiquidityTest: string;
  weth9: string;
  tokens: { WETH: TokenInfo; USDC: TokenInfo };
  universalRouter: string;
}

/** Gas PositionManager lets a subscriber's notifyUnsubscribe use (v4-periphery's deploy scripts use 300k). */
const UNSUBSCRIBE_GAS_LIMIT = 300_000n;

async function deploy(signer: Signer, name: ArtifactName, args: unknown[], label: string = name): Promise<string> {
  const { abi, bytecode } = loadArtifact(name);
  const factory = new ContractFactory(abi, bytecode, signer);
  let contract;
  try {
    contract = await factory.deploy(...args);
  } catch (err) {
    throw new DeployError(`deploy ${label}`, err);
  }
  await confirmTx(`deploy ${label}`, Promise.resolve(contract.deploymentTransaction()));
  return getAddress(await contract.getAddress());
}

/**
 * Deploys the v4 stack with `deployer` (which becomes PoolManager's owner) and returns the
 * addresses. PositionManager gets address(0) as its token descriptor: tokenURI is not needed on
 * the devnet.
 */
export async function deployContracts(provider: JsonRpcProvider, deployer: Signer): Promise<DeployedContracts> {
  const owner = await deployer.getAddress();
  try {
    await provider.send('anvil_setCode', [PERMIT2_ADDRESS, loadPermit2RuntimeCode()]);
  } catch (err) {
    throw new DeployError('place Permit2 code', err);
  }
  const poolManager = await deploy(deployer, 'PoolManager', [owner]);
  const weth9 = await deploy(deployer, 'WETH', [], 'WETH9');
  const positionManager = await deploy(deployer, 'PositionManager', [poolManager, PERMIT2_ADDRESS, UNSUBSCRIBE_GAS_LIMIT, ZeroAddress, weth9]);
  const stateView = await deploy(deployer, 'StateView', [poolManager]);
  const quoter = await deploy(deployer, 'V4Quoter', [poolManager]);
  const poolSwapTest = await deploy(deployer, 'PoolSwapTest', [poolManager]);
  const poolModifyLiquidityTest = await deploy(deployer, 'PoolModifyLiquidityTest', [poolManager]);
  const weth = await deploy(deployer, 'MockERC20', ['Wrapped Ether', 'WETH', 18], 'MockERC20 WETH');
  const usdc = await deploy(deployer, 'MockERC20', ['USD Coin', 'USDC', 6], 'MockERC20 USDC');
  // RouterParameters: no v2/v3 factories, no v3 position manager, no Across spoke pool.
  const universalRouter = await deploy(deployer, 'UniversalRouter', [{
    permit2: PERMIT2_ADDRESS,
    weth9,
    v2Factory: ZeroAddress,
    v3Factory: ZeroAddress,
    pairInitCodeHash: ZeroHash,
    poolInitCodeHash: ZeroHash,
    v4PoolManager: poolManager,
    v3NFTPositionManager: ZeroAddress,
    v4PositionManager: positionManager,
    spokePool: ZeroAddress,
  }]);
  return {
    poolManager,
    positionManager,
    stateView,
    permit2: getAddress(PERMIT2_ADDRESS),
    quoter,
    poolSwapTest,
    poolModifyLiquidityTest,
    weth9,
    tokens: {
      WETH: { address: weth, symbol: 'WETH', decimals: 18 },
      USDC: { address: usdc, symbol: 'USDC', decimals: 6 },
    },
    universalRouter,
  };
}
