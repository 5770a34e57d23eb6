import { FileStore } from './fileStore.js';
import { MemoryStore } from './memoryStore.js';
import { RedisStore } from './redisStore.js';
import type { Store } from './store.js';

export type StoreConfig =
  /** keysOnly: just the key store's documents, beside an agent that holds the directory (FileStore.openKeyStore). */
  /** apiTokensOnly: just the API tokens' documents, likewise (FileStore.openApiTokenStore). */
  | { kind: 'file'; dataDir: string; keysOnly?: boolean; apiTokensOnly?: boolean }
  | { kind: 'redis'; url: string; namespace?: string | undefined; sentinels?: { host: string; port: number }[] | undefined; sentinelName?: string | undefined }
  | { kind: 'memory' };

/** Opens the store the configuration names. */
export async function openStore(cfg: StoreConfig): Promise<Store> {
  switch (cfg.kind) {
    case 'file':
      if (cfg.keysOnly === true) return FileStore.openKeyStore(cfg.dataDir);
      return cfg.apiTokensOnly === true ? FileStore.openApiTokenStore(cfg.dataDir) : FileStore.open(cfg.dataDir);
    case 'redis':
      return RedisStore.connect({
        url: cfg.url,
        ...(cfg.namespace === undefined ? {} : { namespace: cfg.namespace }),
        ...(cfg.sentinels === undefined || cfg.sentinelName === undefined ? {} : { redis: { sentinels: cfg.sentinels, name: cfg.sentinelName } }),
      });
    case 'memory':
      return new MemoryStore();
  }
}
