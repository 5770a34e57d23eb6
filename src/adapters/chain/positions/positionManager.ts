/**
 * Uniswap v4 positions through the periphery PositionManager: mint, increase, decrease,
 * collect (decrease by 0 + TAKE_PAIR), burn, and a range roll (decrease all + burn + mint in
 * ONE modifyLiquidities transaction). Slippage bounds come from our exact math
 * (positionAmounts.ts) around the slot0 price read just before sending; token flows are read
 * back from the receipt's ERC20 Transfer logs.
 */
import { Contract, Interface, ZeroAddress, getAddress, isCallException, toBeHex, zeroPadValue, type Log, type Provider, type TransactionReceipt } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import { feesOwed, getLiquidityForAmounts, getSqrtPriceAtTick } from '../../../math/index.js';
import { poolIdOf, type PoolKey } from '../poolId.js';
import { StateViewReader } from '../stateView.js';
import type { SignedTx, TxResult, TxSender } from '../tx/sender.js';
import { ERC20_ABI } from '../abi/erc20.js';
import { POSITION_MANAGER_ABI } from './abi.js';
import { encodeModifyLiquidities, type PositionAction } from './actions.js';
import { findOwnedTokenIds } from './ownership.js';
import { decodePositionInfo } from './positionInfo.js';
import { maxAmountsForAdd, minAmountsForRemove, principalAmounts, type PoolPrice, type PrincipalAmounts } from './positionAmounts.js';
import { ensurePermit2Allowance, PERMIT2_ADDRESS } from './permit2.js';

/** A PositionManager position as read from chain. */
export interface PositionView {
  tokenId: bigint;
  owner: string;
  poolKey: PoolKey;
  poolId: string;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  hasSubscriber: boolean;
}

/** Fees a position has earned and not yet collected, raw units. */
export interface UncollectedFees {
  amount0: bigint;
  amount1: bigint;
}

/** Token movements of one transaction between the owner's side and the PoolManager (ERC20 Transfer logs). */
export interface TokenFlows {
  /** Paid into the PoolManager by the sender. */
  paid0: bigint;
  paid1: bigint;
  /** Paid out of the PoolManager to the recipient. */
  received0: bigint;
  received1: bigint;
}

/** Result of any position transaction. */
export interface PositionTxResult {
  tx: TxResult;
  flows: TokenFlows;
}

/** Result of a mint: the new token id and the liquidity asked for. */
export interface MintResult extends PositionTxResult {
  tokenId: bigint;
  liquidity: bigint;
  /** The amounts our math says the mint takes at the price read before sending (rounded up as the pool does). */
  expected: PrincipalAmounts;
}

/** Result of a roll: the burned and the new token ids. */
export interface RollResult extends PositionTxResult {
  oldTokenId: bigint;
  newTokenId: bigint;
  newLiquidity: bigint;
}

/** Mint: give `liquidity`, or the amounts to deposit (the largest liquidity they fund is used). */
export interface MintRequest {
  poolKey: PoolKey;
  tickLower: number;
  tickUpper: number;
  liquidity?: bigint;
  amount0Desired?: bigint;
  amount1Desired?: bigint;
  /** NFT owner; default the sender. */
  recipient?: string;
  /** Price tolerance for amount0Max/amount1Max, bps; default the client's. */
  slippageBps?: number;
  hookData?: string;
  /** Called with each signed version of the transaction before it is broadcast (journaling); see TxRequest. */
  beforeBroadcast?: (signed: SignedTx) => Promise<void>;
}

/** Increase an existing position by `liquidity`. */
export interface IncreaseRequest {
  tokenId: bigint;
  liquidity: bigint;
  slippageBps?: number;
  hookData?: string;
}

/** Decrease by `liquidity` (default: all of it); principal and fees go to `recipient` (default the sender). */
export interface DecreaseRequest {
  tokenId: bigint;
  liquidity?: bigint;
  recipient?: string;
  slippageBps?: number;
  hookData?: string;
}

/** Collect fees only. */
export interface CollectRequest {
  tokenId: bigint;
  recipient?: string;
  hookData?: string;
}

/** Burn (withdraws any remaining liquidity and fees to `recipient`). */
export interface BurnRequest {
  tokenId: bigint;
  recipient?: string;
  slippageBps?: number;
  hookData?: string;
  /** Called with each signed version of the transaction before it is broadcast (journaling); see TxRequest. */
  beforeBroadcast?: (signed: SignedTx) => Promise<void>;
}

/**
 * Roll a position to a new range in one transaction. The new liquidity defaults to the largest
 * the old position's principal + fees can fund on the new range at the current price; whatever
 * is left over (or missing, up to the mint's slippage bounds) is settled with the owner by
 * CLOSE_CURRENCY.
 */
export interface RollRequest {
  tokenId: bigint;
  tickLower: number;
  tickUpper: number;
  /** Explicit new liquidity instead of the default. */
  liquidity?: bigint;
  /**
   * Tokens to add to (positive) or take from (negative) what the old position returns before the
   * new liquidity is sized: a re-balancing swap's net flows (its output from the wallet, its input
   * already spent). What is left after a negative one is floored at 0.
   */
  extra0?: bigint;
  extra1?: bigint;
  slippageBps?: number;
  hookData?: string;
  /** Called with each signed version of the transaction before it is broadcast (journaling); see TxRequest. */
  beforeBroadcast?: (signed: SignedTx) => Promise<void>;
}

/** Everything the client needs. */
export interface PositionManagerClientOptions {
  positionManager: string;
  stateView: string;
  provider: Provider;
  sender: TxSender;
  logger: Logger;
  permit2?: string;
  /** Seconds from the latest block's timestamp until modifyLiquidities' deadline; default 300. */
  deadlineSeconds?: number;
  /** Default price tolerance for slippage bounds, bps; default 50 (0.5%). */
  slippageBps?: number;
}

/** A request that cannot be turned into a transaction. */
export class PositionRequestError extends Error {
  override readonly name = 'PositionRequestError';
  constructor(readonly field: string, readonly value: unknown, reason: string) {
    super(`positions: ${field} = ${String(value)}: ${reason}`);
  }
}

/** The token id names no live position (never minted, or burned). */
export class PositionNotFoundError extends Error {
  override readonly name = 'PositionNotFoundError';
  constructor(readonly tokenId: bigint, readonly positionManager: string) {
    super(`positions: token ${tokenId} has no position on PositionManager ${positionManager}`);
  }
}

/** ownerOf's revert for a token that does not exist (burned, or never minted). */
function isNotMinted(err: unknown): boolean {
  return isCallException(err) && err.reason === 'NOT_MINTED';
}

const pmIface = new Interface(POSITION_MANAGER_ABI);
const erc20Iface = new Interface(ERC20_ABI);
const NFT_TRANSFER = pmIface.getEvent('Transfer')!.topicHash;
const ERC20_TRANSFER = erc20Iface.getEvent('Transfer')!.topicHash;
const MAX_UINT128 = (1n << 128n) - 1n;

/** Client for one PositionManager, sending through one TxSender (one signer). */
export class PositionManagerClient {
  readonly address: string;
  readonly stateView: StateViewReader;
  private readonly contract: Contract;
  private readonly provider: Provider;
  private readonly sender: TxSender;
  private readonly log: Logger;
  private readonly permit2: string;
  private readonly deadlineSeconds: number;
  private readonly slippageBps: number;
  private poolManager: string | null = null;

  constructor(opts: PositionManagerClientOptions) {
    this.address = getAddress(opts.positionManager);
    this.provider = opts.provider;
    this.sender = opts.sender;
    this.log = opts.logger.child({ module: 'positions' });
    this.contract = new Contract(this.address, POSITION_MANAGER_ABI, opts.provider);
    this.stateView = new StateViewReader(opts.stateView, opts.provider);
    this.permit2 = getAddress(opts.permit2 ?? PERMIT2_ADDRESS);
    this.deadlineSeconds = opts.deadlineSeconds ?? 300;
    this.slippageBps = opts.slippageBps ?? 50;
  }

  /** The PoolManager behind this PositionManager (read once). */
  async poolManagerAddress(): Promise<string> {
    this.poolManager ??= getAddress((await this.contract.getFunction('poolManager')()) as string);
    return this.poolManager;
  }

  /** Reads a position: pool key, range and subscriber flag (getPoolAndPositionInfo) and liquidity. */
  async read(tokenId: bigint): Promise<PositionView> {
    const [keyRaw, infoRaw] = (await this.contract.getFunction('getPoolAndPositionInfo')(tokenId)) as [[string, string, bigint, bigint, string], bigint];
    if (infoRaw === 0n) throw new PositionNotFoundError(tokenId, this.address);
    const info = decodePositionInfo(infoRaw);
    const poolKey: PoolKey = { currency0: getAddress(keyRaw[0]), currency1: getAddress(keyRaw[1]), fee: Number(keyRaw[2]), tickSpacing: Number(keyRaw[3]), hooks: getAddress(keyRaw[4]) };
    const [liquidity, owner] = await Promise.all([
      this.contract.getFunction('getPositionLiquidity')(tokenId) as Promise<bigint>,
      this.contract.getFunction('ownerOf')(tokenId) as Promise<string>,
    ]);
    return { tokenId, owner: getAddress(owner), poolKey, poolId: poolIdOf(poolKey), tickLower: info.tickLower, tickUpper: info.tickUpper, liquidity, hasSubscriber: info.hasSubscriber };
  }

  /** Finds and reads every position `owner` holds, replaying NFT Transfers from `fromBlock`. */
  async positionsOf(owner: string, fromBlock: number, chunkSize?: number): Promise<PositionView[]> {
    const scan = await findOwnedTokenIds({ provider: this.provider, positionManager: this.address, owner, fromBlock, ...(chunkSize === undefined ? {} : { chunkSize }) });
    // a token burned since the scan (a roll or a withdraw sent meanwhile, by this process or another
    // sharing the wallet) is owned no more: skipped, not a failed reconciliation of every pool
    const views = await Promise.all(scan.tokenIds.map((id) => this.read(id).catch((err: unknown) => {
      if (err instanceof PositionNotFoundError || isNotMinted(err)) return null;
      throw err;
    })));
    return views.filter((v): v is PositionView => v !== null);
  }

  /**
   * Fees the position has earned and not collected: feesOwed(L, feeGrowthInside now from
   * StateView, feeGrowthInsideLast of the PoolManager position owned by PositionManager with
   * salt = bytes32(tokenId)). Exactly what collect pays when nothing trades in between.
   */
  async uncollectedFees(position: Pick<PositionView, 'tokenId' | 'poolId' | 'tickLower' | 'tickUpper'>): Promise<UncollectedFees> {
    const salt = zeroPadValue(toBeHex(position.tokenId), 32);
    const [pos, inside] = await Promise.all([
      this.stateView.getPositionInfo(position.poolId, this.address, position.tickLower, position.tickUpper, salt),
      this.stateView.getFeeGrowthInside(position.poolId, position.tickLower, position.tickUpper),
    ]);
    return {
      amount0: feesOwed(pos.liquidity, inside.feeGrowth0X128, pos.feeGrowthInside0LastX128),
      amount1: feesOwed(pos.liquidity, inside.feeGrowth1X128, pos.feeGrowthInside1LastX128),
    };
  }

  /** The pool's slot0 price now. */
  async price(poolId: string): Promise<PoolPrice> {
    const s = await this.stateView.getSlot0(poolId);
    return { sqrtPriceX96: s.sqrtPriceX96, tick: s.tick };
  }

  /** Approves both pool currencies for PositionManager through Permit2 (up to the given amounts). */
  async approve(poolKey: PoolKey, amount0: bigint, amount1: bigint): Promise<void> {
    for (const [token, amount] of [[poolKey.currency0, amount0], [poolKey.currency1, amount1]] as const) {
      if (amount === 0n) continue;
      await ensurePermit2Allowance({ sender: this.sender, provider: this.provider, token, spender: this.address, amount, permit2: this.permit2 });
    }
  }

  /** Mints a new position; approvals through Permit2 are made as needed. */
  async mint(req: MintRequest): Promise<MintResult> {
    const poolId = poolIdOf(req.poolKey);
    assertRange(req.tickLower, req.tickUpper, req.poolKey.tickSpacing);
    const price = await this.price(poolId);
    const liquidity = req.liquidity ?? liquidityFor(price, req.tickLower, req.tickUpper, req.amount0Desired, req.amount1Desired);
    assertLiquidity(liquidity);
    const bps = req.slippageBps ?? this.slippageBps;
    const expected = principalAmounts(price, req.tickLower, req.tickUpper, liquidity, true);
    const max = maxAmountsForAdd(price, req.tickLower, req.tickUpper, liquidity, bps);
    await this.approve(req.poolKey, max.amount0Max, max.amount1Max);
    const owner = req.recipient ?? (await this.sender.from());
    const actions: PositionAction[] = [
      { type: 'MINT_POSITION', poolKey: req.poolKey, tickLower: req.tickLower, tickUpper: req.tickUpper, liquidity, amount0Max: max.amount0Max, amount1Max: max.amount1Max, owner, ...hook(req.hookData) },
      { type: 'SETTLE_PAIR', currency0: req.poolKey.currency0, currency1: req.poolKey.currency1 },
      ...this.sweepNative(req.poolKey, await this.sender.from()),
    ];
    const value = isNative(req.poolKey) ? max.amount0Max : 0n;
    const r = await this.execute(actions, `mint ${poolId.slice(0, 10)} [${req.tickLower},${req.tickUpper})`, value, req.beforeBroadcast);
    const tokenId = mintedTokenId(r.tx.receipt, this.address);
    this.log.info({ tokenId: tokenId.toString(), liquidity: liquidity.toString(), hash: r.tx.hash }, 'position minted');
    return { ...r, tokenId, liquidity, expected };
  }

  /** Adds `liquidity` to an existing position (fees accrued so far are credited against the payment). */
  async increase(req: IncreaseRequest): Promise<PositionTxResult> {
    assertLiquidity(req.liquidity);
    const pos = await this.read(req.tokenId);
    const price = await this.price(pos.poolId);
    const max = maxAmountsForAdd(price, pos.tickLower, pos.tickUpper, req.liquidity, req.slippageBps ?? this.slippageBps);
    await this.approve(pos.poolKey, max.amount0Max, max.amount1Max);
    const me = await this.sender.from();
    const actions: PositionAction[] = [
      { type: 'INCREASE_LIQUIDITY', tokenId: req.tokenId, liquidity: req.liquidity, amount0Max: max.amount0Max, amount1Max: max.amount1Max, ...hook(req.hookData) },
      // fees may exceed the cost in one currency: close each side (pay or take) instead of SETTLE_PAIR
      { type: 'CLOSE_CURRENCY', currency: pos.poolKey.currency0 },
      { type: 'CLOSE_CURRENCY', currency: pos.poolKey.currency1 },
      ...this.sweepNative(pos.poolKey, me),
    ];
    return this.execute(actions, `increase #${req.tokenId}`, isNative(pos.poolKey) ? max.amount0Max : 0n);
  }

  /** Removes liquidity (default all) and takes principal + fees to the recipient. */
  async decrease(req: DecreaseRequest): Promise<PositionTxResult> {
    const pos = await this.read(req.tokenId);
    const liquidity = req.liquidity ?? pos.liquidity;
    if (liquidity > pos.liquidity) throw new PositionRequestError('liquidity', liquidity, `position #${req.tokenId} holds only ${pos.liquidity}`);
    const price = await this.price(pos.poolId);
    const min = minAmountsForRemove(price, pos.tickLower, pos.tickUpper, liquidity, req.slippageBps ?? this.slippageBps);
    const to = req.recipient ?? (await this.sender.from());
    return this.execute([
      { type: 'DECREASE_LIQUIDITY', tokenId: req.tokenId, liquidity, amount0Min: min.amount0Min, amount1Min: min.amount1Min, ...hook(req.hookData) },
      { type: 'TAKE_PAIR', currency0: pos.poolKey.currency0, currency1: pos.poolKey.currency1, recipient: to },
    ], `decrease #${req.tokenId}`);
  }

  /** Collects the position's fees: DECREASE_LIQUIDITY by 0, then TAKE_PAIR. */
  async collect(req: CollectRequest): Promise<PositionTxResult> {
    const pos = await this.read(req.tokenId);
    const to = req.recipient ?? (await this.sender.from());
    return this.execute([
      { type: 'DECREASE_LIQUIDITY', tokenId: req.tokenId, liquidity: 0n, amount0Min: 0n, amount1Min: 0n, ...hook(req.hookData) },
      { type: 'TAKE_PAIR', currency0: pos.poolKey.currency0, currency1: pos.poolKey.currency1, recipient: to },
    ], `collect #${req.tokenId}`);
  }

  /** Burns the NFT; remaining liquidity and fees go to the recipient (bounded by amount mins). */
  async burn(req: BurnRequest): Promise<PositionTxResult> {
    const pos = await this.read(req.tokenId);
    const price = await this.price(pos.poolId);
    const min = minAmountsForRemove(price, pos.tickLower, pos.tickUpper, pos.liquidity, req.slippageBps ?? this.slippageBps);
    const to = req.recipient ?? (await this.sender.from());
    return this.execute([
      { type: 'BURN_POSITION', tokenId: req.tokenId, amount0Min: min.amount0Min, amount1Min: min.amount1Min, ...hook(req.hookData) },
      { type: 'TAKE_PAIR', currency0: pos.poolKey.currency0, currency1: pos.poolKey.currency1, recipient: to },
    ], `burn #${req.tokenId}`, 0n, req.beforeBroadcast);
  }

  /**
   * Plans a roll without sending it: the actions (DECREASE all, BURN, MINT new range,
   * CLOSE_CURRENCY ×2 [, SWEEP native]), the new liquidity and the ETH value to attach.
   */
  async planRoll(req: RollRequest): Promise<{ position: PositionView; actions: PositionAction[]; newLiquidity: bigint; value: bigint }> {
    const pos = await this.read(req.tokenId);
    assertRange(req.tickLower, req.tickUpper, pos.poolKey.tickSpacing);
    const bps = req.slippageBps ?? this.slippageBps;
    const [price, fees] = await Promise.all([this.price(pos.poolId), this.uncollectedFees(pos)]);
    const out = principalAmounts(price, pos.tickLower, pos.tickUpper, pos.liquidity, false);
    const newLiquidity = req.liquidity ?? liquidityFor(price, req.tickLower, req.tickUpper, atLeast0(out.amount0 + fees.amount0 + (req.extra0 ?? 0n)), atLeast0(out.amount1 + fees.amount1 + (req.extra1 ?? 0n)));
    assertLiquidity(newLiquidity);
    const min = minAmountsForRemove(price, pos.tickLower, pos.tickUpper, pos.liquidity, bps);
    const max = maxAmountsForAdd(price, req.tickLower, req.tickUpper, newLiquidity, bps);
    const me = await this.sender.from();
    const { currency0, currency1 } = pos.poolKey;
    const actions: PositionAction[] = [
      { type: 'DECREASE_LIQUIDITY', tokenId: req.tokenId, liquidity: pos.liquidity, amount0Min: min.amount0Min, amount1Min: min.amount1Min, ...hook(req.hookData) },
      { type: 'BURN_POSITION', tokenId: req.tokenId, amount0Min: 0n, amount1Min: 0n, ...hook(req.hookData) },
      { type: 'MINT_POSITION', poolKey: pos.poolKey, tickLower: req.tickLower, tickUpper: req.tickUpper, liquidity: newLiquidity, amount0Max: max.amount0Max, amount1Max: max.amount1Max, owner: pos.owner, ...hook(req.hookData) },
      { type: 'CLOSE_CURRENCY', currency: currency0 },
      { type: 'CLOSE_CURRENCY', currency: currency1 },
      ...this.sweepNative(pos.poolKey, me),
    ];
    return { position: pos, actions, newLiquidity, value: isNative(pos.poolKey) ? max.amount0Max : 0n };
  }

  /**
   * Rolls the position to [tickLower, tickUpper) in ONE modifyLiquidities transaction:
   * decrease all (bounded by amount mins) + burn + mint (bounded by amount maxes) + close both
   * currencies with the owner. The sender must own the position (or be approved for it).
   */
  async roll(req: RollRequest): Promise<RollResult> {
    const plan = await this.planRoll(req);
    const mint = plan.actions.find((a) => a.type === 'MINT_POSITION');
    if (mint?.type === 'MINT_POSITION') await this.approve(plan.position.poolKey, mint.amount0Max, mint.amount1Max);
    const r = await this.execute(plan.actions, `roll #${req.tokenId} -> [${req.tickLower},${req.tickUpper})`, plan.value, req.beforeBroadcast);
    const newTokenId = mintedTokenId(r.tx.receipt, this.address);
    this.log.info({ oldTokenId: req.tokenId.toString(), newTokenId: newTokenId.toString(), hash: r.tx.hash }, 'position rolled');
    return { ...r, oldTokenId: req.tokenId, newTokenId, newLiquidity: plan.newLiquidity };
  }

  /** Encodes and sends modifyLiquidities(actions, now + deadlineSeconds); returns the receipt and token flows. */
  async execute(actions: readonly PositionAction[], label: string, value = 0n, beforeBroadcast?: (signed: SignedTx) => Promise<void>): Promise<PositionTxResult> {
    const block = await this.provider.getBlock('latest');
    const deadline = BigInt((block?.timestamp ?? Math.floor(Date.now() / 1000)) + this.deadlineSeconds);
    const data = encodeModifyLiquidities(actions, deadline);
    const tx = await this.sender.send({ to: this.address, data, value, label, ...(beforeBroadcast === undefined ? {} : { beforeBroadcast }) });
    const key = actions.find((a) => a.type === 'SETTLE_PAIR' || a.type === 'TAKE_PAIR' || a.type === 'CLOSE_CURRENCY');
    const currencies = key === undefined ? [] : key.type === 'CLOSE_CURRENCY'
      ? actions.filter((a) => a.type === 'CLOSE_CURRENCY').map((a) => (a.type === 'CLOSE_CURRENCY' ? a.currency : ZeroAddress))
      : [key.currency0, key.currency1];
    return { tx, flows: tokenFlows(tx.receipt, currencies[0] ?? ZeroAddress, currencies[1] ?? ZeroAddress, await this.poolManagerAddress()) };
  }

  private sweepNative(key: PoolKey, to: string): PositionAction[] {
    return isNative(key) ? [{ type: 'SWEEP', currency: ZeroAddress, recipient: to }] : [];
  }
}

function atLeast0(x: bigint): bigint {
  return x < 0n ? 0n : x;
}

function hook(hookData: string | undefined): { hookData?: string } {
  return hookData === undefined ? {} : { hookData };
}

function isNative(key: PoolKey): boolean {
  return getAddress(key.currency0) === ZeroAddress;
}

function assertRange(tickLower: number, tickUpper: number, tickSpacing: number): void {
  if (!(tickLower < tickUpper)) throw new PositionRequestError('tickLower', tickLower, `must be below tickUpper ${tickUpper}`);
  if (tickLower % tickSpacing !== 0) throw new PositionRequestError('tickLower', tickLower, `must be a multiple of tickSpacing ${tickSpacing}`);
  if (tickUpper % tickSpacing !== 0) throw new PositionRequestError('tickUpper', tickUpper, `must be a multiple of tickSpacing ${tickSpacing}`);
}

function assertLiquidity(liquidity: bigint): void {
  if (liquidity <= 0n || liquidity > MAX_UINT128) throw new PositionRequestError('liquidity', liquidity, 'must be in (0, 2^128)');
}

/** The largest liquidity the amounts fund on the range at the price (LiquidityAmounts.getLiquidityForAmounts). */
export function liquidityFor(price: PoolPrice, tickLower: number, tickUpper: number, amount0: bigint | undefined, amount1: bigint | undefined): bigint {
  if (amount0 === undefined && amount1 === undefined) throw new PositionRequestError('liquidity', undefined, 'give liquidity or amount0Desired/amount1Desired');
  return getLiquidityForAmounts(price.sqrtPriceX96, getSqrtPriceAtTick(tickLower), getSqrtPriceAtTick(tickUpper), amount0 ?? 0n, amount1 ?? 0n);
}

/** The token id minted in `receipt` (PositionManager Transfer from address 0). */
export function mintedTokenId(receipt: TransactionReceipt, positionManager: string): bigint {
  const pm = getAddress(positionManager);
  const log = receipt.logs.find((l: Log) => getAddress(l.address) === pm && l.topics[0] === NFT_TRANSFER && BigInt(l.topics[1]!) === 0n);
  if (log === undefined) throw new PositionRequestError('receipt', receipt.hash, 'no position was minted in this transaction');
  return BigInt(log.topics[3]!);
}

/** ERC20 flows into and out of the PoolManager for the two currencies in `receipt`. Native ETH is not visible in logs (0). */
export function tokenFlows(receipt: TransactionReceipt, currency0: string, currency1: string, poolManager: string): TokenFlows {
  const pm = BigInt(getAddress(poolManager));
  const flows: TokenFlows = { paid0: 0n, paid1: 0n, received0: 0n, received1: 0n };
  const c0 = getAddress(currency0);
  const c1 = getAddress(currency1);
  for (const l of receipt.logs) {
    if (l.topics[0] !== ERC20_TRANSFER || l.topics.length !== 3) continue;
    const token = getAddress(l.address);
    if (token !== c0 && token !== c1) continue;
    const amount = BigInt(l.data);
    const from = BigInt(l.topics[1]!);
    const to = BigInt(l.topics[2]!);
    const zero = token === c0;
    if (to === pm && from !== pm) {
      if (zero) flows.paid0 += amount; else flows.paid1 += amount;
    } else if (from === pm && to !== pm) {
      if (zero) flows.received0 += amount; else flows.received1 += amount;
    }
  }
  return flows;
}
