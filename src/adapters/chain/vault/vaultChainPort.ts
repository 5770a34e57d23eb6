/**
 * The agent's chain with the vault in it: the vault's pool is managed through RangeVault, every
 * other pool through the wrapped port. For the vault's pool the position is the vault's (not the
 * agent's wallet's), the held tokens are the vault's idle balances, and a mint or a roll is one
 * `rebalance(tickLower, tickUpper, swapZeroForOne, swapAmountIn)` sent with the strategy
 * manager's key (the agent's): the vault burns its position, swaps to the new range's mix and
 * mints it, all in one transaction, checked on chain (range bounds, slippage, value). So the same
 * PositionActor decides for the vault's pool as for any other, under the same guards.
 *
 * The manager cannot take liquidity out of the vault: a withdraw (a halt's or an exit rule's)
 * is refused with VaultWithdrawRefusedError; withdrawals belong to the shareholders, and the
 * vault serves them itself (idle quote first, then liquidity pulled pro rata).
 */
import { Contract, Interface, type JsonRpcProvider, type TransactionReceipt } from 'ethers';
import type { Observable } from 'rxjs';
import type {
  ChainPort, HeldTokens, MintRequest, MintResult, OwnedPosition, PoolLiquidity, PoolSnapshot, PositionFees, RollRequest, RollResult, SagaOutcome,
  StepGate, TokenAmounts, TxReceipt, WithdrawResult,
} from '../../../actors/ports.js';
import type { Logger } from '../../../logging/logger.js';
import { loadArtifact } from '../devnet/artifacts.js';
import { principalAmounts } from '../positions/positionAmounts.js';
import type { TxSender } from '../tx/sender.js';
import { loadVaultArtifact } from './artifacts.js';
import { deploySwap } from './deploySwap.js';
import { decodeVaultLog, type VaultAddresses } from './vaultEvents.js';

const ERC20 = new Interface(['function balanceOf(address) view returns (uint256)']);

/** The manager asked to withdraw the vault's liquidity: only shareholders withdraw. */
export class VaultWithdrawRefusedError extends Error {
  override readonly name = 'VaultWithdrawRefusedError';
  constructor(readonly poolId: string) {
    super(`vault pool ${poolId}: the strategy manager cannot withdraw the vault's liquidity (shareholders withdraw; the vault serves them)`);
  }
}

/** A rebalance's transaction mined without the hook's position event (cannot happen with the hook bound). */
export class VaultRebalanceEventMissingError extends Error {
  override readonly name = 'VaultRebalanceEventMissingError';
  constructor(readonly txHash: string) {
    super(`vault rebalance ${txHash}: no PositionCreated/PositionRebalanced in the receipt`);
  }
}

/** The vault refused a rebalance (its on-chain checks: price bounds, range, slippage, staleness). */
export class VaultRebalanceRefusedError extends Error {
  override readonly name = 'VaultRebalanceRefusedError';
  constructor(readonly reason: string, readonly args: string[], cause: unknown) {
    super(`the vault refused the rebalance: ${reason}(${args.join(', ')})`, { cause });
  }
}

export interface VaultChainPortOptions {
  /** The port of every other pool (and the reads the vault's pool shares with them). */
  inner: ChainPort;
  provider: JsonRpcProvider;
  /** Sends as the strategy manager (the agent's key; the same sender as the inner port's, so nonces stay in one sequence). */
  sender: TxSender;
  addresses: VaultAddresses;
  /** The vault's pool id (bytes32 hex). */
  poolId: string;
  token0: string;
  token1: string;
  quoteIsCurrency0: boolean;
  tickSpacing: number;
  positionManager: string;
  log: Logger;
}

interface VaultRange {
  minWidth: number;
  maxWidth: number;
  idleReserveBps: bigint;
}

/** Pads the node's estimate: a vault call mined a second after it was estimated writes fee-accrual slots the estimate did not. */
const gasWithHeadroom = (estimate: bigint): bigint => (estimate * 12n) / 10n + 100_000n;

export class VaultChainPort implements ChainPort {
  readonly id: string;
  readonly owner: string;
  readonly snapshots$: Observable<PoolSnapshot>;
  private readonly vault: Contract;
  private readonly pm: Contract;
  private bounds: VaultRange | undefined;

  constructor(private readonly o: VaultChainPortOptions) {
    this.id = `${o.inner.id}+vault`;
    this.owner = o.inner.owner;
    this.snapshots$ = o.inner.snapshots$;
    this.vault = new Contract(o.addresses.vault, loadVaultArtifact('RangeVault').abi, o.provider);
    this.pm = new Contract(o.positionManager, loadArtifact('PositionManager').abi, o.provider);
  }

  private isVault(poolId: string): boolean {
    return poolId.toLowerCase() === this.o.poolId.toLowerCase();
  }

  poolSnapshot(poolId: string): Promise<PoolSnapshot> {
    return this.o.inner.poolSnapshot(poolId);
  }

  gasPriceWei(): Promise<bigint> {
    return this.o.inner.gasPriceWei();
  }

  positionFees(position: OwnedPosition): Promise<PositionFees> {
    return this.o.inner.positionFees(position);
  }

  poolLiquidity(poolId: string): Promise<PoolLiquidity> {
    if (this.o.inner.poolLiquidity === undefined) throw new Error(`port ${this.o.inner.id} does not read pool liquidity`);
    return this.o.inner.poolLiquidity(poolId);
  }

  /** The vault's position (none before its first rebalance). */
  async vaultPosition(blockTag: number | 'latest' = 'latest'): Promise<OwnedPosition | null> {
    const [id, lower, upper] = (await Promise.all([
      this.vault.getFunction('positionId')({ blockTag }), this.vault.getFunction('positionLower')({ blockTag }), this.vault.getFunction('positionUpper')({ blockTag }),
    ])) as [bigint, bigint, bigint];
    if (id === 0n) return null;
    const liquidity = (await this.pm.getFunction('getPositionLiquidity')(id, { blockTag })) as bigint;
    return { tokenId: id.toString(), poolId: this.o.poolId, tickLower: Number(lower), tickUpper: Number(upper), liquidity };
  }

  async ownedPositions(poolId: string): Promise<OwnedPosition[]> {
    if (!this.isVault(poolId)) return this.o.inner.ownedPositions(poolId);
    const p = await this.vaultPosition();
    return p === null ? [] : [p];
  }

  /** The vault's idle token balances at `blockTag`. */
  async idle(blockTag: number | 'latest' = 'latest'): Promise<TokenAmounts> {
    const read = async (token: string): Promise<bigint> =>
      BigInt(await this.o.provider.call({ to: token, data: ERC20.encodeFunctionData('balanceOf', [this.o.addresses.vault]), blockTag }));
    const [amount0, amount1] = await Promise.all([read(this.o.token0), read(this.o.token1)]);
    return { amount0, amount1 };
  }

  async heldTokens(poolId: string): Promise<HeldTokens | null> {
    if (!this.isVault(poolId)) return this.o.inner.heldTokens === undefined ? null : this.o.inner.heldTokens(poolId);
    const block = await this.o.provider.getBlockNumber();
    const [idle, supply, offset] = await Promise.all([this.idle(block), this.vault.getFunction('totalSupply')({ blockTag: block }) as Promise<bigint>, this.decimalsOffset()]);
    // shares at the inception share price (10^offset share units per asset unit: ERC-4626's virtual shares)
    return { ...idle, shortfall0: 0n, shortfall1: 0n, capital: supply / 10n ** offset };
  }

  async adoptBooks(poolId: string, held: TokenAmounts): Promise<HeldTokens> {
    if (this.isVault(poolId)) return (await this.heldTokens(poolId))!;
    if (this.o.inner.adoptBooks === undefined) throw new Error(`port ${this.o.inner.id} keeps no books`);
    return this.o.inner.adoptBooks(poolId, held);
  }

  async resume(poolId: string, opts?: { beforeStep?: StepGate }): Promise<SagaOutcome | null> {
    // a vault rebalance is one transaction: nothing is ever left half done
    if (this.isVault(poolId) || this.o.inner.resume === undefined) return null;
    return this.o.inner.resume(poolId, opts);
  }

  async withdraw(position: OwnedPosition, opts?: { beforeStep?: StepGate }): Promise<WithdrawResult> {
    if (this.isVault(position.poolId)) throw new VaultWithdrawRefusedError(position.poolId);
    return this.o.inner.withdraw(position, opts);
  }

  async mint(req: MintRequest): Promise<MintResult> {
    if (!this.isVault(req.poolId)) return this.o.inner.mint(req);
    const r = await this.rebalance(req.tickLower, req.tickUpper, req.beforeStep);
    return { position: r.position, amount0: r.amount0, amount1: r.amount1, receipt: r.receipt };
  }

  async roll(req: RollRequest): Promise<RollResult> {
    if (!this.isVault(req.poolId)) return this.o.inner.roll(req);
    return this.rebalance(req.tickLower, req.tickUpper, req.beforeStep);
  }

  private offset: bigint | undefined;
  /** The vault's share decimals over its asset's (RangeVault's decimals offset). */
  private async decimalsOffset(): Promise<bigint> {
    if (this.offset === undefined) {
      const quote = this.o.quoteIsCurrency0 ? this.o.token0 : this.o.token1;
      const erc = new Contract(quote, ['function decimals() view returns (uint8)'], this.o.provider);
      const [v, q] = (await Promise.all([this.vault.getFunction('decimals')(), erc.getFunction('decimals')()])) as [bigint, bigint];
      this.offset = v - q;
    }
    return this.offset;
  }

  private async range(): Promise<VaultRange> {
    if (this.bounds === undefined) {
      const b = (await this.vault.getFunction('bounds')()) as unknown as [bigint, bigint, bigint, bigint, bigint, bigint];
      this.bounds = { idleReserveBps: b[2], minWidth: Number(b[3]), maxWidth: Number(b[4]) };
    }
    return this.bounds;
  }

  /** The requested range widened to the vault's narrowest (or narrowed to its widest) around its middle, on the pool's spacing. */
  private async fit(tickLower: number, tickUpper: number, spacing: number): Promise<[number, number]> {
    const { minWidth, maxWidth } = await this.range();
    const width = Math.min(maxWidth, Math.max(minWidth, tickUpper - tickLower));
    if (width === tickUpper - tickLower) return [tickLower, tickUpper];
    const steps = Math.ceil(width / spacing);
    const mid = Math.round((tickLower + tickUpper) / 2 / spacing);
    const lower = (mid - Math.floor(steps / 2)) * spacing;
    return [lower, lower + Math.min(steps, Math.floor(maxWidth / spacing)) * spacing];
  }

  /** One vault rebalance: what it minted, the old position's fees and how the vault's idle tokens moved. */
  private async rebalance(tickLowerIn: number, tickUpperIn: number, gate: StepGate | undefined): Promise<RollResult> {
    const snap = await this.o.inner.poolSnapshot(this.o.poolId);
    const [tickLower, tickUpper] = await this.fit(tickLowerIn, tickUpperIn, this.o.tickSpacing);
    const [position, idle, totalAssets] = await Promise.all([this.vaultPosition(), this.idle(), this.vault.getFunction('totalAssets')() as Promise<bigint>]);
    const price = { sqrtPriceX96: snap.sqrtPriceX96, tick: snap.tick };
    const burnt = position === null ? { amount0: 0n, amount1: 0n } : principalAmounts(price, position.tickLower, position.tickUpper, position.liquidity, false);
    const q0 = this.o.quoteIsCurrency0;
    const all0 = idle.amount0 + burnt.amount0;
    const all1 = idle.amount1 + burnt.amount1;
    const { idleReserveBps } = await this.range();
    const swap = deploySwap({
      price, quoteIsCurrency0: q0, tickLower, tickUpper, quote: q0 ? all0 : all1, base: q0 ? all1 : all0, reserve: (totalAssets * idleReserveBps) / 10_000n,
    });
    // a swap below 0.1% of the vault's value is not worth its fee: the mint uses what fits
    const amountIn = swap.amountIn * 1_000n < totalAssets ? 0n : swap.amountIn;
    const data = this.vault.interface.encodeFunctionData('rebalance', [tickLower, tickUpper, swap.zeroForOne, amountIn]);
    gate?.('rebalance');
    const from = await this.o.sender.from();
    const gasLimit = gasWithHeadroom(await this.o.provider.estimateGas({ from, to: this.o.addresses.vault, data }).catch((err: unknown) => {
      throw this.refusal(err);
    }));
    const tx = await this.o.sender.send({ to: this.o.addresses.vault, data, label: `vault rebalance ${tickLower}..${tickUpper}`, gasLimit });
    const after = await this.idle(tx.blockNumber);
    const before = await this.idle(tx.blockNumber - 1);
    const r = this.readReceipt(tx.receipt);
    const post = await this.o.inner.poolSnapshot(this.o.poolId);
    const deposited = principalAmounts({ sqrtPriceX96: post.sqrtPriceX96, tick: post.tick }, r.position.tickLower, r.position.tickUpper, r.position.liquidity, true);
    const receipt: TxReceipt = { hash: tx.hash, blockNumber: tx.blockNumber, gasUsed: tx.gasUsed, gasPriceWei: tx.effectiveGasPrice };
    this.o.log.info({ poolId: this.o.poolId, tx: tx.hash, tokenId: r.position.tokenId, tickLower, tickUpper, swap: { zeroForOne: swap.zeroForOne, amountIn: amountIn.toString() }, gasUsed: tx.gasUsed.toString() }, 'vault rebalanced');
    return {
      position: r.position, fees0: r.fees0, fees1: r.fees1, amount0: deposited.amount0, amount1: deposited.amount1,
      returned0: after.amount0 - before.amount0, returned1: after.amount1 - before.amount1, receipt,
    };
  }

  /** An estimate's revert named with the vault's custom error, when it is one. */
  private refusal(err: unknown): unknown {
    const e = err as { data?: unknown; info?: { error?: { data?: unknown } } };
    const data = typeof e.data === 'string' ? e.data : typeof e.info?.error?.data === 'string' ? e.info.error.data : null;
    const parsed = data === null ? null : this.vault.interface.parseError(data);
    return parsed === null ? err : new VaultRebalanceRefusedError(parsed.name, parsed.args.map((a: unknown) => String(a)), err);
  }

  private readReceipt(receipt: TransactionReceipt): { position: OwnedPosition; fees0: bigint; fees1: bigint } {
    let position: OwnedPosition | null = null;
    let fees0 = 0n;
    let fees1 = 0n;
    for (const log of receipt.logs) {
      const e = decodeVaultLog(log, this.o.addresses);
      if (e === null) continue;
      if (e.kind === 'PositionCreated') position = { tokenId: e.tokenId.toString(), poolId: this.o.poolId, tickLower: e.tickLower, tickUpper: e.tickUpper, liquidity: e.liquidity };
      if (e.kind === 'PositionRebalanced') position = { tokenId: e.newTokenId.toString(), poolId: this.o.poolId, tickLower: e.tickLower, tickUpper: e.tickUpper, liquidity: e.liquidity };
      // the old position's fees (collected by its burn; the new one has none yet)
      if (e.kind === 'PositionFeesCollected') {
        fees0 += e.fees0;
        fees1 += e.fees1;
      }
    }
    if (position === null) throw new VaultRebalanceEventMissingError(receipt.hash);
    return { position, fees0, fees1 };
  }
}
