/**
 * The backtest's chain port: the simulated chain, with every transaction the agent sends recorded
 * for the accounting (the agent sees the simulated chain unchanged). It counts gas, the fees each
 * roll and withdrawal collected (valued when collected), and each roll's re-balancing swap cost:
 * the tokens that went into the roll (the old position's principal and fees) less those that came
 * out of it (the new position's deposit and what returned to the wallet), valued at the pool's
 * price before the roll — the swap's fee and price impact, to the wei of the pool model.
 */
import type { ChainPort, MintRequest, MintResult, OwnedPosition, PoolSnapshot, RollRequest, RollResult, StepGate, TxReceipt, WithdrawResult } from '../actors/ports.js';
import type { SimulatedChain } from '../sim/simulatedChain.js';
import { sqrtPriceX96ToHumanPrice } from '../sim/humanSqrtPrice.js';
import type { PoolValuation } from './poolValuation.js';

export interface ChainTx {
  op: 'mint' | 'roll' | 'withdraw';
  at: number;
  gasUsd: number;
  /** Roll: the ranges and what it cost. */
  from?: { tickLower: number; tickUpper: number };
  to?: { tickLower: number; tickUpper: number };
  feesUsd?: number;
  swapCostUsd?: number;
}

export class RecordingChain implements ChainPort {
  readonly transactions: ChainTx[] = [];
  gasUsd = 0;
  feesCollectedUsd = 0;
  swapCostUsd = 0;

  constructor(
    readonly inner: SimulatedChain,
    private readonly value: PoolValuation,
    private readonly now: () => number,
    /** USD per unit of the native gas token at an asset price. */
    private readonly nativeUsd: (assetPrice: number) => number,
  ) {}

  get id(): string { return this.inner.id; }
  get owner(): string { return this.inner.owner; }
  get snapshots$() { return this.inner.snapshots$; }

  /** The pool's asset price now (quote per asset). */
  assetPrice(poolId: string): number {
    const { sqrtPriceX96 } = this.inner.poolModel(poolId).getSlot0();
    return this.value.assetPrice(sqrtPriceX96ToHumanPrice(sqrtPriceX96, this.value.desc.token0.decimals, this.value.desc.token1.decimals));
  }

  private gas(receipt: TxReceipt, assetPrice: number): number {
    const usd = (Number(receipt.gasUsed * receipt.gasPriceWei) / 1e18) * this.nativeUsd(assetPrice);
    this.gasUsd += usd;
    return usd;
  }

  poolSnapshot(poolId: string): Promise<PoolSnapshot> { return this.inner.poolSnapshot(poolId); }
  ownedPositions(poolId: string): Promise<OwnedPosition[]> { return this.inner.ownedPositions(poolId); }
  positionFees(position: OwnedPosition) { return this.inner.positionFees(position); }
  gasPriceWei(): Promise<bigint> { return this.inner.gasPriceWei(); }
  heldTokens(poolId: string) { return this.inner.heldTokens(poolId); }
  adoptBooks(poolId: string, held: { amount0: bigint; amount1: bigint }) { return this.inner.adoptBooks(poolId, held); }
  poolLiquidity(poolId: string) { return this.inner.poolLiquidity(poolId); }

  async mint(req: MintRequest): Promise<MintResult> {
    const price = this.assetPrice(req.poolId);
    const r = await this.inner.mint(req);
    this.transactions.push({ op: 'mint', at: this.now(), gasUsd: this.gas(r.receipt, price), to: { tickLower: r.position.tickLower, tickUpper: r.position.tickUpper } });
    return r;
  }

  async roll(req: RollRequest): Promise<RollResult> {
    const model = this.inner.poolModel(req.poolId);
    const { sqrtPriceX96 } = model.getSlot0();
    const price = this.assetPrice(req.poolId);
    const old = (await this.inner.ownedPositions(req.poolId)).find((p) => p.tokenId === req.tokenId);
    const r = await this.inner.roll(req);
    const gasUsd = this.gas(r.receipt, price);
    const feesUsd = this.value.usd(r.fees0, r.fees1, price);
    this.feesCollectedUsd += feesUsd;
    let swapCostUsd = 0;
    if (old !== undefined) {
      const principal = this.value.positionAt(sqrtPriceX96, old.tickLower, old.tickUpper, old.liquidity);
      const before = principal.asset * price + principal.quote + feesUsd;
      const after = this.value.usd(r.amount0 + r.returned0, r.amount1 + r.returned1, price);
      swapCostUsd = before - after;
      this.swapCostUsd += swapCostUsd;
    }
    this.transactions.push({
      op: 'roll', at: this.now(), gasUsd, feesUsd, swapCostUsd,
      ...(old === undefined ? {} : { from: { tickLower: old.tickLower, tickUpper: old.tickUpper } }),
      to: { tickLower: r.position.tickLower, tickUpper: r.position.tickUpper },
    });
    return r;
  }

  async withdraw(position: OwnedPosition, opts?: { beforeStep?: StepGate }): Promise<WithdrawResult> {
    const price = this.assetPrice(position.poolId);
    const r = await this.inner.withdraw(position);
    void opts;
    const feesUsd = this.value.usd(r.fees0, r.fees1, price);
    this.feesCollectedUsd += feesUsd;
    this.transactions.push({ op: 'withdraw', at: this.now(), gasUsd: this.gas(r.receipt, price), feesUsd, from: { tickLower: position.tickLower, tickUpper: position.tickUpper } });
    return r;
  }
}
