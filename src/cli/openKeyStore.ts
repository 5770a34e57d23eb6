import { KeyStore } from '../adapters/keys/keyStore.js';
import { loadMasterKey } from '../adapters/keys/masterKey.js';
import type { Store } from '../adapters/store/store.js';

/** The key store kept in `store`, unlocked with the master key from RANGEKEEPER_MASTER_KEY (wins when set) or `masterKeyFile`. */
export async function openKeyStore(store: Store, masterKeyFile: string | undefined): Promise<KeyStore> {
  return KeyStore.open(store, await loadMasterKey({ env: process.env['RANGEKEEPER_MASTER_KEY'], file: masterKeyFile }));
}
