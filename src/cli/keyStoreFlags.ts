/**
 * The options of the commands that read the encrypted key store (`keys`, `venue check`): where
 * the store is (`--data-dir`, or `--redis`) and the master key file.
 */
import type { StoreConfig } from '../adapters/store/openStore.js';

export const KEY_STORE_OPTIONS = {
  'data-dir': { type: 'string', default: './data' },
  redis: { type: 'string' },
  'master-key-file': { type: 'string' },
} as const;

/**
 * The store the flags name: Redis when `--redis` is given, else the key store's part of the
 * embedded store in `--data-dir` (keysOnly: it does not need, and so does not wait for, the
 * lock a running agent holds on the directory).
 */
export function storeConfigFromFlags(values: { 'data-dir': string; redis?: string | undefined }): StoreConfig {
  return values.redis === undefined ? { kind: 'file', dataDir: values['data-dir'], keysOnly: true } : { kind: 'redis', url: values.redis };
}
