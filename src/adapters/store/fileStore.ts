import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireFileLock } from './fileLock.js';
import { decodeJson, encodeJson } from './jsonCodec.js';
import { StaleVersionError, type Store, type Versioned } from './store.js';
import { assertStoreKey } from './storeKey.js';

interface Doc {
  version: number;
  value: unknown;
}

/**
 * The embedded store: JSON files under a data directory (default ./data), no server needed.
 * Documents are written to a temporary file, fsynced and renamed over the old one, so a crash
 * at any instant leaves either the old or the new version, never a torn file. Logs are JSON
 * lines appended with fsync; a torn last line (crash mid-append) is ignored on read. One
 * process owns a data directory at a time (a lock file holds its pid).
 *
 * The encrypted key store's documents (`keys/…`) are the exception: `rangekeeper keys` opens
 * the directory with {@link FileStore.openKeyStore}, which may touch only those documents and
 * takes the key store's own lock (.keys.lock) instead of the directory's, so keys can be added
 * and rotated beside the running agent. Every write is a rename of a complete file, and the
 * agent re-reads the record from disk on each rotation check, so it sees the new generation.
 */
/** The key store's documents: the part of a data directory `rangekeeper keys` may open beside a running agent. */
export const KEY_STORE_PREFIX = 'keys/';
/** The API tokens' documents: `rangekeeper api-token` opens just these beside a running agent, the same way. */
export const API_TOKEN_STORE_PREFIX = 'api-tokens/';

export class FileStore implements Store {
  private readonly queues = new Map<string, Promise<unknown>>();

  private constructor(
    readonly dir: string,
    private readonly release: () => Promise<void>,
    /** Only keys under this prefix may be used (null: all). */
    private readonly scope: string | null,
  ) {}

  /** Opens (creating if needed, mode 0700) the store in `dir` and locks it. */
  static async open(dir: string): Promise<FileStore> {
    await FileStore.makeDirs(dir);
    const release = await acquireFileLock(join(dir, '.lock'));
    return new FileStore(dir, release, null);
  }

  /**
   * Opens only the key store's documents (`keys/…`) in `dir`, under the key store's own lock
   * (.keys.lock): works while an agent holds the directory; two key commands exclude each other.
   */
  static async openKeyStore(dir: string): Promise<FileStore> {
    await FileStore.makeDirs(dir);
    const release = await acquireFileLock(join(dir, '.keys.lock'), 'key store');
    return new FileStore(dir, release, KEY_STORE_PREFIX);
  }

  /** Opens only the API tokens' documents (`api-tokens/…`) in `dir`, under their own lock (.api-tokens.lock). */
  static async openApiTokenStore(dir: string): Promise<FileStore> {
    await FileStore.makeDirs(dir);
    const release = await acquireFileLock(join(dir, '.api-tokens.lock'), 'API token store');
    return new FileStore(dir, release, API_TOKEN_STORE_PREFIX);
  }

  private static async makeDirs(dir: string): Promise<void> {
    await mkdir(join(dir, 'docs'), { recursive: true, mode: 0o700 });
    await mkdir(join(dir, 'logs'), { recursive: true, mode: 0o700 });
  }

  private check(key: string): void {
    assertStoreKey(key);
    if (this.scope !== null && !key.startsWith(this.scope)) throw new Error(`store: ${key} is outside this store's scope ${this.scope}`);
  }

  private docPath(key: string): string {
    return join(this.dir, 'docs', `${encodeURIComponent(key)}.json`);
  }

  private logPath(key: string): string {
    return join(this.dir, 'logs', `${encodeURIComponent(key)}.jsonl`);
  }

  /** Runs `fn` after every earlier operation on the same key has finished. */
  private serial<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }

  private async readDoc(key: string): Promise<Doc | null> {
    try {
      return decodeJson<Doc>(await readFile(this.docPath(key), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async get<T = unknown>(key: string): Promise<Versioned<T> | null> {
    this.check(key);
    const d = await this.readDoc(key);
    return d === null ? null : { value: d.value as T, version: d.version };
  }

  async put<T = unknown>(key: string, value: T, expectedVersion?: number): Promise<number> {
    this.check(key);
    // encoded now, not when the queue reaches this write: a caller may change the value after the
    // call (an actor's book updated in place by its next turn), and the document must hold what was put
    const encoded = encodeJson(value) as string | undefined;
    return this.serial(key, async () => {
      const current = (await this.readDoc(key))?.version ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== current) throw new StaleVersionError(key, expectedVersion, current);
      const version = current + 1;
      const path = this.docPath(key);
      const tmp = `${path}.${process.pid}.tmp`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(encoded === undefined ? `{"version":${version}}` : `{"version":${version},"value":${encoded}}`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      const dirHandle = await open(join(this.dir, 'docs'), 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
      return version;
    });
  }

  async delete(key: string): Promise<boolean> {
    this.check(key);
    return this.serial(key, async () => {
      let removed = false;
      for (const p of [this.docPath(key), this.logPath(key)]) {
        try {
          await unlink(p);
          removed = true;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      return removed;
    });
  }

  async keys(prefix: string): Promise<string[]> {
    const names = [...(await readdir(join(this.dir, 'docs'))), ...(await readdir(join(this.dir, 'logs')))];
    const keys = new Set<string>();
    for (const n of names) {
      const m = /^(.*)\.(json|jsonl)$/.exec(n);
      if (m === null) continue;
      const key = decodeURIComponent(m[1]!);
      if (key.startsWith(prefix) && (this.scope === null || key.startsWith(this.scope))) keys.add(key);
    }
    return [...keys].sort();
  }

  async append<T = unknown>(key: string, entry: T): Promise<void> {
    this.check(key);
    const line = `${encodeJson(entry)}\n`; // encoded at the call, as put's document
    return this.serial(key, async () => {
      const fh = await open(this.logPath(key), 'a', 0o600);
      try {
        await fh.appendFile(line);
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
  }

  async read<T = unknown>(key: string, offset = 0, limit = Number.MAX_SAFE_INTEGER): Promise<T[]> {
    this.check(key);
    let text: string;
    try {
      text = await readFile(this.logPath(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const lines = text.split('\n');
    const complete = lines.slice(0, -1); // the part after the last newline is empty, or a torn write
    return complete.slice(offset, offset + limit).map((l) => decodeJson<T>(l));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()]);
    await this.release();
  }
}

