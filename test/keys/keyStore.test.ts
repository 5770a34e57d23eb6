import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Credentials } from '../../src/adapters/keys/credentials.js';
import { KeyStore } from '../../src/adapters/keys/keyStore.js';
import { deriveMasterKey, loadMasterKey } from '../../src/adapters/keys/masterKey.js';
import { FileStore } from '../../src/adapters/store/fileStore.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'rk-keys-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const MASTER = deriveMasterKey('a'.repeat(64));

describe('KeyStore', () => {
  it('round-trips credentials of any content (property)', async () => {
    const ks = await KeyStore.open(new MemoryStore(), MASTER);
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 120 }), async (k, s) => {
        const label = `l${i++}`;
        await ks.add('bybit', label, new Credentials(k, s));
        const { credentials } = await ks.get('bybit', label);
        expect(credentials.apiKey).toBe(k);
        expect(credentials.secret).toBe(s);
      }),
      { numRuns: 100 },
    );
  });

  it('stores only ciphertext on disk and lists no secret', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    const ks = await KeyStore.open(store, MASTER);
    await ks.add('binanceusdm', 'main', new Credentials('APIKEY-visible-nowhere', 'SECRET-visible-nowhere'));
    const file = await readFile(join(dir, 'docs', 'keys%2Fbinanceusdm%2Fmain.json'), 'utf8');
    expect(file).not.toContain('visible-nowhere');
    const list = await ks.list();
    expect(list).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain('visible-nowhere');
    expect(list[0]).toMatchObject({ venue: 'binanceusdm', label: 'main', generation: 1 });
    await store.close();
  });

  it('refuses a wrong master key with a clear error', async () => {
    const store = new MemoryStore();
    const ks = await KeyStore.open(store, MASTER);
    await ks.add('bybit', 'main', new Credentials('k', 's'));
    await expect(KeyStore.open(store, deriveMasterKey('b'.repeat(64)))).rejects.toMatchObject({ code: 'WRONG_MASTER_KEY' });
  });

  it('detects a tampered record: a flipped ciphertext byte, or a record moved to another label', async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    const ks = await KeyStore.open(store, MASTER);
    await ks.add('bybit', 'a', new Credentials('key-a', 'secret-a'));
    await ks.add('bybit', 'b', new Credentials('key-b', 'secret-b'));
    const pathA = join(dir, 'docs', 'keys%2Fbybit%2Fa.json');
    const doc = JSON.parse(await readFile(pathA, 'utf8')) as { value: { box: { data: string } } };
    const bytes = Buffer.from(doc.value.box.data, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    doc.value.box.data = bytes.toString('base64');
    await writeFile(pathA, JSON.stringify(doc));
    await expect(ks.get('bybit', 'a')).rejects.toMatchObject({ code: 'TAMPERED' });
    await writeFile(pathA, await readFile(join(dir, 'docs', 'keys%2Fbybit%2Fb.json'), 'utf8'));
    await expect(ks.get('bybit', 'a')).rejects.toMatchObject({ code: 'TAMPERED' });
    await store.close();
  });

  it('rotates: a reader that keeps running sees the new generation and key', async () => {
    const store = new MemoryStore();
    const writer = await KeyStore.open(store, MASTER);
    const reader = await KeyStore.open(store, MASTER);
    await writer.add('binanceusdm', 'main', new Credentials('old', 'old-secret'));
    expect((await reader.get('binanceusdm', 'main')).info.generation).toBe(1);
    await writer.rotate('binanceusdm', 'main', new Credentials('new', 'new-secret'));
    const after = await reader.get('binanceusdm', 'main');
    expect(after.info.generation).toBe(2);
    expect(after.credentials.apiKey).toBe('new');
    await expect(writer.add('binanceusdm', 'main', new Credentials('x', 'y'))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(writer.rotate('bybit', 'none', new Credentials('x', 'y'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects unknown venues and bad labels, naming them', async () => {
    const ks = await KeyStore.open(new MemoryStore(), MASTER);
    await expect(ks.add('kraken', 'main', new Credentials('k', 's'))).rejects.toThrow(/unknown venue "kraken"/);
    await expect(ks.add('bybit', 'Bad Label', new Credentials('k', 's'))).rejects.toThrow(/bad label "Bad Label"/);
  });
});

describe('Credentials', () => {
  it('never prints its secret, whichever way it is printed', () => {
    const c = new Credentials('AK-PRINT-TEST', 'SK-PRINT-TEST');
    for (const text of [JSON.stringify({ c }), String(c), `${c}`, inspect(c), inspect({ nested: { c } })]) {
      expect(text).not.toContain('PRINT-TEST');
    }
  });
});

describe('master key', () => {
  it('accepts 64 hex chars as the key and stretches a passphrase; refuses short ones', () => {
    expect(deriveMasterKey('0'.repeat(64))).toEqual(Buffer.alloc(32));
    expect(deriveMasterKey('correct horse battery staple')).toHaveLength(32);
    expect(() => deriveMasterKey('short')).toThrow(/at least 16/);
  });

  it('refuses a master key file readable by others, accepts 0600', async () => {
    const dir = await tempDir();
    const f = join(dir, 'master.key');
    await writeFile(f, randomBytes(32).toString('hex'));
    await chmod(f, 0o644);
    await expect(loadMasterKey({ file: f })).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_PERMISSIONS' });
    await chmod(f, 0o600);
    expect(await loadMasterKey({ file: f })).toHaveLength(32);
    await expect(loadMasterKey({})).rejects.toMatchObject({ code: 'NO_MASTER_KEY' });
  });
});
