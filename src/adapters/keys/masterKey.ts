import { createHash, scryptSync } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { KeyStoreError } from './keyErrors.js';

/** Where the 32-byte master key comes from. */
export interface MasterKeySource {
  /** RANGEKEEPER_MASTER_KEY: 64 hex chars (the key itself) or any passphrase of >= 16 chars. */
  env?: string | undefined;
  /** A file holding the same, readable by its owner only (mode 0600 or stricter). */
  file?: string | undefined;
}

const KDF_SALT = 'rangekeeper/master-key/v1';

/**
 * Turns the master key material into a 32-byte AES key. 64 hex characters are used as the key
 * itself; anything else is a passphrase stretched with scrypt (N=2^15). Too short a passphrase
 * is refused.
 */
export function deriveMasterKey(material: string): Buffer {
  const m = material.trim();
  if (/^[0-9a-fA-F]{64}$/.test(m)) return Buffer.from(m, 'hex');
  if (m.length < 16) throw new KeyStoreError('BAD_MASTER_KEY', 'master key: use 64 hex characters or a passphrase of at least 16 characters');
  return scryptSync(m, KDF_SALT, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

/** Loads the master key from the environment or from a 0600 file; the env wins when both are set. */
export async function loadMasterKey(src: MasterKeySource): Promise<Buffer> {
  if (src.env !== undefined && src.env !== '') return deriveMasterKey(src.env);
  if (src.file !== undefined) {
    let mode: number;
    try {
      mode = (await stat(src.file)).mode;
    } catch {
      throw new KeyStoreError('NO_MASTER_KEY', `master key file ${src.file} cannot be read`);
    }
    if ((mode & 0o077) !== 0) {
      throw new KeyStoreError('MASTER_KEY_FILE_PERMISSIONS', `master key file ${src.file} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${src.file}`);
    }
    return deriveMasterKey(await readFile(src.file, 'utf8'));
  }
  throw new KeyStoreError('NO_MASTER_KEY', 'no master key: set RANGEKEEPER_MASTER_KEY or pass --master-key-file FILE (mode 0600)');
}

/** A public fingerprint of the master key, to tell which key a store was made with. */
export function masterKeyCheck(key: Buffer): string {
  return createHash('sha256').update('rangekeeper/key-check/v1').update(key).digest('hex').slice(0, 16);
}
