import { decodeJson, encodeJson } from './jsonCodec.js';
import { StaleVersionError, type Store, type Versioned } from './store.js';
import { assertStoreKey } from './storeKey.js';

/**
 * A Store held in this process's memory: for backtests and tests of code that needs a store
 * but not durability. Values are copied in and out (through the JSON codec) so callers can
 * never mutate what is stored.
 */
export class MemoryStore implements Store {
  private readonly docs = new Map<string, { text: string; version: number }>();
  private readonly logs = new Map<string, string[]>();

  async get<T = unknown>(key: string): Promise<Versioned<T> | null> {
    assertStoreKey(key);
    const d = this.docs.get(key);
    return d === undefined ? null : { value: decodeJson<T>(d.text), version: d.version };
  }

  async put<T = unknown>(key: string, value: T, expectedVersion?: number): Promise<number> {
    assertStoreKey(key);
    const current = this.docs.get(key)?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== current) throw new StaleVersionError(key, expectedVersion, current);
    const version = current + 1;
    this.docs.set(key, { text: encodeJson(value), version });
    return version;
  }

  async delete(key: string): Promise<boolean> {
    assertStoreKey(key);
    const a = this.docs.delete(key);
    const b = this.logs.delete(key);
    return a || b;
  }

  async keys(prefix: string): Promise<string[]> {
    const all = new Set([...this.docs.keys(), ...this.logs.keys()]);
    return [...all].filter((k) => k.startsWith(prefix)).sort();
  }

  async append<T = unknown>(key: string, entry: T): Promise<void> {
    assertStoreKey(key);
    const log = this.logs.get(key) ?? [];
    log.push(encodeJson(entry));
    this.logs.set(key, log);
  }

  async read<T = unknown>(key: string, offset = 0, limit = Number.MAX_SAFE_INTEGER): Promise<T[]> {
    assertStoreKey(key);
    return (this.logs.get(key) ?? []).slice(offset, offset + limit).map((t) => decodeJson<T>(t));
  }

  async close(): Promise<void> {}
}
