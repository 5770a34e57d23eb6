/**
 * The RangeVault + VaultHook the devnet deploys (`useDevnet({ pools: [], vault: true })`: real v4
 * contracts, background liquidity in the vault's pool only), and the accounts the vault tests play: owner (deployer), manager (the
 * agent's key), users (noise accounts) and an attacker (the arbitrageur).
 *
 * Test signers are plain Wallets (nonce read from the node on every send), because tests revert
 * anvil snapshots and a cached nonce would then be wrong.
 */
import { Contract, MaxUint256, Wallet, type ContractTransactionResponse, type TransactionRequest, type JsonRpcProvider, type TransactionReceipt } from 'ethers';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { loadArtifact } from '../../../src/adapters/chain/devnet/artifacts.js';
import type { Devnet } from '../../../src/adapters/chain/devnet/devnet.js';
import type { ManifestVault } from '../../../src/adapters/chain/devnet/manifest.js';
import { poolKeyTuple } from '../../../src/adapters/chain/devnet/pools.js';
import { sqrtFloor } from '../../../src/adapters/chain/devnet/quotePrice.js';
import { loadVaultArtifact } from '../../../src/adapters/chain/vault/artifacts.js';
import { mined } from '../../chain/support/mined.js';
import { revert, snapshot, useDevnet } from '../../support/devnet.js';

export const VIRTUAL_SHARES = 10n ** 6n;
export const BPS = 10_000n;
export const YEAR = 365n * 24n * 3600n;

/**
 * A Wallet whose gas limit is the node's estimate plus 20% and 100k. ethers sends exactly the
 * estimate, and a vault call estimated in one second but mined in the next writes fee-accrual
 * slots (lastFeeAccrual, fee shares, the high-water mark) the estimate did not: a small call such as
 * accrueFees, estimated when nothing was due, ran out of gas by more than 20% of itself (seen
 * under a loaded test run). Gas figures are read from receipts, so the headroom does not show in them.
 */
class PaddedWallet extends Wallet {
  override async estimateGas(tx: TransactionRequest): Promise<bigint> {
    return ((await super.estimateGas(tx)) * 12n) / 10n + 100_000n;
  }
}

export interface VaultRig {
  devnet: Devnet;
  provider: JsonRpcProvider;
  /** The devnet's vault, and the reference price it was deployed with. */
  deployment: ManifestVault & { referenceSqrtPriceX96: bigint };
  owner: Wallet;
  manager: Wallet;
  users: Wallet[];
  attacker: Wallet;
  /** The vault connected to the owner; use .connect(w) for others. */
  vault: Contract;
  hook: Contract;
  quote: Contract;
  base: Contract;
  stateView: Contract;
  positionManager: Contract;
  swapRouter: Contract;
}

export async function buildVaultRig(devnet: Devnet): Promise<VaultRig> {
  const { manifest, provider } = devnet;
  const byRole = (role: string): Wallet[] => manifest.accounts.filter((a) => a.role === role).map((a) => new PaddedWallet(a.privateKey, provider));
  const [owner] = byRole('deployer');
  const [manager] = byRole('agent');
  const [attacker] = byRole('arbitrageur');
  const users = byRole('noise');
  if (manifest.vault === undefined) throw new Error('start the devnet with { vault: true }');
  const quote = manifest.contracts.tokens.USDC;
  const base = manifest.contracts.tokens.WETH;
  const erc20 = loadArtifact('MockERC20').abi;
  const vault = new Contract(manifest.vault.vault, loadVaultArtifact('RangeVault').abi, owner);
  const deployment = { ...manifest.vault, referenceSqrtPriceX96: (await vault.getFunction('referenceSqrtPriceX96')()) as bigint };
  const quoteC = new Contract(quote.address, erc20, owner);
  for (const w of [...users, attacker!]) await mined((quoteC.connect(w) as Contract).getFunction('approve')(deployment.vault, MaxUint256));
  return {
    devnet,
    provider,
    deployment,
    owner: owner!,
    manager: manager!,
    users,
    attacker: attacker!,
    vault,
    hook: new Contract(deployment.hook, loadVaultArtifact('VaultHook').abi, owner),
    quote: quoteC,
    base: new Contract(base.address, erc20, owner),
    stateView: new Contract(manifest.contracts.stateView, loadArtifact('StateView').abi, owner),
    positionManager: new Contract(manifest.contracts.positionManager, loadArtifact('PositionManager').abi, owner),
    swapRouter: new Contract(manifest.contracts.poolSwapTest, loadArtifact('PoolSwapTest').abi, attacker),
  };
}

/** The vault as `w` sees it. */
export function as(rig: VaultRig, w: Wallet): Contract {
  return rig.vault.connect(w) as Contract;
}

/**
 * Waits for a sent transaction; when it reverted, replays it with eth_call on its parent block
 * and names the revert (a test failing here says why, not just "reverted").
 */
export async function send(call: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const tx = await call;
  try {
    return await mined(Promise.resolve(tx));
  } catch (err) {
    const receipt = await tx.provider.getTransactionReceipt(tx.hash);
    const block = receipt === null ? null : await tx.provider.getBlock(receipt.blockNumber);
    const why = await tx.provider
      .call({ to: tx.to, from: tx.from, data: tx.data, blockTag: receipt === null ? 'latest' : receipt.blockNumber - 1 })
      .then(() => 'replay did not revert', (e: unknown) => String((e as Error).message).slice(0, 400));
    throw new Error(`${(err as Error).message} (block ${receipt?.blockNumber ?? '?'} at ${block?.timestamp ?? '?'}): ${why}`, { cause: err });
  }
}

/** The call must revert with the custom error `name` of `iface` (ethers decodes it from the revert data). */
export async function expectRevert(call: Promise<unknown>, name: string, iface: Contract = {} as Contract): Promise<void> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a revert with ${name}, but the call went through`).toBeDefined();
  const data = (err as { data?: string }).data ?? (err as { info?: { error?: { data?: string } } }).info?.error?.data;
  let decoded = (err as { revert?: { name?: string } }).revert?.name;
  if (decoded === undefined && typeof data === 'string' && 'interface' in iface) decoded = iface.interface.parseError(data)?.name;
  expect(decoded, `revert: ${String((err as Error).message).slice(0, 300)}`).toBe(name);
}

/** Current spot tick of the vault's pool. */
export async function spotTick(rig: VaultRig): Promise<number> {
  const slot0 = (await rig.stateView.getFunction('getSlot0')(rig.deployment.pool.id)) as [bigint, bigint, bigint, bigint];
  return Number(slot0[1]);
}

/** A range of `halfWidth` ticks (aligned to 60) each side of the pool's tick. */
export async function rangeAround(rig: VaultRig, halfWidth: number): Promise<[number, number]> {
  const t = await spotTick(rig);
  const lower = Math.floor((t - halfWidth) / 60) * 60;
  return [lower, lower + Math.ceil((2 * halfWidth) / 60) * 60];
}

/** Swaps in the vault's pool (as the attacker) until the price reaches `sqrtPriceLimitX96`. */
export async function pushPrice(rig: VaultRig, zeroForOne: boolean, sqrtPriceLimitX96: bigint): Promise<TransactionReceipt> {
  return mined(rig.swapRouter.getFunction('swap')(
    poolKeyTuple(rig.deployment.pool.key),
    { zeroForOne, amountSpecified: -(10n ** 30n), sqrtPriceLimitX96 },
    { takeClaims: false, settleUsingBurn: false },
    '0x',
  ));
}

/** ERC-4626 conversions with the vault's virtual share offset (10^6), rounded down. */
export function sharesFor(assets: bigint, totalAssets: bigint, supply: bigint): bigint {
  return (assets * (supply + VIRTUAL_SHARES)) / (totalAssets + 1n);
}
export function assetsFor(shares: bigint, totalAssets: bigint, supply: bigint): bigint {
  return (shares * (totalAssets + 1n)) / (supply + VIRTUAL_SHARES);
}

/** sqrtPriceX96 for `price` = ref price × num/den. */
export function scaledSqrtPrice(ref: bigint, num: bigint, den: bigint): bigint {
  return sqrtFloor((ref * ref * num) / den);
}

/**
 * A devnet with the vault product deployed (seeded), the rig handed to `onRig` once built, and
 * every test run from the same chain snapshot (reverted after it). Returns the devnet getter.
 */
export function useVaultRig(seed: number, onRig: (rig: VaultRig) => void): () => Devnet {
  const devnet = useDevnet({ pools: [], vault: true, seed });
  let snap: string;
  beforeAll(async () => {
    onRig(await buildVaultRig(devnet()));
  }, 60_000);
  beforeEach(async () => {
    snap = await snapshot(devnet());
  });
  afterEach(async () => {
    await revert(devnet(), snap);
  });
  return devnet;
}
