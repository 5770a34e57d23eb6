import { Redis, type RedisOptions } from 'ioredis';
import { decodeJson, encodeJson } from './jsonCodec.js';
import { StaleVersionError, type Store, type Versioned } from './store.js';
import { assertStoreKey } from './storeKey.js';

/**
 * Writes a document and bumps its version in one atomic step on the server. KEYS[1] the
 * document hash, KEYS[2] the key index; ARGV: value, expected version ("" = any), key name.
 * Returns the new version, or {-1, current} when the expected version does not match.
 */
const PUT_SCRIPT = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= cur then return {-1, cur} end
redis.call('HSET', KEYS[1], 'v', cur + 1, 'd', ARGV[1])
redis.call('ZADD', KEYS[2], 0, ARGV[3])
return {cur + 1, cur}
`;

export interface RedisStoreOptions {
  /** redis://host:port/db; default redis://127.0.0.1:6379 */
  url?: string;
  /** Namespace prepended to every key, default "rangekeeper". */
  namespace?: string;
  redis?: RedisOptions;
}

/** `url` without its password (redis://user:PASSWORD@host): safe to print. */
export function redisUrlForDisplay(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable Redis URL)';
  }
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(url: string, cause: unknown) {
    super(`store: cannot reach Redis at ${redisUrlForDisplay(url)}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The Store on Redis: each document is a hash {v: version, d: JSON}, written by a Lua script so
 * the version check and the write are one atomic step (two agents sharing a Redis can never
 * both win). Logs are lists. A sorted set indexes the keys for prefix listing.
 */
export class RedisStore implements Store {
  private constructor(
    private readonly redis: Redis,
    private readonly ns: string,
  ) {}

  /** Connects and checks the server answers; throws StoreUnavailableError otherwise. */
  static async connect(opts: RedisStoreOptions = {}): Promise<RedisStore> {
    const url = opts.url ?? 'redis://127.0.0.1:6379';
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, ...opts.redis });
    // Connection errors surface through the failing commands (and ioredis reconnects by
    // itself); without a listener ioredis would also print each one as "Unhandled error event".
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      throw new StoreUnavailableError(url, err);
    }
    return new RedisStore(redis, opts.namespace ?? 'rangekeeper');
  }

  private doc(key: string): string {
    return `${this.ns}:doc:${key}`;
  }

  private log(key: string): string {
    return `${this.ns}:log:${key}`;
  }

  private get index(): string {
    return `${this.ns}:keys`;
  }

  async get<T = unknown>(key: string): Promise<Versioned<T> | null> {
    assertStoreKey(key);
    const [v, d] = await this.redis.hmget(this.doc(key), 'v', 'd');
    if (v === null || v === undefined || d === null || d === undefined) return null;
    return { value: decodeJson<T>(d), version: Number(v) };
  }

  async put<T = unknown>(key: string, value: T, expectedVersion?: number): Promise<number> {
    assertStoreKey(key);
    const res = (await this.redis.eval(PUT_SCRIPT, 2, this.doc(key), this.index, encodeJson(value), expectedVersion === undefined ? '' : String(expectedVersion), key)) as [number, number];
    if (res[0] === -1) throw new StaleVersionError(key, expectedVersion ?? 0, res[1]);
    return res[0];
  }

  async delete(key: string): Promise<boolean> {
    assertStoreKey(key);
    const n = await this.redis.del(this.doc(key), this.log(key));
    await this.redis.zrem(this.index, key);
    return n > 0;
  }

  async keys(prefix: string): Promise<string[]> {
    const max = `[${prefix}\xff`;
    return this.redis.zrangebylex(this.index, `[${prefix}`, max);
  }

  async append<T = unknown>(key: string, entry: T): Promise<void> {
    assertStoreKey(key);
    await this.redis.multi().rpush(this.log(key), encodeJson(entry)).zadd(this.index, 0, key).exec();
  }

  async read<T = unknown>(key: string, offset = 0, limit = Number.MAX_SAFE_INTEGER): Promise<T[]> {
    assertStoreKey(key);
    const stop = limit >= Number.MAX_SAFE_INTEGER - offset ? -1 : offset + limit - 1;
    const items = await this.redis.lrange(this.log(key), offset, stop);
    return items.map((t) => decodeJson<T>(t));
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
