/**
 * A ChainPort over simulated pools held in memory: the adapter backtests, tests and the
 * simulator-only demo run the agent against. Prices are driven from outside (setPrice, or a
 * reference-price stream); positions accrue fees from the price moves they absorb; every
 * transaction costs gas. Amounts handed back are raw bigint units like a real chain's.
 *
 * It is an economic model, not a bit-exact v4 pool: liquidity maths is float64
 * (src/math positionAmounts / liquidityForAmountsFloat) rounded down to bigint, and a position earns the whole
 * fee of the volume that crosses its own liquidity (no other LPs).
 */
import { Subject, type Observable } from 'rxjs';
import type {
  ChainPort, MintRequest, MintResult, OwnedPosition, PoolDescriptor, PoolSnapshot, PositionFees, RollRequest, RollResult,
  TxReceipt, WithdrawResult,
} from '../../../actors/ports.js';
import { rangeAmounts as amountsForLiquidity } from '../../../actors/position/rangeAmounts.js';
import { liquidityForAmountsFloat } from '../../../math/liquidityForAmountsFloat.js';
import { humanToRawPrice as rawPrice, priceToTick, rawToHumanPrice as humanPrice, tickToPrice } from '../../../math/priceTick.js';
import { MAX_TICK, MIN_TICK } from '../../../math/tickMath.js';

/** An RPC-level failure of the simulated node (used to exercise error handling). */
export class SimulatedRpcError extends Error {
  override readonly name = 'SimulatedRpcError';
  constructor(readonly operation: string, message: string) {
    super(`simulated rpc: ${operation}: ${message}`);
  }
}

/** A rejected transaction (bad ticks, unknown token, empty wallet). */
export class SimulatedTxError extends Error {
  override readonly name = 'SimulatedTxError';
  constructor(readonly operation: string, readonly value: unknown, message: string) {
    super(`simulated tx ${operation}: ${message}`);
  }
}

export interface SimulatedPoolConfig extends PoolDescriptor {
  /** Initial human price, token1 per token0. */
  price: number;
}

export interface SimulatedChainOptions {
  owner?: string;
  pools: SimulatedPoolConfig[];
  /** Wallet balances per token symbol, raw units. */
  balances: Record<string, bigint>;
  gasPriceWei?: bigint;
  /** Clock for block timestamps (ms). */
  now?: () => number;
}

interface PoolSim {
  desc: PoolDescriptor;
  rawPrice: number;
  tick: number;
}

interface PositionSim {
  pos: OwnedPosition;
  liquidity: number;
  fees0: number;
  fees1: number;
}

type TxOp = 'mint' | 'roll' | 'withdraw';
type AnyOp = TxOp | 'poolSnapshot' | 'ownedPositions' | 'positionFees' | 'gasPriceWei';
const GAS: Record<TxOp, bigint> = { mint: 420_000n, roll: 780_000n, withdraw: 260_000n };

const Q96 = 2 ** 96;

function floorBig(x: number): bigint {
  return x > 0 && Number.isFinite(x) ? BigInt(Math.floor(x)) : 0n;
}

/** A simulated chain: pools, a wallet, positions, blocks, gas. */
export class SimulatedChain implements ChainPort {
  readonly id = 'simulated';
  readonly owner: string;
  private readonly pools = new Map<string, PoolSim>();
  private readonly positions = new Map<string, PositionSim>();
  private readonly wallet = new Map<string, bigint>();
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
      const raw = rawPrice(p.price, p.token0.decimals, p.token1.decimals);
      const { price: _price, ...desc } = p;
      this.pools.set(p.poolId, { desc, rawPrice: raw, tick: priceToTick(raw) });
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

  private pool(poolId: string): PoolSim {
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

  /**
   * Moves a pool's price (a swap by someone else): positions in range absorb the move and earn
   * the pool fee on the token paid in. Emits a snapshot.
   */
  setPrice(poolId: string, human: number): PoolSnapshot {
    const p = this.pool(poolId);
    const raw = rawPrice(human, p.desc.token0.decimals, p.desc.token1.decimals);
    const tick = raw <= tickToPrice(MIN_TICK + 1) ? MIN_TICK + 1 : raw >= tickToPrice(MAX_TICK - 1) ? MAX_TICK - 1 : priceToTick(raw);
    const feeRate = p.desc.fee / 1_000_000;
    for (const s of this.positions.values()) {
      if (s.pos.poolId !== poolId || s.liquidity === 0) continue;
      const before = amountsForLiquidity(s.liquidity, s.pos.tickLower, s.pos.tickUpper, p.rawPrice);
      const after = amountsForLiquidity(s.liquidity, s.pos.tickLower, s.pos.tickUpper, raw);
      if (after.amount1 > before.amount1) s.fees1 += (after.amount1 - before.amount1) * feeRate;
      if (after.amount0 > before.amount0) s.fees0 += (after.amount0 - before.amount0) * feeRate;
    }
    p.rawPrice = raw;
    p.tick = tick;
    this.block += 1;
    const snap = this.snapshotOf(p);
    this.subject.next(snap);
    return snap;
  }

  private snapshotOf(p: PoolSim): PoolSnapshot {
    let active = 0;
    for (const s of this.positions.values()) {
      if (s.pos.poolId === p.desc.poolId && s.pos.tickLower <= p.tick && p.tick < s.pos.tickUpper) active += s.liquidity;
    }
    return {
      poolId: p.desc.poolId,
      sqrtPriceX96: floorBig(Math.sqrt(p.rawPrice) * Q96),
      tick: p.tick,
      liquidity: floorBig(active),
      price: humanPrice(p.rawPrice, p.desc.token0.decimals, p.desc.token1.decimals),
      blockNumber: this.block,
      at: this.now(),
    };
  }

  async poolSnapshot(poolId: string): Promise<PoolSnapshot> {
    this.maybeFail('poolSnapshot');
    return this.snapshotOf(this.pool(poolId));
  }

  async ownedPositions(poolId: string): Promise<OwnedPosition[]> {
    this.maybeFail('ownedPositions');
    return [...this.positions.values()].filter((s) => s.pos.poolId === poolId).map((s) => ({ ...s.pos }));
  }

  async positionFees(position: OwnedPosition): Promise<PositionFees> {
    this.maybeFail('positionFees');
    const s = this.positions.get(position.tokenId);
    if (s === undefined) throw new SimulatedTxError('positionFees', position.tokenId, 'unknown token id');
    return { fees0: floorBig(s.fees0), fees1: floorBig(s.fees1) };
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

  private debit(symbol: string, amount: bigint, op: string): void {
    const have = this.wallet.get(symbol) ?? 0n;
    if (amount > have) throw new SimulatedTxError(op, amount, `insufficient ${symbol}: need ${amount}, have ${have}`);
    this.wallet.set(symbol, have - amount);
  }

  private credit(symbol: string, amount: bigint): void {
    this.wallet.set(symbol, (this.wallet.get(symbol) ?? 0n) + amount);
  }

  private checkTicks(op: string, p: PoolSim, lower: number, upper: number): void {
    const ts = p.desc.tickSpacing;
    if (lower >= upper || lower % ts !== 0 || upper % ts !== 0 || lower < MIN_TICK || upper > MAX_TICK) {
      throw new SimulatedTxError(op, { lower, upper }, `invalid range [${lower}, ${upper}] for tickSpacing ${ts}`);
    }
  }

  private mintInto(op: TxOp, p: PoolSim, lower: number, upper: number, max0: bigint, max1: bigint): { sim: PositionSim; amount0: bigint; amount1: bigint } {
    const liquidity = liquidityForAmountsFloat({ amount0: Number(max0), amount1: Number(max1) }, tickToPrice(lower), tickToPrice(upper), p.rawPrice) * (1 - 1e-9);
    if (!(liquidity > 0)) throw new SimulatedTxError(op, { max0, max1 }, 'amounts fund no liquidity');
    const used = amountsForLiquidity(liquidity, lower, upper, p.rawPrice);
    const amount0 = BigInt(Math.ceil(used.amount0)) > max0 ? max0 : BigInt(Math.ceil(used.amount0));
    const amount1 = BigInt(Math.ceil(used.amount1)) > max1 ? max1 : BigInt(Math.ceil(used.amount1));
    this.debit(p.desc.token0.symbol, amount0, op);
    this.debit(p.desc.token1.symbol, amount1, op);
    const pos: OwnedPosition = { tokenId: String(this.nextTokenId++), poolId: p.desc.poolId, tickLower: lower, tickUpper: upper, liquidity: floorBig(liquidity) };
    const sim: PositionSim = { pos, liquidity, fees0: 0, fees1: 0 };
    this.positions.set(pos.tokenId, sim);
    return { sim, amount0, amount1 };
  }

  async mint(req: MintRequest): Promise<MintResult> {
    this.maybeFail('mint');
    const p = this.pool(req.poolId);
    this.checkTicks('mint', p, req.tickLower, req.tickUpper);
    const { sim, amount0, amount1 } = this.mintInto('mint', p, req.tickLower, req.tickUpper, req.amount0Max, req.amount1Max);
    return { position: { ...sim.pos }, amount0, amount1, receipt: this.receipt('mint', req.poolId) };
  }

  private burn(op: TxOp, tokenId: string): { p: PoolSim; amount0: bigint; amount1: bigint; fees0: bigint; fees1: bigint } {
    const s = this.positions.get(tokenId);
    if (s === undefined) throw new SimulatedTxError(op, tokenId, 'unknown token id');
    const p = this.pool(s.pos.poolId);
    const a = amountsForLiquidity(s.liquidity, s.pos.tickLower, s.pos.tickUpper, p.rawPrice);
    const out = { p, amount0: floorBig(a.amount0), amount1: floorBig(a.amount1), fees0: floorBig(s.fees0), fees1: floorBig(s.fees1) };
    this.positions.delete(tokenId);
    this.credit(p.desc.token0.symbol, out.amount0 + out.fees0);
    this.credit(p.desc.token1.symbol, out.amount1 + out.fees1);
    return out;
  }

  /**
   * Withdraws the position (with its fees), swaps the proceeds at the pool price (paying the pool
   * fee on the swapped part) into the ratio the new range needs, and mints the new range.
   */
  async roll(req: RollRequest): Promise<RollResult> {
    this.maybeFail('roll');
    const old = this.positions.get(req.tokenId);
    if (old === undefined) throw new SimulatedTxError('roll', req.tokenId, 'unknown token id');
    const p = this.pool(req.poolId);
    this.checkTicks('roll', p, req.tickLower, req.tickUpper);
    const burned = this.burn('roll', req.tokenId);
    const sym0 = p.desc.token0.symbol;
    const sym1 = p.desc.token1.symbol;
    const total0 = burned.amount0 + burned.fees0;
    const total1 = burned.amount1 + burned.fees1;
    // ratio token1/token0 value the new range holds at this price
    const unit = amountsForLiquidity(1e12, req.tickLower, req.tickUpper, p.rawPrice);
    const v0 = unit.amount0 * p.rawPrice;
    const share0 = v0 / (v0 + unit.amount1); // fraction of value to hold as token0
    const value = Number(total0) * p.rawPrice + Number(total1);
    const want0Value = value * share0;
    const have0Value = Number(total0) * p.rawPrice;
    const feeRate = p.desc.fee / 1_000_000;
    let avail0 = total0;
    let avail1 = total1;
    if (want0Value > have0Value) {
      const pay1 = floorBig(want0Value - have0Value) > total1 ? total1 : floorBig(want0Value - have0Value);
      const get0 = floorBig((Number(pay1) * (1 - feeRate)) / p.rawPrice);
      this.debit(sym1, pay1, 'roll');
      this.credit(sym0, get0);
      avail0 += get0;
      avail1 -= pay1;
    } else if (have0Value > want0Value) {
      const pay0 = floorBig((have0Value - want0Value) / p.rawPrice) > total0 ? total0 : floorBig((have0Value - want0Value) / p.rawPrice);
      const get1 = floorBig(Number(pay0) * p.rawPrice * (1 - feeRate));
      this.debit(sym0, pay0, 'roll');
      this.credit(sym1, get1);
      avail0 -= pay0;
      avail1 += get1;
    }
    const max0 = avail0;
    const max1 = avail1;
    const { sim, amount0, amount1 } = this.mintInto('roll', p, req.tickLower, req.tickUpper, max0, max1);
    return {
      position: { ...sim.pos }, fees0: burned.fees0, fees1: burned.fees1, amount0, amount1,
      returned0: avail0 - amount0, returned1: avail1 - amount1, receipt: this.receipt('roll', req.poolId),
    };
  }

  async withdraw(position: OwnedPosition): Promise<WithdrawResult> {
    this.maybeFail('withdraw');
    const b = this.burn('withdraw', position.tokenId);
    return { amount0: b.amount0, amount1: b.amount1, fees0: b.fees0, fees1: b.fees1, receipt: this.receipt('withdraw', position.poolId) };
  }

  /** Ends the snapshot stream. */
  close(): void {
    this.subject.complete();
  }
}
