import type { Provider } from 'ethers';
import { concatMap, from, type Observable } from 'rxjs';
import type { Logger } from '../logging/logger.js';

/** A block header fact. */
export interface BlockHeader {
  number: number;
  hash: string;
  parentHash: string;
  /** Unix seconds. */
  timestamp: number;
  /** null before London. */
  baseFeePerGas: bigint | null;
}

/**
 * blocks$: every block, in order and without gaps, from the first head seen on. Each head
 * number triggers fetching the blocks after the last one emitted (at most `maxCatchUp`; a
 * longer gap skips ahead with a warning). A block that fails to load is retried on the next
 * head. A reorg shows as a header whose parentHash is not the previous header's hash.
 */
export function blocks$(provider: Provider, heads: Observable<number>, logger: Logger, maxCatchUp = 256): Observable<BlockHeader> {
  let last = -1;
  return heads.pipe(
    concatMap((head) => from((async () => {
      const out: BlockHeader[] = [];
      if (head <= last) return out;
      let start = last < 0 ? head : last + 1;
      if (head - start + 1 > maxCatchUp) {
        logger.warn({ from: start, head, maxCatchUp }, 'blocks: gap too long, skipping ahead');
        start = head - maxCatchUp + 1;
      }
      for (let n = start; n <= head; n++) {
        try {
          const b = await provider.getBlock(n);
          if (b === null || b.hash === null) break;
          out.push({ number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp, baseFeePerGas: b.baseFeePerGas });
          last = n;
        } catch (e) {
          logger.warn({ block: n, err: e instanceof Error ? e.message : String(e) }, 'blocks: fetch failed; retry on next head');
          break;
        }
      }
      return out;
    })()).pipe(concatMap((bs) => from(bs)))),
  );
}
