/**
 * The store every stateful part of the agent persists through: a key-value map of JSON
 * documents with a version per key, so writes are idempotent and a stale writer is detected.
 * Two implementations: Redis (ioredis) and an embedded file store under --data-dir.
 */
export interface Versioned<T> {
  value: T;
  /** Starts at 1 on first write, +1 on each write. */
  version: number;
}

export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
  constructor(readonly key: string, readonly expected: number, readonly actual: number) {
    super(`store: key "${key}" is at version ${actual}, expected ${expected}`);
  }
}

export interface Store {
  get<T = unknown>(key: string): Promise<Versioned<T> | null>;
  /**
   * Writes `value`. With `expectedVersion` (0 = must not exist) the write happens only if the
   * current version matches, otherwise StaleVersionError. Returns the new version.
   */
  put<T = unknown>(key: string, value: T, expectedVersion?: number): Promise<number>;
  delete(key: string): Promise<boolean>;
  /** Keys starting with `prefix`, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** Appends to an append-only log under `key` (events, audit trail). */
  append<T = unknown>(key: string, entry: T): Promise<void>;
  /** Reads the log from `offset` (0-based). */
  read<T = unknown>(key: string, offset?: number, limit?: number): Promise<T[]>;
  close(): Promise<void>;
}
