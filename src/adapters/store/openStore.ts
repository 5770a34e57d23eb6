import { FileStore } from './fileStore.js';
import { MemoryStore } from './memoryStore.js';
import { RedisStore } from './redisStore.js';
import type { Store } from './store.js';

export type StoreConfig =
  /** keysOnly: just the key store's documents, beside an agent that holds the directory (FileStore.openKeyStore). */
  /** apiTokensOnly: just the API tokens' documents, likewise (FileStore.openApiTokenStore). */
  | { kind: 'file'; dataDir: string; keysOnly?: boolean; apiTokensOnly?: boolean }
  | { kind: 'redis'; url: string; namespace?: string }
  | { kind: 'memory' };

/** Opens the store the configuration names. */
export async function openStore(cfg: StoreConfig): Promise<Store> {
  switch (cfg.kind) {
    case 'file':
      if (cfg.keysOnly === true) return FileStore.openKeyStore(cfg.dataDir);
      return cfg.apiTokensOnly === true ? FileStore.openApiTokenStore(cfg.dataDir) : FileStore.open(cfg.dataDir);
    case 'redis':
      return RedisStore.connect(cfg.namespace === undefined ? { url: cfg.url } : { url: cfg.url, namespace: cfg.namespace });
    case 'memory':
      return new MemoryStore();
  }
}
