import type { Filter, Log, Provider } from 'ethers';
import type { Logger } from '../logging/logger.js';
import { chunkBlockRange } from './blockRanges.js';

export interface BackfillRequest {
  address: string | string[];
  /** topics filter as in eth_getLogs ([topic0 alternatives, topic1 alternatives, ...]). */
  topics: (string | string[] | null)[];
  from: number;
  to: number;
  chunkSize: number;
}

/**
 * Fetches the logs of [from, to] with one eth_getLogs per chunk of `chunkSize` blocks, in
 * order, handing each chunk's logs to `onChunk` before the next request, and logging progress
 * (at most every 2 s, and at the end). A chunk that fails with a "too many results" style
 * error is split in half and retried; other errors propagate.
 */
export async function backfillLogs(provider: Provider, req: BackfillRequest, onChunk: (logs: Log[], to: number) => Promise<void> | void, logger: Logger): Promise<number> {
  const total = req.to - req.from + 1;
  if (total <= 0) return 0;
  const queue = chunkBlockRange(req.from, req.to, req.chunkSize);
  let done = 0;
  let events = 0;
  let lastLog = Date.now();
  logger.info({ from: req.from, to: req.to, chunkSize: req.chunkSize, chunks: queue.length }, 'backfill: start');
  while (queue.length > 0) {
    const range = queue.shift()!;
    const filter: Filter = { address: req.address, topics: req.topics, fromBlock: range.from, toBlock: range.to };
    let logs: Log[];
    try {
      logs = await provider.getLogs(filter);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (range.to > range.from && /too many|limit|range|exceed|10000|response size/i.test(msg)) {
        const mid = range.from + Math.floor((range.to - range.from) / 2);
        logger.warn({ from: range.from, to: range.to, err: msg }, 'backfill: chunk too large, splitting');
        queue.unshift({ from: range.from, to: mid }, { from: mid + 1, to: range.to });
        continue;
      }
      throw e;
    }
    await onChunk(logs, range.to);
    done += range.to - range.from + 1;
    events += logs.length;
    if (Date.now() - lastLog >= 2_000) {
      lastLog = Date.now();
      logger.info({ block: range.to, done, total, pct: Math.round((1000 * done) / total) / 10, events }, 'backfill: progress');
    }
  }
  logger.info({ from: req.from, to: req.to, events }, 'backfill: done');
  return events;
}
