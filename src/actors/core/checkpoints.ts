/**
 * The last persisted state of each actor. A restarted actor (nact `reset`) starts from here, so
 * a crash costs only the message that caused it. Writes go through synchronously to memory and
 * are written behind to the Store (latest wins, one write in flight per key, versioned), so an
 * agent restart also resumes from it.
 */
import type { Logger } from '../../logging/logger.js';
import type { Store } from '../../adapters/store/store.js';
import { LeaseLostError } from '../../adapters/store/lease.js';

export class Checkpoints {
  private readonly mem = new Map<string, unknown>();
  private readonly pending = new Map<string, unknown>();
  private readonly writing = new Set<string>();
  private readonly idle: (() => void)[] = [];

  constructor(private readonly store: Store | null, private readonly log: Logger, private readonly prefix = 'agent/actors/') {}

  /** Loads every stored checkpoint under the prefix (call once at start-up). */
  async load(): Promise<void> {
    if (this.store === null) return;
    for (const key of await this.store.keys(this.prefix)) {
      const doc = await this.store.get(key);
      if (doc !== null) this.mem.set(key.slice(this.prefix.length), doc.value);
    }
  }

  /** Reads `key` again from the store (another process may have written it since load). */
  async reload(key: string): Promise<void> {
    if (this.store === null) return;
    const doc = await this.store.get(this.prefix + key);
    if (doc === null) this.mem.delete(key);
    else this.mem.set(key, doc.value);
  }

  /** The last saved state for `key`, or undefined. */
  get<S>(key: string): S | undefined {
    return this.mem.get(key) as S | undefined;
  }

  /** Saves `state` (already JSON-safe) for `key`. */
  save(key: string, state: unknown): void {
    this.mem.set(key, state);
    if (this.store === null) return;
    this.pending.set(key, state);
    if (!this.writing.has(key)) void this.flushKey(key);
  }

  private async flushKey(key: string): Promise<void> {
    this.writing.add(key);
    try {
      while (this.pending.has(key)) {
        const value = this.pending.get(key);
        this.pending.delete(key);
        try {
          await this.store!.put(this.prefix + key, value);
        } catch (err) {
          // scale-out: the key belongs to a lease another process holds (its owner persists it)
          if (err instanceof LeaseLostError) this.log.debug({ key, why: err.why }, 'checkpoint not written: not this process\'s to write');
          else this.log.error({ err, key }, 'checkpoint write failed; will retry with the next state');
        }
      }
    } finally {
      this.writing.delete(key);
      if (this.writing.size === 0) for (const f of this.idle.splice(0)) f();
    }
  }

  /** Resolves when every pending write has reached the store. */
  async flush(): Promise<void> {
    if (this.writing.size === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
