import type { Provider } from 'ethers';
import { concatMap, from, type Observable } from 'rxjs';
import type { Logger } from '../logging/logger.js';
import type { BlockHeader } from './blocks.js';

/** EIP-1559 fee data as of one block. */
export interface GasQuote {
  blockNumber: number;
  baseFeePerGas: bigint;
  /** The node's suggested tip (eth_maxPriorityFeePerGas). */
  maxPriorityFeePerGas: bigint;
  /** 2 × baseFee + tip: stays valid through several full blocks of base-fee growth. */
  maxFeePerGas: bigint;
}

/**
 * gas$: for each block (with a base fee), the EIP-1559 fee suggestion. The tip comes from the
 * node (ethers getFeeData, which defaults to 1 gwei where the node has no eth_maxPriorityFeePerGas);
 * the base fee is the block's own. A failed lookup is logged and that block skipped. Caps
 * (e.g. maxGasPrice) are applied by whoever sends transactions, not here.
 */
export function gas$(provider: Provider, blocks: Observable<BlockHeader>, logger: Logger): Observable<GasQuote> {
  return blocks.pipe(
    concatMap((b) => from((async (): Promise<GasQuote[]> => {
      if (b.baseFeePerGas === null) return [];
      try {
        const fd = await provider.getFeeData();
        const tip = fd.maxPriorityFeePerGas ?? 1_000_000_000n;
        return [{ blockNumber: b.number, baseFeePerGas: b.baseFeePerGas, maxPriorityFeePerGas: tip, maxFeePerGas: 2n * b.baseFeePerGas + tip }];
      } catch (e) {
        logger.warn({ block: b.number, err: e instanceof Error ? e.message : String(e) }, 'gas: fee data failed');
        return [];
      }
    })()).pipe(concatMap((qs) => from(qs)))),
  );
}
