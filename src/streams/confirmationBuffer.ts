import type { StreamItem } from './streamItem.js';

/** The fields the buffer needs from an event: where it is on chain. */
export interface ChainPlaced {
  blockNumber: number;
  blockHash: string;
  logIndex: number;
}

/** The identity of an event on chain. */
export function placeKey(e: ChainPlaced): string {
  return `${e.blockHash.toLowerCase()}:${e.logIndex}`;
}

function byPlace(a: ChainPlaced, b: ChainPlaced): number {
  return a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;
}

/**
 * Holds events until they are confirmed, delivers each exactly once (keyed by
 * (blockHash, logIndex)), and on a reorg drops the unconfirmed ones and retracts the delivered
 * ones above the fork point. Pure state: no I/O, no timers.
 */
export class ConfirmationBuffer<E extends ChainPlaced> {
  private readonly pending = new Map<string, E>();
  private readonly delivered = new Map<string, E>();

  /** Adds a seen event; returns false (and ignores it) if it is already pending or delivered. */
  add(e: E): boolean {
    const k = placeKey(e);
    if (this.pending.has(k) || this.delivered.has(k)) return false;
    this.pending.set(k, e);
    return true;
  }

  /** Delivers, in chain order, every pending event in a block <= `confirmedThrough`. */
  release(confirmedThrough: number): StreamItem<E>[] {
    const ready = [...this.pending.values()].filter((e) => e.blockNumber <= confirmedThrough).sort(byPlace);
    return ready.map((event) => {
      const key = placeKey(event);
      this.pending.delete(key);
      this.delivered.set(key, event);
      return { kind: 'event', key, event };
    });
  }

  /**
   * A reorg kept blocks <= `forkBlock`: forgets pending events above it and returns retractions
   * of delivered events above it, latest first (the order to undo them in).
   */
  rewind(forkBlock: number): StreamItem<E>[] {
    for (const [k, e] of this.pending) if (e.blockNumber > forkBlock) this.pending.delete(k);
    const gone = [...this.delivered.values()].filter((e) => e.blockNumber > forkBlock).sort(byPlace).reverse();
    return gone.map((event) => {
      const key = placeKey(event);
      this.delivered.delete(key);
      return { kind: 'retraction', key, event, forkBlock };
    });
  }

  /** Forgets delivered events below `block` (out of the reorg window; they can no longer be retracted). */
  prune(block: number): void {
    for (const [k, e] of this.delivered) if (e.blockNumber < block) this.delivered.delete(k);
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}
