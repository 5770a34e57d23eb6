/**
 * The ChainPort over a real chain (devnet or live RPC): pool state through StateView, positions
 * through the periphery PositionManager (mint, roll in one transaction, burn), ownership by
 * replaying the PositionManager's NFT transfers, fees from fee growth, and a pool snapshot after
 * every new block. Transactions go through the positions client's TxSender (fee caps, pre-flight
 * simulation, nonce sequence).
 *
 * Rolls and token ratio: a position that left its range holds one token only, while the new
 * range needs both. With a swap router configured (the devnet's PoolSwapTest) a roll first swaps
 * the share of value the new range needs into the missing token, fronting the input from the
 * wallet, then rolls with that output as extra tokens; the old position's principal returns to
 * the wallet. The wallet must hold a float the size of that swap. Without a router the roll only
 * redeploys what the old tokens can fund. Either way, the net change of the wallet's balances
 * is reported as returned0/1, which the PositionActor keeps counting.
 */
import { Subject, type Observable } from 'rxjs';
import { Contract, Interface, type Provider } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import { PartialRollError } from '../../../actors/ports.js';
import type {
  ChainPort, MintRequest, MintResult, OwnedPosition, PoolDescriptor, PoolSnapshot, PositionFees, RollRequest, RollResult,
  TxReceipt, WithdrawResult,
} from '../../../actors/ports.js';
import type { PoolKey } from '../poolId.js';
import { principalAmounts } from '../positions/positionAmounts.js';
import type { PositionManagerClient, PositionView } from '../positions/positionManager.js';
import type { TxResult, TxSender } from '../tx/sender.js';
import { ERC20_ABI } from '../abi/erc20.js';
import { getTokenBalance } from '../tokens.js';

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
  /** Swap router used to re-balance tokens on a roll (PoolSwapTest on the devnet), with the agent's sender. */
  swap?: { router: string; sender: TxSender; maxSlippageBps?: number };
}

const SWAP_IFACE = new Interface([
  'function swap((address,address,uint24,int24,address) key, (bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96) params, (bool takeClaims, bool settleUsingBurn) testSettings, bytes hookData) payable returns (int256)',
]);
const ERC20_IFACE = new Interface(ERC20_ABI);
const MAX_UINT256 = (1n << 256n) - 1n;

/** Thrown for a pool id the port was not configured with. */
export class UnknownPoolError extends Error {
  override readonly name = 'UnknownPoolError';
  constructor(readonly poolId: string) {
    super(`on-chain port: pool ${poolId} is not configured`);
  }
}

const Q96 = 2 ** 96;

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
      for (const p of this.pools.values()) {
        this.poolSnapshot(p.desc.poolId, n).then(
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
    const sv = this.o.positions.stateView;
    const [slot0, liquidity, block] = await Promise.all([
      sv.getSlot0(p.desc.poolId),
      sv.getLiquidity(p.desc.poolId),
      this.o.provider.getBlock(blockNumber ?? 'latest'),
    ]);
    const sqrt = Number(slot0.sqrtPriceX96) / Q96;
    const price = sqrt * sqrt * Math.pow(10, p.desc.token0.decimals - p.desc.token1.decimals);
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

  async positionFees(position: OwnedPosition): Promise<PositionFees> {
    const view = await this.o.positions.read(BigInt(position.tokenId));
    const f = await this.o.positions.uncollectedFees(view);
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
   * ratio it needs for the old position's value. Returns the swap's output per token.
   */
  private async rebalance(p: OnChainPool, tokenId: bigint, tickLower: number, tickUpper: number): Promise<{ extra0: bigint; extra1: bigint }> {
    const swap = this.o.swap;
    if (swap === undefined) return { extra0: 0n, extra1: 0n };
    const view = await this.o.positions.read(tokenId);
    const [price, fees] = await Promise.all([this.o.positions.price(p.desc.poolId), this.o.positions.uncollectedFees(view)]);
    const have = principalAmounts(price, view.tickLower, view.tickUpper, view.liquidity, false);
    const x = Number(have.amount0 + fees.amount0);
    const y = Number(have.amount1 + fees.amount1);
    const sqrtP = Number(price.sqrtPriceX96) / 2 ** 96;
    const P = sqrtP * sqrtP; // raw token1 per token0
    const sa = Math.sqrt(1.0001 ** tickLower);
    const sb = Math.sqrt(1.0001 ** tickUpper);
    const s = Math.min(Math.max(sqrtP, sa), sb);
    const unit0 = 1 / s - 1 / sb; // per unit of liquidity
    const unit1 = s - sa;
    const share0 = (unit0 * P) / (unit0 * P + unit1);
    const value = x * P + y;
    const want0 = (value * share0) / P;
    const zeroForOne = x > want0;
    const amountIn = zeroForOne ? BigInt(Math.floor((x - want0) * 0.999)) : BigInt(Math.floor((want0 - x) * P * 0.999));
    if (amountIn <= 0n) return { extra0: 0n, extra1: 0n };
    const token = zeroForOne ? p.key.currency0 : p.key.currency1;
    const erc20 = new Contract(token, ERC20_IFACE, this.o.provider);
    const allowance = (await erc20.getFunction('allowance')(this.owner, swap.router)) as bigint;
    if (allowance < amountIn) {
      await swap.sender.send({ to: token, data: ERC20_IFACE.encodeFunctionData('approve', [swap.router, MAX_UINT256]), label: 'approve swap router' });
    }
    const bps = swap.maxSlippageBps ?? 100;
    const limitFactor = Math.sqrt(zeroForOne ? 1 - bps / 10_000 : 1 + bps / 10_000);
    const limit = BigInt(Math.floor(Number(price.sqrtPriceX96) * limitFactor));
    const [b0, b1] = await this.balances(p.key);
    const k = p.key;
    await swap.sender.send({
      to: swap.router,
      data: SWAP_IFACE.encodeFunctionData('swap', [[k.currency0, k.currency1, k.fee, k.tickSpacing, k.hooks], [zeroForOne, -amountIn, limit], [false, false], '0x']),
      label: `rebalance swap ${zeroForOne ? '0->1' : '1->0'} for roll #${tokenId}`,
    });
    const [a0, a1] = await this.balances(p.key);
    this.o.log.info({ poolId: p.desc.poolId, zeroForOne, amountIn: amountIn.toString(), got0: (a0 - b0).toString(), got1: (a1 - b1).toString() }, 'roll re-balancing swap');
    return { extra0: a0 > b0 ? a0 - b0 : 0n, extra1: a1 > b1 ? a1 - b1 : 0n };
  }

  async roll(req: RollRequest): Promise<RollResult> {
    const p = this.pool(req.poolId);
    const tokenId = BigInt(req.tokenId);
    const before = await this.o.positions.read(tokenId);
    const fees = await this.o.positions.uncollectedFees(before);
    const [w0, w1] = await this.balances(p.key);
    const extra = await this.rebalance(p, tokenId, req.tickLower, req.tickUpper);
    let r;
    try {
      r = await this.o.positions.roll({ tokenId, tickLower: req.tickLower, tickUpper: req.tickUpper, extra0: extra.extra0, extra1: extra.extra1 });
    } catch (err) {
      if (extra.extra0 === 0n && extra.extra1 === 0n) throw err;
      const [f0, f1] = await this.balances(p.key);
      throw new PartialRollError(p.desc.poolId, f0 - w0, f1 - w1, err);
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
