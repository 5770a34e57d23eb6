import { Writable } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import { POOL_MANAGER_TOPICS } from '../../../src/adapters/chain/abi/poolManagerEvents.js';
import { createLogger, type Logger } from '../../../src/logging/logger.js';
import type { StreamItem } from '../../../src/streams/streamItem.js';
import type { V4Pool } from './v4Pool.js';

/** Everything a stream delivered, with the set of events currently live (delivered, not retracted). */
export interface Collected<E> {
  items: StreamItem<E>[];
  live: Map<string, E>;
  error: unknown;
  /** Keys delivered as events more than once while live: must stay empty. */
  duplicates: string[];
  /** Retractions of keys that were not live: must stay empty. */
  strayRetractions: string[];
  sub: Subscription;
}

export function collect<E>(stream: Observable<StreamItem<E>>): Collected<E> {
  const c: Omit<Collected<E>, 'sub'> = { items: [], live: new Map(), error: undefined, duplicates: [], strayRetractions: [] };
  const sub = stream.subscribe({
    next: (i) => {
      c.items.push(i);
      if (i.kind === 'event') {
        if (c.live.has(i.key)) c.duplicates.push(i.key);
        c.live.set(i.key, i.event);
      } else if (!c.live.delete(i.key)) c.strayRetractions.push(i.key);
    },
    error: (e: unknown) => { c.error = e; },
  });
  return Object.assign(c, { sub });
}

/** Waits until `cond` holds (checked every 20 ms); fails with `what` after `ms`. Not a timing assertion: only a deadline. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The pool's Swap logs on the canonical chain now: key (blockHash:logIndex) and block number. */
export async function canonicalSwaps(pool: V4Pool): Promise<{ key: string; blockNumber: number }[]> {
  const logs = await pool.provider.getLogs({ address: pool.poolManager, topics: [POOL_MANAGER_TOPICS.Swap, pool.poolId], fromBlock: 0, toBlock: 'latest' });
  return logs.map((l) => ({ key: `${l.blockHash.toLowerCase()}:${l.index}`, blockNumber: l.blockNumber }));
}

/** The keys (blockHash:logIndex) of the pool's Swap logs on the canonical chain now. */
export async function canonicalSwapKeys(pool: V4Pool): Promise<string[]> {
  return (await canonicalSwaps(pool)).map((s) => s.key);
}

export function sorted(xs: Iterable<string>): string[] {
  return [...xs].sort();
}

/** A logger whose lines are kept in memory, for asserting what was logged. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString()); cb(); } }) });
  return { logger, lines };
}
