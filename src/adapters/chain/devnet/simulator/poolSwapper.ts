/**
 * Swaps on the devnet through v4-core's PoolSwapTest router, for the simulated market's traders.
 * Each trader has its own signer (nonces kept locally), approved PoolSwapTest at set-up.
 */
import { Contract, type JsonRpcProvider, type Signer, type TransactionResponse } from 'ethers';
import { MAX_SQRT_PRICE, MIN_SQRT_PRICE } from '../../../../math/tickMath.js';
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
  private readonly stateView: Contract;
  private readonly poolManager: Contract;
  private readonly routerAbi = loadArtifact('PoolSwapTest').abi;

  constructor(private readonly manifest: DevnetManifest, private readonly provider: JsonRpcProvider) {
    this.stateView = new Contract(manifest.contracts.stateView, loadArtifact('StateView').abi, provider);
    this.poolManager = new Contract(manifest.contracts.poolManager, loadArtifact('PoolManager').abi, provider);
  }

  /** The pool's current sqrtPriceX96 and tick. */
  async slot0(pool: ManifestPool): Promise<{ sqrtPriceX96: bigint; tick: number }> {
    const [sqrtPriceX96, tick] = (await this.stateView.getFunction('getSlot0')(pool.id)) as [bigint, bigint, bigint, bigint];
    return { sqrtPriceX96, tick: Number(tick) };
  }

  /**
   * Swaps exactly `amountIn` of the input token (token0 when zeroForOne), stopping early at
   * `sqrtPriceLimitX96` (default: no limit). Resolves once mined; throws if it reverts.
   */
  async swapExactIn(signer: Signer, pool: ManifestPool, zeroForOne: boolean, amountIn: bigint, sqrtPriceLimitX96?: bigint): Promise<SimSwap> {
    const limit = sqrtPriceLimitX96 ?? (zeroForOne ? MIN_SQRT_PRICE + 1n : MAX_SQRT_PRICE - 1n);
    const router = new Contract(this.manifest.contracts.poolSwapTest, this.routerAbi, signer);
    const tx = (await router.getFunction('swap')(poolKeyTuple(pool.key), [zeroForOne, -amountIn, limit], [false, false], '0x', { gasLimit: SWAP_GAS_LIMIT })) as TransactionResponse;
    const receipt = await waitForReceipt(this.provider, tx.hash);
    if (receipt.status !== 1) throw new Error(`swap ${receipt.hash} in pool ${pool.id} reverted`);
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.manifest.contracts.poolManager.toLowerCase()) continue;
      const parsed = this.poolManager.interface.parseLog(log);
      if (parsed?.name !== 'Swap') continue;
      return {
        poolId: pool.id,
        trader: await signer.getAddress(),
        zeroForOne,
        amount0: parsed.args.getValue('amount0') as bigint,
        amount1: parsed.args.getValue('amount1') as bigint,
        sqrtPriceX96After: parsed.args.getValue('sqrtPriceX96') as bigint,
        tickAfter: Number(parsed.args.getValue('tick') as bigint),
        txHash: receipt.hash,
        block: receipt.blockNumber,
      };
    }
    throw new Error(`swap ${receipt.hash} in pool ${pool.id} emitted no Swap event`);
  }
}
