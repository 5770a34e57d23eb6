import { FileStore } from './fileStore.js';
import { MemoryStore } from './memoryStore.js';
import { RedisStore } from './redisStore.js';
import type { Store } from './store.js';

export type StoreConfig =
  /** keysOnly: just the key store's documents, beside an agent that holds the directory (FileStore.openKeyStore). */
  | { kind: 'file'; dataDir: string; keysOnly?: boolean }
  | { kind: 'redis'; url: string; namespace?: string }
  | { kind: 'memory' };

/** Opens the store the configuration names. */
export async function openStore(cfg: StoreConfig): Promise<Store> {
  switch (cfg.kind) {
    case 'file':
      return cfg.keysOnly === true ? FileStore.openKeyStore(cfg.dataDir) : FileStore.open(cfg.dataDir);
    case 'redis':
      return RedisStore.connect(cfg.namespace === undefined ? { url: cfg.url } : { url: cfg.url, namespace: cfg.namespace });
    case 'memory':
      return new MemoryStore();
  }
}
