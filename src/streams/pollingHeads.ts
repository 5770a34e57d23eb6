import type { Provider } from 'ethers';
import { Observable } from 'rxjs';
import type { Logger } from '../logging/logger.js';

/**
 * The current block number, polled every `intervalMs` (first poll at once). Every poll emits,
 * even an unchanged number, so a consumer can notice a same-height reorg. A failed poll is
 * logged and the next one tried; the stream never errors.
 */
export function pollingHeads(provider: Provider, intervalMs: number, logger: Logger): Observable<number> {
  return new Observable<number>((sub) => {
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      try {
        const n = await provider.getBlockNumber();
        if (!closed) sub.next(n);
      } catch (e) {
        logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'heads: poll failed');
      }
      if (!closed) timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  });
}
