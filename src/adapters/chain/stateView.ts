import { Contract, type Provider } from 'ethers';
import { STATE_VIEW_ABI } from './abi/stateView.js';
import { UnknownPoolError } from './errors.js';

export interface Slot0 {
  sqrtPriceX96: bigint;
  tick: number;
  /** Protocol fee in pips, packed as in v4 (lower 12 bits zeroForOne, upper 12 bits oneForZero). */
  protocolFee: number;
  /** LP fee in pips currently stored for the pool (for dynamic-fee pools it may change each block). */
  lpFee: number;
}

export interface TickInfo {
  liquidityGross: bigint;
  liquidityNet: bigint;
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
}

export interface FeeGrowth {
  feeGrowth0X128: bigint;
  feeGrowth1X128: bigint;
}

export interface PositionInfo {
  liquidity: bigint;
  feeGrowthInside0LastX128: bigint;
  feeGrowthInside1LastX128: bigint;
}

/** Where and at which block to read; `blockTag` defaults to the latest block. */
export interface ReadOptions {
  blockTag?: number | string;
}

/**
 * Reads pool state through the v4-periphery StateView contract. Every read of a pool first
 * needs the pool to exist: getSlot0 throws UnknownPoolError for an uninitialized pool id
 * (StateView returns all zeros there), and the other reads return plain zeros for such a pool,
 * so callers check with getSlot0 once before trusting them.
 */
export class StateViewReader {
  private readonly contract: Contract;

  constructor(readonly address: string, provider: Provider) {
    this.contract = new Contract(address, STATE_VIEW_ABI, provider);
  }

  private call(method: string, args: unknown[], opts: ReadOptions): Promise<unknown[]> {
    const fn = this.contract.getFunction(method);
    return fn.staticCallResult(...args, { blockTag: opts.blockTag ?? 'latest' }) as Promise<unknown[]>;
  }

  /** Returns the pool's slot0; throws UnknownPoolError if the pool was never initialized. */
  async getSlot0(poolId: string, opts: ReadOptions = {}): Promise<Slot0> {
    const r = await this.call('getSlot0', [poolId], opts);
    const sqrtPriceX96 = r[0] as bigint;
    if (sqrtPriceX96 === 0n) throw new UnknownPoolError(poolId, this.address);
    return { sqrtPriceX96, tick: Number(r[1] as bigint), protocolFee: Number(r[2] as bigint), lpFee: Number(r[3] as bigint) };
  }

  /** Returns the pool's in-range liquidity. */
  async getLiquidity(poolId: string, opts: ReadOptions = {}): Promise<bigint> {
    const r = await this.call('getLiquidity', [poolId], opts);
    return r[0] as bigint;
  }

  /** Returns one word of the pool's tick bitmap: bit i set = tick (wordPosition·256 + i)·tickSpacing is initialized. */
  async getTickBitmap(poolId: string, wordPosition: number, opts: ReadOptions = {}): Promise<bigint> {
    const r = await this.call('getTickBitmap', [poolId, wordPosition], opts);
    return r[0] as bigint;
  }

  /** Returns one tick's gross/net liquidity and fee growth outside. */
  async getTickInfo(poolId: string, tick: number, opts: ReadOptions = {}): Promise<TickInfo> {
    const r = await this.call('getTickInfo', [poolId, tick], opts);
    return { liquidityGross: r[0] as bigint, liquidityNet: r[1] as bigint, feeGrowthOutside0X128: r[2] as bigint, feeGrowthOutside1X128: r[3] as bigint };
  }

  /** Returns the pool's global fee growth per unit of liquidity (Q128). */
  async getFeeGrowthGlobals(poolId: string, opts: ReadOptions = {}): Promise<FeeGrowth> {
    const r = await this.call('getFeeGrowthGlobals', [poolId], opts);
    return { feeGrowth0X128: r[0] as bigint, feeGrowth1X128: r[1] as bigint };
  }

  /** Returns the fee growth inside [tickLower, tickUpper] (Q128, wrapping as in Solidity). */
  async getFeeGrowthInside(poolId: string, tickLower: number, tickUpper: number, opts: ReadOptions = {}): Promise<FeeGrowth> {
    const r = await this.call('getFeeGrowthInside', [poolId, tickLower, tickUpper], opts);
    return { feeGrowth0X128: r[0] as bigint, feeGrowth1X128: r[1] as bigint };
  }

  /** Returns a position's liquidity and last fee growth; salt is bytes32 (tokenId for PositionManager NFTs). */
  async getPositionInfo(poolId: string, owner: string, tickLower: number, tickUpper: number, salt: string, opts: ReadOptions = {}): Promise<PositionInfo> {
    const r = await this.call('getPositionInfo(bytes32,address,int24,int24,bytes32)', [poolId, owner, tickLower, tickUpper, salt], opts);
    return { liquidity: r[0] as bigint, feeGrowthInside0LastX128: r[1] as bigint, feeGrowthInside1LastX128: r[2] as bigint };
  }
}
