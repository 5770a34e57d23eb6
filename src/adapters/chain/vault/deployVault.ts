/**
 * Puts the vault product on a chain that already has the v4 stack (the devnet): VaultHook at a
 * CREATE2 address mined for its permission flags, a base/quote pool with that hook, and a
 * RangeVault over the pool's quote token, bound to the hook.
 */
import { AbiCoder, Contract, ContractFactory, concat, getAddress, type JsonRpcProvider, type Signer } from 'ethers';
import { poolIdOf } from '../poolId.js';
import { loadArtifact } from '../devnet/artifacts.js';
import { DeployError } from '../devnet/errors.js';
import type { ManifestPool, TokenInfo } from '../devnet/manifest.js';
import { poolKeyFor, poolKeyTuple, type PoolSpec } from '../devnet/pools.js';
import { isCurrency0, quotePriceToSqrtPriceX96 } from '../devnet/quotePrice.js';
import { confirmTx } from '../devnet/setupTx.js';
import { loadVaultArtifact } from './artifacts.js';
import { CREATE2_DEPLOYER, mineHookSalt, VAULT_HOOK_FLAGS } from './hookSalt.js';

/** RangeVault.Bounds. */
export interface VaultBounds {
  maxDeviationBps: number;
  maxSlippageBps: number;
  idleReserveBps: number;
  minWidth: number;
  maxWidth: number;
  maxPriceAge: number;
}

/** The vault's pool: WETH/USDC 0.30%, spacing 60, with VaultHook. */
export const VAULT_POOL: PoolSpec = { fee: 3000, tickSpacing: 60 };

/** Spot within 1% of the reference, 1% slippage, 10% idle, ranges 600–24000 ticks, price at most an hour old. */
export const DEFAULT_VAULT_BOUNDS: VaultBounds = {
  maxDeviationBps: 100,
  maxSlippageBps: 100,
  idleReserveBps: 1_000,
  minWidth: 600,
  maxWidth: 24_000,
  maxPriceAge: 3_600,
};

export interface DeployVaultOptions {
  provider: JsonRpcProvider;
  /** Sends every transaction; binds the hook. */
  deployer: Signer;
  poolManager: string;
  positionManager: string;
  permit2: string;
  base: TokenInfo;
  quote: TokenInfo;
  /** Pool's initial price and the vault's first reference price, quote per base. */
  quotePerBase: number;
  owner: string;
  manager: string;
  pool?: PoolSpec;
  bounds?: VaultBounds;
  name?: string;
  symbol?: string;
}

export interface VaultDeployment {
  vault: string;
  hook: string;
  hookSalt: string;
  pool: ManifestPool;
  quoteIsCurrency0: boolean;
  referenceSqrtPriceX96: bigint;
  bounds: VaultBounds;
}

const coder = AbiCoder.defaultAbiCoder();

/** Deploys VaultHook with CREATE2 at an address carrying VAULT_HOOK_FLAGS; returns address and salt. */
export async function deployVaultHook(provider: JsonRpcProvider, deployer: Signer, poolManager: string, positionManager: string): Promise<{ address: string; salt: string }> {
  if ((await provider.getCode(CREATE2_DEPLOYER)) === '0x') throw new DeployError('deploy VaultHook', new Error(`no CREATE2 deployer at ${CREATE2_DEPLOYER}`));
  const { bytecode } = loadVaultArtifact('VaultHook');
  const binder = await deployer.getAddress();
  const initCode = concat([bytecode, coder.encode(['address', 'address', 'address'], [poolManager, positionManager, binder])]);
  const { salt, address } = mineHookSalt(CREATE2_DEPLOYER, initCode, VAULT_HOOK_FLAGS);
  await confirmTx('deploy VaultHook (CREATE2)', deployer.sendTransaction({ to: CREATE2_DEPLOYER, data: concat([salt, initCode]) }));
  if ((await provider.getCode(address)) === '0x') throw new DeployError('deploy VaultHook', new Error(`no code at the mined address ${address}`));
  return { address: getAddress(address), salt };
}

/** Deploys hook, pool and vault; see the module comment. */
export async function deployVault(opts: DeployVaultOptions): Promise<VaultDeployment> {
  const spec = opts.pool ?? VAULT_POOL;
  const bounds = opts.bounds ?? DEFAULT_VAULT_BOUNDS;
  const hook = await deployVaultHook(opts.provider, opts.deployer, opts.poolManager, opts.positionManager);

  const { key: plainKey, token0, token1 } = poolKeyFor(opts.base, opts.quote, spec);
  const key = { ...plainKey, hooks: hook.address };
  const sqrtPriceX96 = quotePriceToSqrtPriceX96(opts.quotePerBase, opts.base, opts.quote);
  const pm = new Contract(opts.poolManager, loadArtifact('PoolManager').abi, opts.deployer);
  await confirmTx(`initialize vault pool ${token0.symbol}/${token1.symbol} fee ${spec.fee}`, pm.getFunction('initialize')(poolKeyTuple(key), sqrtPriceX96));

  const quoteIsCurrency0 = isCurrency0(opts.quote.address, opts.base.address);
  const { abi, bytecode } = loadVaultArtifact('RangeVault');
  let vaultAddress: string;
  try {
    const contract = await new ContractFactory(abi, bytecode, opts.deployer).deploy(
      poolKeyTuple(key),
      quoteIsCurrency0,
      opts.poolManager,
      opts.positionManager,
      opts.permit2,
      opts.owner,
      opts.manager,
      sqrtPriceX96,
      [bounds.maxDeviationBps, bounds.maxSlippageBps, bounds.idleReserveBps, bounds.minWidth, bounds.maxWidth, bounds.maxPriceAge],
      opts.name ?? `rangekeeper ${opts.base.symbol}/${opts.quote.symbol} vault`,
      opts.symbol ?? `rk${opts.base.symbol}${opts.quote.symbol}`,
    );
    await confirmTx('deploy RangeVault', Promise.resolve(contract.deploymentTransaction()));
    vaultAddress = getAddress(await contract.getAddress());
  } catch (err) {
    throw err instanceof DeployError ? err : new DeployError('deploy RangeVault', err);
  }
  const hookContract = new Contract(hook.address, loadVaultArtifact('VaultHook').abi, opts.deployer);
  await confirmTx('bind VaultHook to the vault', hookContract.getFunction('bindVault')(vaultAddress));
  return {
    vault: vaultAddress,
    hook: hook.address,
    hookSalt: hook.salt,
    pool: { id: poolIdOf(key), key, token0: token0.symbol, token1: token1.symbol },
    quoteIsCurrency0,
    referenceSqrtPriceX96: sqrtPriceX96,
    bounds,
  };
}
