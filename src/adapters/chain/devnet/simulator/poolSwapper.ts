/**
 * Swaps on the devnet through v4-core's PoolSwapTest router, for the simulated market's traders.
 * Each trader has its own signer (nonces kept locally), approved PoolSwapTest at set-up.
 */
import { Contract, type JsonRpcProvider, type Signer, type TransactionResponse } from 'ethers';
import { StateViewReader } from '../../stateView.js';
import { openPriceLimit } from '../../swap/exactInQuote.js';
import { swapEventOf } from '../../swap/swapEventOf.js';
import { loadArtifact } from '../artifacts.js';
import type { DevnetManifest, ManifestPool } from '../manifest.js';
import { poolKeyTuple } from '../pools.js';
import { waitForReceipt } from '../setupTx.js';

/** What one swap did (amounts are the swapper's balance change, negative = paid in, as in v4). */
export interface SimSwap {
  poolId: string;
  trader: string;
  zeroForOne: boolean;
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96After: bigint;
  tickAfter: number;
  txHash: string;
  block: number;
}

/**
 * Gas limit of a simulated swap. Fixed rather than estimated: with concurrent trades an estimate
 * made before the other trades of the block land can be too low (more ticks crossed) and revert.
 */
const SWAP_GAS_LIMIT = 3_000_000n;

/** Reads pools' slot0 through StateView and swaps through PoolSwapTest. */
export class PoolSwapper {
  private readonly stateView: StateViewReader;
  private readonly routerAbi = loadArtifact('PoolSwapTest').abi;

  constructor(private readonly manifest: DevnetManifest, private readonly provider: JsonRpcProvider) {
    this.stateView = new StateViewReader(manifest.contracts.stateView, provider);
  }

  /** The pool's current sqrtPriceX96 and tick. */
  async slot0(pool: ManifestPool): Promise<{ sqrtPriceX96: bigint; tick: number }> {
    const { sqrtPriceX96, tick } = await this.stateView.getSlot0(pool.id);
    return { sqrtPriceX96, tick };
  }

  /**
   * Swaps exactly `amountIn` of the input token (token0 when zeroForOne), stopping early at
   * `sqrtPriceLimitX96` (default: no limit). Resolves once mined; throws if it reverts.
   */
  async swapExactIn(signer: Signer, pool: ManifestPool, zeroForOne: boolean, amountIn: bigint, sqrtPriceLimitX96?: bigint): Promise<SimSwap> {
    const limit = sqrtPriceLimitX96 ?? openPriceLimit(zeroForOne);
    const router = new Contract(this.manifest.contracts.poolSwapTest, this.routerAbi, signer);
    const tx = (await router.getFunction('swap')(poolKeyTuple(pool.key), [zeroForOne, -amountIn, limit], [false, false], '0x', { gasLimit: SWAP_GAS_LIMIT })) as TransactionResponse;
    const receipt = await waitForReceipt(this.provider, tx.hash);
    if (receipt.status !== 1) throw new Error(`swap ${receipt.hash} in pool ${pool.id} reverted`);
    const ev = swapEventOf(receipt, pool.id);
    if (ev === null) throw new Error(`swap ${receipt.hash} in pool ${pool.id} emitted no Swap event`);
    return {
      poolId: pool.id, trader: await signer.getAddress(), zeroForOne, amount0: ev.amount0, amount1: ev.amount1,
      sqrtPriceX96After: ev.sqrtPriceX96, tickAfter: ev.tick, txHash: receipt.hash, block: receipt.blockNumber,
    };
  }
}
