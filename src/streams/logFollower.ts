import type { Block, Log, Provider } from 'ethers';
import { Observable } from 'rxjs';
import { LogDecodeError } from '../adapters/chain/errors.js';
import { StaleVersionError } from '../adapters/store/store.js';
import type { Logger } from '../logging/logger.js';
import { backfillLogs } from './backfillLogs.js';
import { CanonicalChain } from './canonicalChain.js';
import { CorruptCheckpointError, type CheckpointStore } from './checkpoint.js';
import { ConfirmationBuffer, type ChainPlaced } from './confirmationBuffer.js';
import { CheckpointNotCanonicalError, ReorgTooDeepError } from './streamErrors.js';
import type { StreamItem } from './streamItem.js';

/** Which logs a follower reads and how it decodes them. */
export interface LogSource<E extends ChainPlaced> {
  /** The emitting contract(s). */
  address: string | string[];
  /** eth_getLogs topics filter ([topic0 alternatives, topic1 alternatives, ...]). */
  topics: (string | string[] | null)[];
  /** The typed event of a log, or null to skip it; throws LogDecodeError on a malformed one (fatal). */
  decode(log: Log): E | null;
}

/** How a follower runs, whatever it follows. */
export interface FollowerOptions {
  provider: Provider;
  /** New-head notifications (wsHeads or pollingHeads); each one triggers a scan. */
  heads: Observable<number>;
  checkpoints: CheckpointStore;
  /** Where to start when there is no checkpoint: a block number, or the head at start. */
  fromBlock: number | 'latest';
  /** An event in block b is delivered once the scanned chain reaches b + confirmations. Default 2. */
  confirmations?: number;
  /** Blocks per eth_getLogs during backfill. Default 2000. */
  chunkSize?: number;
  /** How many recent blocks are checked for reorgs (must exceed confirmations). Default 128. */
  reorgWindow?: number;
  /** First retry delay after a failed scan (RPC down); doubles up to 30 s. Default 1000. */
  retryDelayMs?: number;
  logger: Logger;
}

/**
 * Follows one LogSource's logs (PoolManager events of some pools, a vault's and its hook's
 * events). Starting at the checkpoint (or `fromBlock`), it backfills blocks deeper than the reorg
 * window with chunked eth_getLogs, then scans each newer block by hash (header + getLogs by
 * blockHash), checking that every block's parent is the block scanned before it. A mismatch
 * is a reorg: it walks back to the fork point, retracts delivered events above it and rescans.
 * Scanning from its own cursor on every head makes it immune to missed heads (WebSocket drops).
 *
 * Delivery: exactly once within a run. Across restarts the checkpoint is saved only after the
 * events it covers were handed to the consumer, so a crash (or an unsubscribe mid-scan) between
 * the two re-delivers, never loses: consumers that persist effects should key them by
 * (blockHash, logIndex).
 */
export class LogFollower<E extends ChainPlaced> {
  private readonly chain: CanonicalChain;
  private readonly buffer = new ConfirmationBuffer<E>();
  private readonly confirmations: number;
  private readonly chunkSize: number;
  private started = false;
  private stopped = false;
  private saved = -1;

  constructor(private readonly opts: FollowerOptions, private readonly source: LogSource<E>) {
    this.confirmations = opts.confirmations ?? 2;
    this.chunkSize = opts.chunkSize ?? 2000;
    const window = opts.reorgWindow ?? 128;
    if (!Number.isInteger(this.confirmations) || this.confirmations < 0) throw new RangeError(`confirmations must be >= 0, got ${this.confirmations}`);
    if (window <= this.confirmations) throw new RangeError(`reorgWindow (${window}) must exceed confirmations (${this.confirmations})`);
    this.chain = new CanonicalChain(window);
  }

  private async block(n: number): Promise<Block | null> {
    return this.opts.provider.getBlock(n);
  }

  /** The lowercase hash of block `n` on the chain now, or null if there is no such block. */
  private async hashOf(n: number): Promise<string | null> {
    const b = await this.block(n);
    return b === null || b.hash === null ? null : b.hash.toLowerCase();
  }

  private async start(head: number): Promise<void> {
    const cp = await this.opts.checkpoints.load();
    if (cp !== null) {
      const h = await this.hashOf(cp.block);
      const from = h === cp.hash ? cp : await this.commonAncestor(cp, h);
      this.chain.reset(from.block, from.hash);
      this.saved = from.block;
      this.opts.logger.info({ checkpoint: from.block, head }, 'follower: resuming from checkpoint');
    } else {
      const base = (this.opts.fromBlock === 'latest' ? head : this.opts.fromBlock) - 1;
      if (base >= 0) {
        const h = await this.hashOf(base);
        if (h === null) throw new RangeError(`follower: fromBlock ${base + 1} is beyond the chain head ${head}`);
        this.chain.reset(base, h);
      }
      this.opts.logger.info({ fromBlock: base + 1, head }, 'follower: starting without checkpoint');
    }
    this.started = true;
  }

  /**
   * A reorg removed the checkpoint's block while we were stopped: resume from the newest earlier
   * checkpoint still on the chain (and save it, so the next restart does too). Events delivered
   * in the abandoned blocks above it cannot be retracted (their logs are gone with them); the
   * warning names the range. None of the kept ancestors canonical (a deeper reorg, or another
   * chain): CheckpointNotCanonicalError, whose way out is a deliberate re-scan.
   */
  private async commonAncestor(cp: { block: number; hash: string }, chainHash: string | null): Promise<{ block: number; hash: string }> {
    for (const a of this.opts.checkpoints.ancestors()) {
      if ((await this.hashOf(a.block)) !== a.hash) continue;
      this.opts.logger.warn({ checkpoint: cp.block, ancestor: a.block }, `follower: a reorg removed checkpoint block ${cp.block}; resuming from the common ancestor ${a.block}. Events already delivered from blocks ${a.block + 1}..${cp.block} may have been removed by it (no retraction can be printed for them): drop those whose blockHash is no longer canonical`);
      if (!this.stopped) await this.opts.checkpoints.save(a);
      return a;
    }
    throw new CheckpointNotCanonicalError(cp.block, cp.hash, chainHash);
  }

  private take(logs: readonly Log[]): void {
    for (const log of logs) {
      if (log.removed) continue;
      const e = this.source.decode(log);
      if (e !== null) this.buffer.add(e);
    }
  }

  /**
   * Stops checkpointing: once the consumer is gone, events it may not have received must not
   * be covered by a checkpoint, so a restart delivers them again (at-least-once, never lost).
   */
  stop(): void {
    this.stopped = true;
  }

  private async saveCheckpoint(block: number): Promise<void> {
    const hash = this.chain.hashAt(block);
    if (this.stopped || hash === undefined || block === this.saved) return;
    await this.opts.checkpoints.save({ block, hash });
    this.saved = block;
  }

  private async handleReorg(emit: (i: StreamItem<E>) => void): Promise<void> {
    const top = this.chain.head;
    let fork: number | undefined;
    for (const n of this.chain.known()) {
      const h = await this.hashOf(n);
      this.opts.logger.debug({ block: n, chain: h, ours: this.chain.hashAt(n) }, 'follower: fork search');
      if (h === this.chain.hashAt(n)) { fork = n; break; }
    }
    if (fork === undefined) throw new ReorgTooDeepError(top, this.chain.oldest);
    const retracted = this.buffer.rewind(fork);
    this.chain.rewindTo(fork);
    this.opts.logger.warn({ from: top, fork, retracted: retracted.length }, 'follower: reorg');
    for (const r of retracted) emit(r);
    if (this.saved > fork && !this.stopped) {
      await this.opts.checkpoints.save({ block: fork, hash: this.chain.hashAt(fork)! });
      this.saved = fork;
    }
  }

  /** Scans up to `head`, calling `emit` for each confirmed event and each retraction, in order. */
  async tick(head: number, emit: (i: StreamItem<E>) => void): Promise<void> {
    if (!this.started) await this.start(head);
    // Is the block we scanned last still canonical?
    while (this.chain.head >= 0) {
      if ((await this.hashOf(this.chain.head)) === this.chain.hashAt(this.chain.head)) break;
      await this.handleReorg(emit);
    }
    // Deep blocks: chunked getLogs, confirmed at once.
    const deepTo = head - this.chain.window;
    if (this.chain.head < deepTo) {
      await backfillLogs(this.opts.provider, { address: this.source.address, topics: this.source.topics, from: this.chain.head + 1, to: deepTo, chunkSize: this.chunkSize }, async (logs, to) => {
        this.take(logs);
        for (const item of this.buffer.release(to)) emit(item);
        const h = await this.hashOf(to);
        if (h === null) throw new Error(`follower: block ${to} vanished during backfill`);
        this.chain.reset(to, h);
        this.buffer.prune(to + 1);
        await this.saveCheckpoint(to);
      }, this.opts.logger);
    }
    // Recent blocks: one by one, by hash, each linked to its parent.
    for (let n = this.chain.head + 1; n <= head; n = this.chain.head + 1) {
      const b = await this.block(n);
      if (b === null || b.hash === null) break;
      const hash = b.hash.toLowerCase();
      if (!this.chain.extendsHead({ number: b.number, hash, parentHash: b.parentHash })) {
        await this.handleReorg(emit);
        continue;
      }
      const logs = await this.opts.provider.getLogs({ blockHash: hash, address: this.source.address, topics: this.source.topics });
      this.take(logs.filter((l) => l.blockHash.toLowerCase() === hash));
      this.chain.record(n, hash);
    }
    const confirmed = this.chain.head - this.confirmations;
    for (const item of this.buffer.release(confirmed)) emit(item);
    this.buffer.prune(this.chain.head - this.chain.window + 1);
    if (confirmed > this.saved) await this.saveCheckpoint(confirmed);
  }
}

/** Errors after which following cannot safely go on: the stream errors with them. */
export function isFatalFollowerError(e: unknown): boolean {
  return e instanceof ReorgTooDeepError || e instanceof CheckpointNotCanonicalError || e instanceof LogDecodeError
    || e instanceof StaleVersionError || e instanceof CorruptCheckpointError || e instanceof RangeError;
}

/**
 * The follower as an Observable: scans on every head, one scan at a time (heads arriving
 * meanwhile coalesce into one more scan). A scan that fails on I/O (RPC down) is logged and
 * retried with backoff, never erroring the stream; a fatal error (see isFatalFollowerError)
 * errors it.
 */
export function followLogs<E extends ChainPlaced>(opts: FollowerOptions, source: LogSource<E>): Observable<StreamItem<E>> {
  return new Observable<StreamItem<E>>((sub) => {
    const follower = new LogFollower(opts, source);
    const base = opts.retryDelayMs ?? 1000;
    let latest = -1;
    let dirty = false;
    let running = false;
    let closed = false;
    let failures = 0;
    let retry: NodeJS.Timeout | undefined;
    const emit = (i: StreamItem<E>) => { if (!closed) sub.next(i); };
    const run = async (): Promise<void> => {
      if (running || closed) return;
      running = true;
      try {
        while (dirty && !closed) {
          dirty = false;
          try {
            await follower.tick(latest, emit);
            failures = 0;
          } catch (e) {
            if (isFatalFollowerError(e)) { closed = true; sub.error(e); return; }
            const delay = Math.min(30_000, base * 2 ** failures++);
            opts.logger.warn({ err: e instanceof Error ? e.message : String(e), head: latest, retryInMs: delay }, 'follower: scan failed; will retry');
            if (retry !== undefined) clearTimeout(retry);
            retry = setTimeout(() => { dirty = true; void run(); }, delay);
            return;
          }
        }
      } finally {
        running = false;
      }
    };
    const heads = opts.heads.subscribe({
      next: (h) => { latest = h; dirty = true; void run(); },
      error: (e: unknown) => { closed = true; sub.error(e); },
    });
    return () => {
      closed = true;
      follower.stop();
      heads.unsubscribe();
      if (retry !== undefined) clearTimeout(retry);
    };
  });
}
