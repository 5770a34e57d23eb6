/**
 * The history's write queue: `push` is synchronous and never throws or waits, so recording costs
 * the actors' hot path one array push. Records are written in batches (every `flushMs`, or sooner
 * once `batchSize` are waiting), one batch at a time. A failed write (database down) keeps the
 * batch, warns once per outage and retries with a doubling backoff; the queue is bounded, and
 * beyond `maxQueued` the oldest records are dropped and counted, so an outage never grows memory
 * without end, never crashes and never halts the agent.
 */
import type { Logger } from '../../logging/logger.js';
import type { HistoryRecord } from './historyRecords.js';

export interface WriteQueueOptions {
  /** Stores one batch (all or nothing); rejects when the database cannot take it. */
  write: (batch: HistoryRecord[]) => Promise<void>;
  log: Logger;
  flushMs?: number;
  batchSize?: number;
  maxQueued?: number;
  /** First retry delay after a failure, ms (doubles up to maxBackoffMs). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface WriteQueueStats {
  queued: number;
  written: number;
  dropped: number;
  failures: number;
  /** Since when writes have been failing (ms), null while healthy. */
  failingSince: number | null;
}

export class WriteQueue {
  private queue: HistoryRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;
  private backoff: number;
  private readonly o: Required<Omit<WriteQueueOptions, 'write' | 'log'>>;
  readonly stats: WriteQueueStats = { queued: 0, written: 0, dropped: 0, failures: 0, failingSince: null };

  constructor(private readonly opts: WriteQueueOptions) {
    this.o = {
      flushMs: opts.flushMs ?? 1_000,
      batchSize: opts.batchSize ?? 500,
      maxQueued: opts.maxQueued ?? 50_000,
      backoffMs: opts.backoffMs ?? 1_000,
      maxBackoffMs: opts.maxBackoffMs ?? 30_000,
    };
    this.backoff = this.o.backoffMs;
  }

  /** Queues a record; never blocks, never throws. Ignored after close. */
  push(record: HistoryRecord): void {
    if (this.closed) return;
    this.queue.push(record);
    if (this.queue.length > this.o.maxQueued) {
      const excess = this.queue.length - this.o.maxQueued;
      this.queue.splice(0, excess);
      this.stats.dropped += excess;
    }
    this.stats.queued = this.queue.length;
    if (this.stats.failingSince !== null) return; // the retry timer is already set
    if (this.queue.length >= this.o.batchSize) this.schedule(0);
    else this.schedule(this.o.flushMs);
  }

  private schedule(delayMs: number): void {
    if (this.writing !== null) return; // the write in progress schedules what follows
    if (this.timer !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writeOne().then(() => undefined).finally(() => {
        this.writing = null;
        if (this.queue.length > 0 && !this.closed) this.schedule(this.stats.failingSince !== null ? this.backoff : this.queue.length >= this.o.batchSize ? 0 : this.o.flushMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Writes the oldest batch; keeps it on failure. */
  private async writeOne(): Promise<boolean> {
    if (this.queue.length === 0) return true;
    const batch = this.queue.slice(0, this.o.batchSize);
    try {
      await this.opts.write(batch);
      // records dropped while this batch was being written may have shifted the queue: remove what is still there of it
      const first = this.queue.indexOf(batch[0]!);
      if (first >= 0) this.queue.splice(first, batch.length);
      else this.queue = this.queue.filter((r) => !batch.includes(r));
      this.stats.written += batch.length;
      if (this.stats.failingSince !== null) {
        this.opts.log.info({ failures: this.stats.failures, dropped: this.stats.dropped }, 'history writes recovered');
        this.stats.failingSince = null;
      }
      this.backoff = this.o.backoffMs;
      return true;
    } catch (err) {
      this.stats.failures += 1;
      if (this.stats.failingSince === null) {
        this.stats.failingSince = Date.now();
        this.opts.log.warn({ err, queued: this.queue.length }, 'history write failed; keeping the records and retrying with backoff');
      } else {
        this.opts.log.debug({ err, queued: this.queue.length, retryInMs: this.backoff }, 'history write failed again');
      }
      this.backoff = Math.min(this.o.maxBackoffMs, this.backoff * 2);
      return false;
    } finally {
      this.stats.queued = this.queue.length;
    }
  }

  /** Writes everything queued now (one try per batch); resolves true when nothing is left. */
  async flush(): Promise<boolean> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.writing !== null) await this.writing;
    while (this.queue.length > 0) {
      const p = this.writeOne();
      this.writing = p.then(() => undefined);
      const ok = await p;
      this.writing = null;
      if (!ok) return false;
    }
    return true;
  }

  /** Stops taking records and tries to write what is queued, within `deadlineMs`; returns how many were left unwritten. */
  async close(deadlineMs = 5_000): Promise<number> {
    this.closed = true;
    if (deadlineMs <= 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      const left = this.queue.length;
      if (left > 0) this.opts.log.warn({ left }, 'history: records left unwritten at close (the database was not open)');
      this.queue = [];
      return left;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
      timer.unref();
    })]);
    clearTimeout(timer);
    if (this.timer !== null) clearTimeout(this.timer);
    const left = this.queue.length;
    if (left > 0) this.opts.log.warn({ left }, 'history: records left unwritten at close');
    return left;
  }
}
