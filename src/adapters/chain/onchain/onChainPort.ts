/**
 * The ChainPort over a real chain (devnet or live RPC): pool state through StateView, positions
 * through the periphery PositionManager (mint, roll in one transaction, burn), ownership by
 * replaying the PositionManager's NFT transfers, fees from fee growth, and a pool snapshot after
 * every new block. Transactions go through the positions client's TxSender (fee caps, pre-flight
 * simulation, nonce sequence).
 *
 * Rolls and token ratio: a position that left its range holds one token only, while the new
 * range needs both. With a swap router configured (the Universal Router on a live chain and on
 * the devnet; PoolSwapTest in some tests) a roll first swaps, exact-in and fronted from the
 * wallet, the amount our exact pool model says brings the old position's principal and fees to
 * the ratio the new range needs at the price after the swap, with a minimum output of the
 * model's prediction less `slippageBps`; then it rolls with that output as extra tokens, and the
 * old position's principal of the input token returns to the wallet. The wallet must hold a
 * float of the input token the size of that swap (what it holds caps the swap). Without a router
 * the roll only redeploys what the old tokens can fund. Either way, the net change of the
 * wallet's balances is reported as returned0/1, which the PositionActor keeps counting.
 */
import { Subject, type Observable } from 'rxjs';
import { ZeroAddress, getAddress, type Block, type Provider } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import { PartialRollError } from '../../../actors/ports.js';
import type {
  ChainPort, MintRequest, MintResult, OwnedPosition, PoolDescriptor, PoolSnapshot, PositionFees, RollRequest, RollResult,
  TxReceipt, WithdrawResult,
} from '../../../actors/ports.js';
import { rawToHumanPrice, sqrtPriceX96ToPrice } from '../../../math/priceTick.js';
import type { PoolKey } from '../poolId.js';
import { principalAmounts } from '../positions/positionAmounts.js';
import type { PositionManagerClient, PositionView, UncollectedFees } from '../positions/positionManager.js';
import type { TxResult } from '../tx/sender.js';
import { TxRevertedError } from '../tx/errors.js';
import { getTokenBalance } from '../tokens.js';
import { planRebalanceSwap } from '../swap/rebalancePlan.js';
import type { SwapRouter } from '../swap/swapRouter.js';

/** A pool the port serves: its descriptor and its PoolKey. */
export interface OnChainPool {
  desc: PoolDescriptor;
  key: PoolKey;
}

export interface OnChainPortOptions {
  provider: Provider;
  positions: PositionManagerClient;
  owner: string;
  pools: OnChainPool[];
  /** Block to scan position ownership from (the deployment block, or the agent's first). */
  fromBlock: number;
  log: Logger;
  /**
   * Router that re-balances tokens on a roll (see the module comment), trading as the agent's
   * wallet, and the minimum output below the model's prediction, bps (default 50). Absent: rolls
   * do not re-balance.
   */
  swap?: { router: SwapRouter; slippageBps?: number };
}

/** Default re-balancing slippage bound, bps below the exact model's predicted output. */
export const DEFAULT_REBALANCE_SLIPPAGE_BPS = 50;

/** Native ETH the re-balancing swap leaves in the wallet for gas (0.05 ETH). */
const NATIVE_GAS_RESERVE_WEI = 5n * 10n ** 16n;

/** What the wallet may front of `currency`: all of an ERC20, native ETH less the gas reserve. */
function spendable(currency: string, balance: bigint): bigint {
  if (getAddress(currency) !== ZeroAddress) return balance;
  return balance > NATIVE_GAS_RESERVE_WEI ? balance - NATIVE_GAS_RESERVE_WEI : 0n;
}

/** Thrown for a pool id the port was not configured with. */
export class UnknownPoolError extends Error {
  override readonly name = 'UnknownPoolError';
  constructor(readonly poolId: string) {
    super(`on-chain port: pool ${poolId} is not configured`);
  }
}

/**
 * Times a roll is planned again at the new price when its pre-flight simulation fails a slippage
 * bound (the price moved between planning and sending: after our own re-balancing swap an
 * arbitrageur trades it back at once). Nothing was sent, so planning again is safe.
 */
const ROLL_REPLANS = 2;
const SLIPPAGE_REVERTS = new Set(['MaximumAmountExceeded', 'MinimumAmountInsufficient']);

/** A roll refused in simulation only because the price moved past its amount bounds. */
function isSlippageRefusal(err: unknown): boolean {
  return err instanceof TxRevertedError && err.stage === 'simulation' && err.reason !== null && SLIPPAGE_REVERTS.has(err.reason);
}

function receiptOf(tx: TxResult): TxReceipt {
  return { hash: tx.hash, blockNumber: tx.blockNumber, gasUsed: tx.gasUsed, gasPriceWei: tx.effectiveGasPrice };
}

function owned(v: PositionView): OwnedPosition {
  return { tokenId: v.tokenId.toString(), poolId: v.poolId, tickLower: v.tickLower, tickUpper: v.tickUpper, liquidity: v.liquidity };
}

/** ChainPort on a real chain (see the module comment). */
export class OnChainPort implements ChainPort {
  readonly id = 'onchain';
  readonly owner: string;
  private readonly pools = new Map<string, OnChainPool>();
  private readonly subject = new Subject<PoolSnapshot>();
  private readonly onBlock: (n: number) => void;
  readonly snapshots$: Observable<PoolSnapshot> = this.subject.asObservable();

  constructor(private readonly o: OnChainPortOptions) {
    this.owner = o.owner;
    for (const p of o.pools) this.pools.set(p.desc.poolId.toLowerCase(), p);
    this.onBlock = (n: number) => {
      // one block header read for every pool's snapshot (a failure is reported per pool below)
      const block = o.provider.getBlock(n);
      block.catch(() => undefined);
      for (const p of this.pools.values()) {
        this.snapshotOf(p, block, n).then(
          (s) => this.subject.next(s),
          (err: unknown) => o.log.warn({ err, poolId: p.desc.poolId, block: n }, 'pool snapshot read failed'),
        );
      }
    };
  }

  /** Starts emitting a snapshot of every pool on each new block. */
  async start(): Promise<void> {
    await this.o.provider.on('block', this.onBlock);
  }

  private pool(poolId: string): OnChainPool {
    const p = this.pools.get(poolId.toLowerCase());
    if (p === undefined) throw new UnknownPoolError(poolId);
    return p;
  }

  async poolSnapshot(poolId: string, blockNumber?: number): Promise<PoolSnapshot> {
    const p = this.pool(poolId);
    return this.snapshotOf(p, this.o.provider.getBlock(blockNumber ?? 'latest'), blockNumber);
  }

  /** The pool's slot0 and liquidity, stamped with `header`'s number and time. */
  private async snapshotOf(p: OnChainPool, header: Promise<Block | null>, blockNumber?: number): Promise<PoolSnapshot> {
    const sv = this.o.positions.stateView;
    const [slot0, liquidity, block] = await Promise.all([sv.getSlot0(p.desc.poolId), sv.getLiquidity(p.desc.poolId), header]);
    const price = rawToHumanPrice(sqrtPriceX96ToPrice(slot0.sqrtPriceX96), p.desc.token0.decimals, p.desc.token1.decimals);
    return {
      poolId: p.desc.poolId, sqrtPriceX96: slot0.sqrtPriceX96, tick: slot0.tick, liquidity, price,
      blockNumber: block?.number ?? blockNumber ?? 0, at: (block?.timestamp ?? Math.floor(Date.now() / 1000)) * 1000,
    };
  }

  async ownedPositions(poolId: string): Promise<OwnedPosition[]> {
    const p = this.pool(poolId);
    const all = await this.o.positions.positionsOf(this.owner, this.o.fromBlock);
    return all.filter((v) => v.poolId.toLowerCase() === p.desc.poolId.toLowerCase()).map(owned);
  }

  /**
   * The position's uncollected fees, read for the range the caller names while, in parallel, the
   * position is read to check it still exists (PositionNotFoundError otherwise): one round trip
   * fewer than reading first (this runs in the PositionActor's snapshot handling). Should the
   * chain's pool or range differ from the caller's, the fees are read again for the chain's.
   */
  async positionFees(position: OwnedPosition): Promise<PositionFees> {
    const tokenId = BigInt(position.tokenId);
    const asKnown = { tokenId, poolId: position.poolId, tickLower: position.tickLower, tickUpper: position.tickUpper };
    const [view, known] = await Promise.all([this.o.positions.read(tokenId), this.o.positions.uncollectedFees(asKnown)]);
    const same = view.poolId.toLowerCase() === position.poolId.toLowerCase() && view.tickLower === position.tickLower && view.tickUpper === position.tickUpper;
    const f = same ? known : await this.o.positions.uncollectedFees(view);
    return { fees0: f.amount0, fees1: f.amount1 };
  }

  async gasPriceWei(): Promise<bigint> {
    const fee = await this.o.provider.getFeeData();
    return fee.maxFeePerGas ?? fee.gasPrice ?? 0n;
  }

  async mint(req: MintRequest): Promise<MintResult> {
    const p = this.pool(req.poolId);
    const r = await this.o.positions.mint({ poolKey: p.key, tickLower: req.tickLower, tickUpper: req.tickUpper, amount0Desired: req.amount0Max, amount1Desired: req.amount1Max });
    return {
      position: { tokenId: r.tokenId.toString(), poolId: p.desc.poolId, tickLower: req.tickLower, tickUpper: req.tickUpper, liquidity: r.liquidity },
      amount0: r.flows.paid0, amount1: r.flows.paid1, receipt: receiptOf(r.tx),
    };
  }

  private async balances(key: PoolKey): Promise<[bigint, bigint]> {
    return Promise.all([getTokenBalance(this.o.provider, key.currency0, this.owner), getTokenBalance(this.o.provider, key.currency1, this.owner)]);
  }

  /**
   * Swaps (exact in, fronted from the wallet) the amount that gives the new range the token
   * ratio it needs for the old position's principal and fees. `view`, `fees` and the wallet's
   * balances `w0`/`w1` are the roll's reads of the old position and the wallet. Returns the
   * swap's output per token.
   */
  private async rebalance(
    p: OnChainPool, view: PositionView, fees: UncollectedFees, [w0, w1]: [bigint, bigint], tickLower: number, tickUpper: number,
  ): Promise<{ extra0: bigint; extra1: bigint }> {
    const swap = this.o.swap;
    if (swap === undefined) return { extra0: 0n, extra1: 0n };
    const tokenId = view.tokenId;
    const price = await this.o.positions.price(p.desc.poolId);
    const principal = principalAmounts(price, view.tickLower, view.tickUpper, view.liquidity, false);
    const have = { amount0: principal.amount0 + fees.amount0, amount1: principal.amount1 + fees.amount1 };
    const float = { amount0: spendable(p.key.currency0, w0), amount1: spendable(p.key.currency1, w1) };
    const { plan } = await planRebalanceSwap({
      provider: this.o.provider, stateView: this.o.positions.stateView.address, poolId: p.desc.poolId, key: p.key,
      have, range: { tickLower, tickUpper }, maxAmountIn: float,
    });
    if (plan === null) return { extra0: 0n, extra1: 0n };
    const floatIn = plan.zeroForOne ? float.amount0 : float.amount1;
    if (plan.amountIn === floatIn && floatIn < (plan.zeroForOne ? have.amount0 : have.amount1)) {
      this.o.log.warn({ poolId: p.desc.poolId, zeroForOne: plan.zeroForOne, amountIn: plan.amountIn.toString() }, 'the wallet\'s float caps the re-balancing swap: the new range gets less than the old position\'s value');
    }
    const bps = BigInt(swap.slippageBps ?? DEFAULT_REBALANCE_SLIPPAGE_BPS);
    const amountOutMinimum = (plan.quote.amountOut * (10_000n - bps)) / 10_000n;
    const r = await swap.router.swapExactIn({
      poolKey: p.key, zeroForOne: plan.zeroForOne, amountIn: plan.amountIn, amountOutMinimum,
      label: `rebalance swap ${plan.zeroForOne ? '0->1' : '1->0'} for roll #${tokenId}`,
    });
    this.o.log.info({
      poolId: p.desc.poolId, router: swap.router.kind, zeroForOne: plan.zeroForOne, amountIn: r.amountIn.toString(), amountOut: r.amountOut.toString(),
      predictedOut: plan.quote.amountOut.toString(), minimumOut: amountOutMinimum.toString(),
    }, 'roll re-balancing swap');
    return plan.zeroForOne ? { extra0: 0n, extra1: r.amountOut } : { extra0: r.amountOut, extra1: 0n };
  }

  async roll(req: RollRequest): Promise<RollResult> {
    const p = this.pool(req.poolId);
    const tokenId = BigInt(req.tokenId);
    const before = await this.o.positions.read(tokenId);
    const [fees, wallet] = await Promise.all([this.o.positions.uncollectedFees(before), this.balances(p.key)]);
    const [w0, w1] = wallet;
    const extra = await this.rebalance(p, before, fees, wallet, req.tickLower, req.tickUpper);
    let r;
    for (let replans = 0; ; replans++) {
      try {
        r = await this.o.positions.roll({ tokenId, tickLower: req.tickLower, tickUpper: req.tickUpper, extra0: extra.extra0, extra1: extra.extra1 });
        break;
      } catch (err) {
        if (replans < ROLL_REPLANS && isSlippageRefusal(err)) {
          this.o.log.warn({ poolId: p.desc.poolId, tokenId: req.tokenId, replans: replans + 1, reason: (err as TxRevertedError).reason }, 'roll refused in simulation: the price moved past its bounds; planning again at the new price');
          continue;
        }
        if (extra.extra0 === 0n && extra.extra1 === 0n) throw err;
        const [f0, f1] = await this.balances(p.key);
        throw new PartialRollError(p.desc.poolId, f0 - w0, f1 - w1, err);
      }
    }
    const [after, price, [v0, v1]] = await Promise.all([this.o.positions.read(r.newTokenId), this.o.positions.price(p.desc.poolId), this.balances(p.key)]);
    // what the new range holds, exactly as the pool computed the mint (rounded up)
    const deposited = principalAmounts(price, after.tickLower, after.tickUpper, after.liquidity, true);
    return {
      position: { tokenId: r.newTokenId.toString(), poolId: p.desc.poolId, tickLower: after.tickLower, tickUpper: after.tickUpper, liquidity: after.liquidity },
      fees0: fees.amount0, fees1: fees.amount1,
      amount0: deposited.amount0, amount1: deposited.amount1,
      // net change of the wallet across the swap and the roll (negative: the wallet paid in)
      returned0: v0 - w0, returned1: v1 - w1,
      receipt: receiptOf(r.tx),
    };
  }

  async withdraw(position: OwnedPosition): Promise<WithdrawResult> {
    const view = await this.o.positions.read(BigInt(position.tokenId));
    const fees = await this.o.positions.uncollectedFees(view);
    const r = await this.o.positions.burn({ tokenId: BigInt(position.tokenId) });
    return {
      amount0: r.flows.received0 - fees.amount0, amount1: r.flows.received1 - fees.amount1,
      fees0: fees.amount0, fees1: fees.amount1, receipt: receiptOf(r.tx),
    };
  }

  /** Stops listening for blocks and ends the snapshot stream. */
  async close(): Promise<void> {
    await this.o.provider.off('block', this.onBlock);
    this.subject.complete();
  }
}
