import { z } from 'zod';
import { StaleVersionError, type Store } from '../store/store.js';
import { Credentials } from './credentials.js';
import { KeyStoreError } from './keyErrors.js';
import { masterKeyCheck } from './masterKey.js';
import { open, seal, type SealedBox } from './sealedBox.js';

export const VenueIdSchema = z.enum(['binanceusdm', 'bybit']);
export type VenueId = z.infer<typeof VenueIdSchema>;
export const KeyLabelSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'label: 1-32 of a-z 0-9 _ -, starting with a letter or digit');

/** What `keys list` shows: never a secret. */
export interface KeyInfo {
  venue: VenueId;
  label: string;
  fingerprint: string;
  createdAt: string;
  rotatedAt: string | null;
  /** Increases by one on every rotation. */
  generation: number;
}

interface KeyRecord extends KeyInfo {
  box: SealedBox;
}

const META_KEY = 'keys/_meta';
const recordKey = (venue: VenueId, label: string) => `keys/${venue}/${label}`;
const aadOf = (venue: VenueId, label: string) => `${venue}/${label}`;

const SecretPayload = z.object({ apiKey: z.string().min(1), secret: z.string().min(1), password: z.string().optional() });

/**
 * Exchange credentials encrypted at rest (AES-256-GCM under the master key, each record bound to
 * its venue/label), kept in any Store. A key-check value in the store tells a wrong master key
 * apart from a tampered record.
 */
export class KeyStore {
  private constructor(
    private readonly store: Store,
    private readonly key: Buffer,
  ) {}

  /** Opens the key store; throws WRONG_MASTER_KEY when the store was made with another key. */
  static async open(store: Store, masterKey: Buffer): Promise<KeyStore> {
    const meta = await store.get<{ check: string }>(META_KEY);
    if (meta !== null && meta.value.check !== masterKeyCheck(masterKey)) {
      throw new KeyStoreError('WRONG_MASTER_KEY', 'the master key does not match the one this key store was created with');
    }
    if (meta === null) await store.put(META_KEY, { check: masterKeyCheck(masterKey) }, 0).catch(() => undefined);
    return new KeyStore(store, masterKey);
  }

  private static validate(venue: string, label: string): VenueId {
    const v = VenueIdSchema.safeParse(venue);
    if (!v.success) throw new KeyStoreError('BAD_INPUT', `unknown venue "${venue}" (expected one of: ${VenueIdSchema.options.join(', ')})`);
    const l = KeyLabelSchema.safeParse(label);
    if (!l.success) throw new KeyStoreError('BAD_INPUT', `bad label "${label}": ${l.error.issues[0]?.message ?? 'invalid'}`);
    return v.data;
  }

  private sealRecord(venue: VenueId, label: string, creds: Credentials): SealedBox {
    const payload = { apiKey: creds.apiKey, secret: creds.secret, ...(creds.password === undefined ? {} : { password: creds.password }) };
    return seal(this.key, JSON.stringify(payload), aadOf(venue, label));
  }

  /** Stores new credentials; refuses to overwrite an existing label (use rotate). */
  async add(venue: string, label: string, creds: Credentials, now = new Date()): Promise<KeyInfo> {
    const v = KeyStore.validate(venue, label);
    const info: KeyInfo = { venue: v, label, fingerprint: creds.fingerprint, createdAt: now.toISOString(), rotatedAt: null, generation: 1 };
    try {
      await this.store.put<KeyRecord>(recordKey(v, label), { ...info, box: this.sealRecord(v, label, creds) }, 0);
    } catch (err) {
      if (err instanceof StaleVersionError) throw new KeyStoreError('ALREADY_EXISTS', `credentials ${v}/${label} already exist; use "keys rotate ${v} ${label}"`);
      throw err;
    }
    return info;
  }

  /** Replaces the credentials of an existing label (atomically, version-checked). */
  async rotate(venue: string, label: string, creds: Credentials, now = new Date()): Promise<KeyInfo> {
    const v = KeyStore.validate(venue, label);
    const cur = await this.store.get<KeyRecord>(recordKey(v, label));
    if (cur === null) throw new KeyStoreError('NOT_FOUND', `no credentials ${v}/${label}`);
    const info: KeyInfo = { ...stripBox(cur.value), fingerprint: creds.fingerprint, rotatedAt: now.toISOString(), generation: cur.value.generation + 1 };
    await this.store.put<KeyRecord>(recordKey(v, label), { ...info, box: this.sealRecord(v, label, creds) }, cur.version);
    return info;
  }

  async remove(venue: string, label: string): Promise<void> {
    const v = KeyStore.validate(venue, label);
    if (!(await this.store.delete(recordKey(v, label)))) throw new KeyStoreError('NOT_FOUND', `no credentials ${v}/${label}`);
  }

  async list(): Promise<KeyInfo[]> {
    const out: KeyInfo[] = [];
    for (const k of await this.store.keys('keys/')) {
      if (k === META_KEY) continue;
      const r = await this.store.get<KeyRecord>(k);
      if (r !== null) out.push(stripBox(r.value));
    }
    return out;
  }

  /** Decrypts and returns the credentials with their generation (to notice a rotation). */
  async get(venue: string, label: string): Promise<{ credentials: Credentials; info: KeyInfo }> {
    const v = KeyStore.validate(venue, label);
    const r = await this.store.get<KeyRecord>(recordKey(v, label));
    if (r === null) throw new KeyStoreError('NOT_FOUND', `no credentials ${v}/${label}`);
    const parsed = SecretPayload.safeParse(JSON.parse(open(this.key, r.value.box, aadOf(v, label))));
    if (!parsed.success) throw new KeyStoreError('TAMPERED', `credentials ${v}/${label} decrypted to an unexpected shape`);
    const creds = new Credentials(parsed.data.apiKey, parsed.data.secret, parsed.data.password);
    if (creds.fingerprint !== r.value.fingerprint) throw new KeyStoreError('TAMPERED', `credentials ${v}/${label}: fingerprint does not match the record`);
    return { credentials: creds, info: stripBox(r.value) };
  }
}

function stripBox(r: KeyRecord): KeyInfo {
  return { venue: r.venue, label: r.label, fingerprint: r.fingerprint, createdAt: r.createdAt, rotatedAt: r.rotatedAt, generation: r.generation };
}
