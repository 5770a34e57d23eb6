/**
 * A Store whose every write is fenced by the lease that owns its key (scale-out: a pool's
 * checkpoint, saga journal and books by that pool's lease; the hedge's, the venues' and the
 * orders' by the hedge's lease). `route(key)` names the fence; a key whose owner this process does
 * not hold routes to `null` and its write is refused with LeaseLostError, never written unfenced;
 * keys no lease owns (API tokens) route to 'unfenced'.
 * Reads pass through.
 */
import { LeaseLostError, type Fence } from './lease.js';
import type { RedisStore } from './redisStore.js';
import type { Store, Versioned } from './store.js';

/** Where a key's writes go: the fence of the lease that owns it (held by this process), null (not held: refused), or unfenced (no lease owns it). */
export type FenceRoute = (key: string) => Fence | null | 'unfenced';

export class RoutedFenceStore implements Store {
  constructor(private readonly base: RedisStore, private readonly route: FenceRoute, private readonly describe: (key: string) => string) {}

  private view(key: string, operation: string): RedisStore {
    const fence = this.route(key);
    if (fence === null) throw new LeaseLostError(this.describe(key), `${operation} ${key}`, 'not held by this process');
    return fence === 'unfenced' ? this.base : this.base.fenced(fence);
  }

  get<T = unknown>(key: string): Promise<Versioned<T> | null> {
    return this.base.get<T>(key);
  }

  put<T = unknown>(key: string, value: T, expectedVersion?: number): Promise<number> {
    return this.view(key, 'write').put(key, value, expectedVersion);
  }

  delete(key: string): Promise<boolean> {
    return this.view(key, 'delete').delete(key);
  }

  keys(prefix: string): Promise<string[]> {
    return this.base.keys(prefix);
  }

  append<T = unknown>(key: string, entry: T): Promise<void> {
    return this.view(key, 'append').append(key, entry);
  }

  read<T = unknown>(key: string, offset?: number, limit?: number): Promise<T[]> {
    return this.base.read<T>(key, offset, limit);
  }

  /** The connection is the base store's: closed by its owner. */
  async close(): Promise<void> {}
}
