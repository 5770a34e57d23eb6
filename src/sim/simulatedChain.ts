/**
 * A ChainPort over simulated pools held in memory: the adapter backtests, tests and the
 * simulator-only demo (`rangekeeper start --simulated`) run the agent against. Amounts handed
 * back are raw bigint units like a real chain's; every transaction costs gas.
 *
 * Each pool is the exact v4 pool model (src/math/pool: Pool.sol, fee growth, ticks, to the wei),
 * initialized at the configured price (sqrtPriceX96 computed exactly from the human price and the
 * decimals) and seeded with other LPs' liquidity in several ranges around it (by default the
 * devnet's book, see backgroundLiquidity.ts), so the agent's position is a minority share, as on
 * a real pool:
 * - setPrice: an outside trader swaps the pool to the price (exact input, price limit at the
 *   target). The fee accrues to every in-range LP through fee growth, so our position earns its
 *   pro-rata share and nothing while out of range.
 * - mint: liquidity from the amounts by LiquidityAmounts.getLiquidityForAmounts, then
 *   modifyLiquidity; the tokens taken are what the pool computes (rounded up, as on chain).
 *   Positions are held by a PositionManager-like owner with salt = bytes32(tokenId).
 * - withdraw: modifyLiquidity(−liquidity): principal rounded down, plus the fees owed.
 * - roll, atomically (a multicall): withdraw the old position with its fees, swap through the
 *   same pool (exact input) the amount the on-chain port's planner (swap/rebalancePlan.ts) finds
 *   on the pool model: the one that leaves the proceeds in the new range's ratio at the price
 *   after the swap, its fee and price impact included; mint the new range with the proceeds.
 * - positionFees: fee growth inside the range since the position's last update × its liquidity.
 * Transactions are atomic: one that throws changes nothing. Gas is charged in the receipt only
 * (no native balance). The chain also reports each pool's model state, token reserves and what
 * outside traders paid in, for audits and tests.
 */
import { Subject, type Observable } from 'rxjs';
import type {
  ChainPort, HeldTokens, MintRequest, MintResult, OwnedPosition, PoolDescriptor, PoolLiquidity, PoolSnapshot, PositionFees, RollRequest, RollResult,
  TokenAmounts, TxReceipt, WithdrawResult,
} from '../actors/ports.js';
import { MathDomainError } from '../math/errors.js';
import { getLiquidityForAmounts } from '../math/liquidityAmounts.js';
import type { Pool, PoolSnapshot as PoolModelSnapshot } from '../math/pool/index.js';
import { MAX_TICK, MIN_TICK, getSqrtPriceAtTick } from '../math/tickMath.js';
import { WHOLE_PRICE_RANGE, openPriceLimit } from '../adapters/chain/swap/exactInQuote.js';
import { planRebalanceOnModel } from '../adapters/chain/swap/rebalancePlan.js';
import { planBackgroundLiquidity, type BackgroundLiquidityOptions, type BackgroundPosition } from './backgroundLiquidity.js';
import { SimulatedRpcError, SimulatedTxError } from './errors.js';
import { humanPriceToSqrtPriceX96, sqrtPriceX96ToHumanPrice } from './humanSqrtPrice.js';
import { SimulatedPool, type PoolTokenAmounts } from './simulatedPool.js';

export { SimulatedRpcError, SimulatedTxError } from './errors.js';
export type { BackgroundLiquidityOptions, BackgroundPosition, LiquidityBand } from './backgroundLiquidity.js';
export type { PoolTokenAmounts } from './simulatedPool.js';

export interface SimulatedPoolConfig extends PoolDescriptor {
  /** Initial human price, token1 per token0. */
  price: number;
  /** The other LPs of this pool (overrides the chain's `background`). */
  background?: BackgroundLiquidityOptions;
  /**
   * The pool model to use as it is, instead of one initialized at `price` with background
   * liquidity: a backtest's replayed pool (src/backtest/poolReplay.ts), which `drive` moves.
   */
  model?: Pool;
}

export interface SimulatedChainOptions {
  owner?: string;
  pools: SimulatedPoolConfig[];
  /** Wallet balances per token symbol, raw units. */
  balances: Record<string, bigint>;
  gasPriceWei?: bigint;
  /** Clock for block timestamps (ms). */
  now?: () => number;
  /** The other LPs of every pool (default: the devnet's book around the initial price). */
  background?: BackgroundLiquidityOptions;
}

/** The address holding the agent's positions in the pools (the PositionManager's role). */
export const SIMULATED_POSITION_MANAGER = '0x00000000000000000000000000000000005e4d11';

/** The pool salt of a position token: bytes32(tokenId), as v4's PositionManager uses. */
export function positionSalt(tokenId: string): string {
  return `0x${BigInt(tokenId).toString(16).padStart(64, '0')}`;
}

type TxOp = 'mint' | 'roll' | 'withdraw';
type AnyOp = TxOp | 'poolSnapshot' | 'ownedPositions' | 'positionFees' | 'gasPriceWei' | 'poolLiquidity';
const GAS: Record<TxOp, bigint> = { mint: 420_000n, roll: 780_000n, withdraw: 260_000n };

/** The working copies a transaction changes; kept only if it succeeds. */
interface Draft {
  pool: SimulatedPool;
  wallet: Map<string, bigint>;
}

/** A simulated chain: pools, a wallet, positions, blocks, gas. */
export class SimulatedChain implements ChainPort {
  readonly id = 'simulated';
  readonly owner: string;
  private readonly pools = new Map<string, SimulatedPool>();
  private readonly background = new Map<string, BackgroundPosition[]>();
  private readonly positions = new Map<string, OwnedPosition>();
  /** The positions of each pool (the same objects as `positions`): a pool's list without a scan of every pool's. */
  private readonly positionsOfPool = new Map<string, Map<string, OwnedPosition>>();
  private wallet = new Map<string, bigint>();
  /**
   * Each pool's books as the on-chain port keeps them (saga/poolBooks.ts): opened at the first
   * deposit, moved by exactly what each of the pool's transactions moved in the wallet, so the
   * PositionActor reconciles `held` the same way in backtests as on a chain.
   */
  private readonly books = new Map<string, { amount0: bigint; amount1: bigint }>();
  /** Σ of every pool's books per token symbol, kept as they move: a pool's shortfall without a scan of every pool's books. */
  private readonly booked = new Map<string, bigint>();
  private readonly subject = new Subject<PoolSnapshot>();
  private readonly failures = new Map<AnyOp, number>();
  private nextTokenId = 1;
  private block = 1;
  private gasPrice: bigint;
  private readonly now: () => number;
  /** Every transaction sent, in order (for audits and tests). */
  readonly transactions: { op: TxOp; poolId: string; at: number; hash: string }[] = [];
  readonly snapshots$: Observable<PoolSnapshot> = this.subject.asObservable();

  constructor(opts: SimulatedChainOptions) {
    this.owner = opts.owner ?? '0x00000000000000000000000000000000000a6e47';
    this.gasPrice = opts.gasPriceWei ?? 20_000_000_000n;
    this.now = opts.now ?? Date.now;
    for (const p of opts.pools) {
      const { price, background, model, ...desc } = p;
      if (model !== undefined) {
        this.pools.set(p.poolId, SimulatedPool.adopt(desc, model));
        continue;
      }
      const sqrtPriceX96 = humanPriceToSqrtPriceX96(price, desc.token0.decimals, desc.token1.decimals);
      const book = planBackgroundLiquidity(desc, sqrtPriceX96, background ?? opts.background);
      this.pools.set(p.poolId, SimulatedPool.open(desc, sqrtPriceX96, book));
      this.background.set(p.poolId, book);
    }
    for (const [sym, amount] of Object.entries(opts.balances)) this.wallet.set(sym, amount);
  }

  /** Makes the next `count` calls of `op` fail with a SimulatedRpcError. */
  failNext(op: AnyOp, count = 1): void {
    this.failures.set(op, (this.failures.get(op) ?? 0) + count);
  }

  private maybeFail(op: AnyOp): void {
    const n = this.failures.get(op) ?? 0;
    if (n > 0) {
      this.failures.set(op, n - 1);
      throw new SimulatedRpcError(op, 'connection reset (injected)');
    }
  }

  private pool(poolId: string): SimulatedPool {
    const p = this.pools.get(poolId);
    if (p === undefined) throw new SimulatedTxError('pool', poolId, `unknown pool ${poolId}`);
    return p;
  }

  /** Wallet balance of a token, raw units. */
  balanceOf(symbol: string): bigint {
    return this.wallet.get(symbol) ?? 0n;
  }

  setGasPriceWei(wei: bigint): void {
    this.gasPrice = wei;
  }

  /** The pool's complete exact state (src/math/pool snapshot: slot0, fee growth, ticks, positions). */
  poolState(poolId: string): PoolModelSnapshot {
    return this.pool(poolId).model.toSnapshot();
  }

  /** Tokens the pool holds, raw units. */
  poolReserves(poolId: string): PoolTokenAmounts {
    return this.pool(poolId).reserveAmounts;
  }

  /** Net tokens outside traders (setPrice) have paid into the pool so far, raw units. */
  marketPaidIn(poolId: string): PoolTokenAmounts {
    return this.pool(poolId).marketPaidIn;
  }

  /** The other LPs' positions the pool was seeded with. */
  backgroundPositions(poolId: string): BackgroundPosition[] {
    this.pool(poolId);
    return (this.background.get(poolId) ?? []).map((b) => ({ ...b }));
  }

  /**
   * Moves a pool's price: an outside trader swaps it to `human` (token1 per token0), paying the
   * pool fee, which accrues to the in-range LPs. Emits a snapshot.
   */
  setPrice(poolId: string, human: number): PoolSnapshot {
    const p = this.pool(poolId);
    p.marketSwapTo(humanPriceToSqrtPriceX96(human, p.desc.token0.decimals, p.desc.token1.decimals));
    this.block += 1;
    const snap = this.snapshotOf(p);
    this.subject.next(snap);
    return snap;
  }

  /**
   * The market moves a pool by other means than a swap to a price (a backtest replaying recorded
   * swaps, bars, liquidity changes on the pool model): `move` changes the live model in place,
   * as one block of other people's transactions. Emits a snapshot.
   */
  drive(poolId: string, move: (model: Pool) => void): PoolSnapshot {
    const p = this.pool(poolId);
    move(p.model);
    this.block += 1;
    const snap = this.snapshotOf(p);
    this.subject.next(snap);
    return snap;
  }

  /** The pool's live model (a transaction replaces it with its committed draft: read it again after one). */
  poolModel(poolId: string): Pool {
    return this.pool(poolId).model;
  }

  private snapshotOf(p: SimulatedPool): PoolSnapshot {
    const slot0 = p.model.getSlot0();
    return {
      poolId: p.desc.poolId,
      sqrtPriceX96: slot0.sqrtPriceX96,
      tick: slot0.tick,
      liquidity: p.model.getLiquidity(),
      price: sqrtPriceX96ToHumanPrice(slot0.sqrtPriceX96, p.desc.token0.decimals, p.desc.token1.decimals),
      blockNumber: this.block,
      at: this.now(),
    };
  }

  async poolSnapshot(poolId: string): Promise<PoolSnapshot> {
    this.maybeFail('poolSnapshot');
    return this.snapshotOf(this.pool(poolId));
  }

  /** The pool's initialized ticks (all of them: the model is complete) and fee growth, from the exact model. */
  async poolLiquidity(poolId: string): Promise<PoolLiquidity> {
    this.maybeFail('poolLiquidity');
    const m = this.pool(poolId).model;
    // the model's own reads (not a whole snapshot: its positions are not part of the answer)
    const { sqrtPriceX96, tick } = m.getSlot0();
    return {
      poolId, blockNumber: this.block, sqrtPriceX96, tick, liquidity: m.getLiquidity(), ...m.getFeeGrowthGlobals(),
      ticks: m.initializedTicks().map((t) => ({ tick: t.tick, ...t.info })), knownLower: MIN_TICK, knownUpper: MAX_TICK,
    };
  }

  async ownedPositions(poolId: string): Promise<OwnedPosition[]> {
    this.maybeFail('ownedPositions');
    return [...(this.positionsOfPool.get(poolId)?.values() ?? [])].map((pos) => ({ ...pos }));
  }

  async positionFees(position: OwnedPosition): Promise<PositionFees> {
    this.maybeFail('positionFees');
    const pos = this.positions.get(position.tokenId);
    if (pos === undefined) throw new SimulatedTxError('positionFees', position.tokenId, 'unknown token id');
    const owed = this.pool(pos.poolId).feesOwed(SIMULATED_POSITION_MANAGER, pos.tickLower, pos.tickUpper, positionSalt(pos.tokenId));
    return { fees0: owed.amount0, fees1: owed.amount1 };
  }

  async gasPriceWei(): Promise<bigint> {
    this.maybeFail('gasPriceWei');
    return this.gasPrice;
  }

  private receipt(op: TxOp, poolId: string): TxReceipt {
    this.block += 1;
    const hash = `0x${this.block.toString(16).padStart(64, '0')}`;
    this.transactions.push({ op, poolId, at: this.now(), hash });
    return { hash, blockNumber: this.block, gasUsed: GAS[op], gasPriceWei: this.gasPrice };
  }

  private checkTicks(op: string, p: SimulatedPool, lower: number, upper: number): void {
    const ts = p.desc.tickSpacing;
    if (!Number.isInteger(lower) || !Number.isInteger(upper) || lower >= upper || lower % ts !== 0 || upper % ts !== 0 || lower < MIN_TICK || upper > MAX_TICK) {
      throw new SimulatedTxError(op, { lower, upper }, `invalid range [${lower}, ${upper}] for tickSpacing ${ts}`);
    }
  }

  private setPosition(pos: OwnedPosition): void {
    this.positions.set(pos.tokenId, pos);
    let ofPool = this.positionsOfPool.get(pos.poolId);
    if (ofPool === undefined) {
      ofPool = new Map();
      this.positionsOfPool.set(pos.poolId, ofPool);
    }
    ofPool.set(pos.tokenId, pos);
  }

  private deletePosition(pos: OwnedPosition): void {
    this.positions.delete(pos.tokenId);
    this.positionsOfPool.get(pos.poolId)?.delete(pos.tokenId);
  }

  private openBook(p: SimulatedPool, held: TokenAmounts): void {
    const book = { amount0: 0n, amount1: 0n };
    this.books.set(p.desc.poolId, book);
    this.moveBook(book, p.desc.token0.symbol, p.desc.token1.symbol, held.amount0, held.amount1);
  }

  /** Moves a pool's books and the per-symbol total with them. */
  private moveBook(book: TokenAmounts, symbol0: string, symbol1: string, d0: bigint, d1: bigint): void {
    book.amount0 += d0;
    book.amount1 += d1;
    this.booked.set(symbol0, (this.booked.get(symbol0) ?? 0n) + d0);
    this.booked.set(symbol1, (this.booked.get(symbol1) ?? 0n) + d1);
  }

  /** Runs a transaction on copies of the pool and the wallet; keeps them only if it succeeds. */
  private transact<T>(op: TxOp, p: SimulatedPool, body: (d: Draft) => T): T {
    const draft: Draft = { pool: p.clone(), wallet: new Map(this.wallet) };
    let out: T;
    try {
      out = body(draft);
    } catch (err) {
      // a pool revert (PoolError) or a math domain error: the transaction reverts
      if (err instanceof MathDomainError) throw new SimulatedTxError(op, err.value, `reverted: ${err.message}`);
      throw err;
    }
    const book = this.books.get(p.desc.poolId);
    if (book !== undefined) {
      const { token0, token1 } = p.desc;
      this.moveBook(book, token0.symbol, token1.symbol, (draft.wallet.get(token0.symbol) ?? 0n) - (this.wallet.get(token0.symbol) ?? 0n), (draft.wallet.get(token1.symbol) ?? 0n) - (this.wallet.get(token1.symbol) ?? 0n));
    }
    this.pools.set(p.desc.poolId, draft.pool);
    this.wallet = draft.wallet;
    return out;
  }

  private static move(wallet: Map<string, bigint>, symbol: string, delta: bigint, op: string): void {
    const have = wallet.get(symbol) ?? 0n;
    if (have + delta < 0n) throw new SimulatedTxError(op, -delta, `insufficient ${symbol}: need ${-delta}, have ${have}`);
    wallet.set(symbol, have + delta);
  }

  /** Moves the caller's delta (negative = pays in) of the pool's two tokens into the wallet. */
  private static settle(d: Draft, delta: PoolTokenAmounts, op: string): void {
    SimulatedChain.move(d.wallet, d.pool.desc.token0.symbol, delta.amount0, op);
    SimulatedChain.move(d.wallet, d.pool.desc.token1.symbol, delta.amount1, op);
  }

  /** Mints the most liquidity max0/max1 fund on [lower, upper] as position `tokenId`. */
  private static addLiquidity(op: TxOp, d: Draft, tokenId: string, lower: number, upper: number, max0: bigint, max1: bigint): { position: OwnedPosition; amount0: bigint; amount1: bigint } {
    const { sqrtPriceX96 } = d.pool.model.getSlot0();
    const liquidity = getLiquidityForAmounts(sqrtPriceX96, getSqrtPriceAtTick(lower), getSqrtPriceAtTick(upper), max0, max1);
    if (liquidity === 0n) throw new SimulatedTxError(op, { max0, max1 }, 'amounts fund no liquidity');
    const r = d.pool.modifyLiquidity({ owner: SIMULATED_POSITION_MANAGER, tickLower: lower, tickUpper: upper, liquidityDelta: liquidity, salt: positionSalt(tokenId) });
    const amount0 = -r.callerDelta.amount0;
    const amount1 = -r.callerDelta.amount1;
    if (amount0 > max0 || amount1 > max1) throw new SimulatedTxError(op, { amount0, amount1, max0, max1 }, 'maximum amount exceeded');
    SimulatedChain.settle(d, r.callerDelta, op);
    const position: OwnedPosition = { tokenId, poolId: d.pool.desc.poolId, tickLower: lower, tickUpper: upper, liquidity };
    return { position, amount0, amount1 };
  }

  /** Removes all of a position's liquidity; the wallet receives principal and fees. */
  private static removeLiquidity(op: TxOp, d: Draft, pos: OwnedPosition): { principal: PoolTokenAmounts; fees: PoolTokenAmounts } {
    const r = d.pool.modifyLiquidity({ owner: SIMULATED_POSITION_MANAGER, tickLower: pos.tickLower, tickUpper: pos.tickUpper, liquidityDelta: -pos.liquidity, salt: positionSalt(pos.tokenId) });
    SimulatedChain.settle(d, r.callerDelta, op);
    return { principal: r.principalDelta, fees: r.feesAccrued };
  }

  private ownedPosition(op: TxOp, tokenId: string, poolId: string): OwnedPosition {
    const pos = this.positions.get(tokenId);
    if (pos === undefined) throw new SimulatedTxError(op, tokenId, 'unknown token id');
    if (pos.poolId !== poolId) throw new SimulatedTxError(op, { tokenId, poolId }, `token ${tokenId} is in pool ${pos.poolId}`);
    return pos;
  }

  async mint(req: MintRequest): Promise<MintResult> {
    this.maybeFail('mint');
    const p = this.pool(req.poolId);
    this.checkTicks('mint', p, req.tickLower, req.tickUpper);
    const tokenId = String(this.nextTokenId);
    // the first deposit opens the pool's books
    if (!this.books.has(p.desc.poolId)) this.openBook(p, { amount0: req.amount0Max, amount1: req.amount1Max });
    const m = this.transact('mint', p, (d) => SimulatedChain.addLiquidity('mint', d, tokenId, req.tickLower, req.tickUpper, req.amount0Max, req.amount1Max));
    this.nextTokenId += 1;
    this.setPosition(m.position);
    return { position: { ...m.position }, amount0: m.amount0, amount1: m.amount1, receipt: this.receipt('mint', req.poolId) };
  }

  /**
   * Withdraws the position with its fees, swaps through the pool the share of value the new range
   * needs, and mints the new range with the proceeds, atomically.
   */
  async roll(req: RollRequest): Promise<RollResult> {
    this.maybeFail('roll');
    const p = this.pool(req.poolId);
    const old = this.ownedPosition('roll', req.tokenId, req.poolId);
    this.checkTicks('roll', p, req.tickLower, req.tickUpper);
    const tokenId = String(this.nextTokenId);
    const r = this.transact('roll', p, (d) => {
      const burned = SimulatedChain.removeLiquidity('roll', d, old);
      let avail0 = burned.principal.amount0 + burned.fees.amount0;
      let avail1 = burned.principal.amount1 + burned.fees.amount1;
      const have = { amount0: avail0, amount1: avail1 };
      const plan = planRebalanceOnModel({ pool: d.pool.model, knownRange: WHOLE_PRICE_RANGE }, have, { tickLower: req.tickLower, tickUpper: req.tickUpper }, have);
      if (plan !== null) {
        const s = d.pool.swapExactIn(plan.zeroForOne, plan.amountIn, openPriceLimit(plan.zeroForOne));
        SimulatedChain.settle(d, s, 'roll');
        avail0 += s.amount0;
        avail1 += s.amount1;
      }
      const minted = SimulatedChain.addLiquidity('roll', d, tokenId, req.tickLower, req.tickUpper, avail0, avail1);
      return { burned, minted, returned0: avail0 - minted.amount0, returned1: avail1 - minted.amount1 };
    });
    this.nextTokenId += 1;
    this.deletePosition(old);
    this.setPosition(r.minted.position);
    return {
      position: { ...r.minted.position }, fees0: r.burned.fees.amount0, fees1: r.burned.fees.amount1,
      amount0: r.minted.amount0, amount1: r.minted.amount1, returned0: r.returned0, returned1: r.returned1,
      receipt: this.receipt('roll', req.poolId),
    };
  }

  /** The pool's held tokens from its books, with how much less of each the wallet holds than all pools' books. */
  async heldTokens(poolId: string): Promise<HeldTokens | null> {
    const p = this.pool(poolId);
    const book = this.books.get(p.desc.poolId);
    if (book === undefined) return null;
    const short = (symbol: string): bigint => {
      const booked = this.booked.get(symbol) ?? 0n;
      const have = this.wallet.get(symbol) ?? 0n;
      return have >= booked ? 0n : booked - have;
    };
    return { ...book, shortfall0: short(p.desc.token0.symbol), shortfall1: short(p.desc.token1.symbol) };
  }

  /** Opens the pool's books at `held` unless they exist (an agent restored from a checkpoint). */
  async adoptBooks(poolId: string, held: TokenAmounts): Promise<HeldTokens> {
    const p = this.pool(poolId);
    if (!this.books.has(p.desc.poolId)) this.openBook(p, held);
    return (await this.heldTokens(poolId))!;
  }

  async withdraw(position: OwnedPosition): Promise<WithdrawResult> {
    this.maybeFail('withdraw');
    const pos = this.positions.get(position.tokenId);
    if (pos === undefined) throw new SimulatedTxError('withdraw', position.tokenId, 'unknown token id');
    const p = this.pool(pos.poolId);
    const b = this.transact('withdraw', p, (d) => SimulatedChain.removeLiquidity('withdraw', d, pos));
    this.deletePosition(pos);
    return {
      amount0: b.principal.amount0, amount1: b.principal.amount1, fees0: b.fees.amount0, fees1: b.fees.amount1,
      receipt: this.receipt('withdraw', pos.poolId),
    };
  }

  /** Ends the snapshot stream. */
  close(): void {
    this.subject.complete();
  }
}
