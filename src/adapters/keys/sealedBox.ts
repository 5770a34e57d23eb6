import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyStoreError } from './keyErrors.js';

/** AES-256-GCM ciphertext as stored: all fields base64. */
export interface SealedBox {
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `key`, binding it to `aad` (the record's name),
 * so a ciphertext moved to another record fails to open.
 */
export function seal(key: Buffer, plaintext: string, aad: string): SealedBox {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return { alg: 'aes-256-gcm', iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Decrypts a SealedBox; any change to it, its aad or the key gives KeyStoreError TAMPERED. */
export function open(key: Buffer, box: SealedBox, aad: string): string {
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(Buffer.from(box.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(box.data, 'base64')), d.final()]).toString('utf8');
  } catch {
    throw new KeyStoreError('TAMPERED', `credentials "${aad}" failed authentication: the stored record was modified or belongs elsewhere`);
  }
}
