import { Redis, type RedisOptions } from 'ioredis';
import { decodeJson, encodeJson } from './jsonCodec.js';
import { StaleVersionError, type Store, type Versioned } from './store.js';
import { assertStoreKey } from './storeKey.js';
import { FencedOutError, type Fence } from './lease.js';
import { RedisLease, type RedisLeaseOptions } from './redisLease.js';
import { DeltaBoard, PoolBoard, type PoolBoardKeys } from './deltaBoard.js';
import { poolReportEntrySchema, type PoolReportEntry } from './reportBoard.js';
import { FeedMirror, type FeedMirrorOptions } from './feedMirror.js';
import { HaltRecords } from './haltRecord.js';
import { PoolCommands } from './poolCommands.js';
import { LeaseShares, type LeaseSharesOptions } from './leaseShares.js';

/**
 * Every write script starts with the fence: KEYS[1] the lease's token counter, ARGV[1] the
 * writer's token ("" = an unfenced writer). A token older than the newest one issued is refused
 * with {-2, newest} before anything is written.
 */
const FENCE = `
if ARGV[1] ~= '' then
  local newest = tonumber(redis.call('GET', KEYS[1]) or '0')
  if newest > tonumber(ARGV[1]) then return {-2, newest} end
end
`;

/**
 * Writes a document and bumps its version in one atomic step on the server. KEYS[2] the
 * document hash, KEYS[3] the key index; ARGV[2..4]: value, expected version ("" = any), key name.
 * Returns the new version, or {-1, current} when the expected version does not match. The
 * writer's token is kept with the document (field t).
 */
const PUT_SCRIPT = `${FENCE}
local cur = tonumber(redis.call('HGET', KEYS[2], 'v') or '0')
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= cur then return {-1, cur} end
redis.call('HSET', KEYS[2], 'v', cur + 1, 'd', ARGV[2], 't', ARGV[1])
redis.call('ZADD', KEYS[3], 0, ARGV[4])
return {cur + 1, cur}
`;

/** Appends to a log: KEYS[2] the list, KEYS[3] the key index; ARGV[2] the entry, ARGV[3] the key name. */
const APPEND_SCRIPT = `${FENCE}
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], 0, ARGV[3])
return {0, 0}
`;

/** Deletes a key's document and log: KEYS[2] the document, KEYS[3] the log, KEYS[4] the index; ARGV[2] the key name. */
const DELETE_SCRIPT = `${FENCE}
local n = redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[2])
return {n, 0}
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
 * The Store on Redis: each document is a hash {v: version, d: JSON, t: writer's fencing token},
 * written by a Lua script so the version check and the write are one atomic step (two agents
 * sharing a Redis can never both win). Logs are lists. A sorted set indexes the keys for prefix
 * listing. {@link RedisStore.fenced} gives a view whose every write carries a lease's fencing
 * token and is refused (FencedOutError) once a newer token was issued; {@link RedisStore.lease}
 * makes the lease (redisLease.ts).
 *
 * For Redis Cluster, every key of a namespace must hash to one slot (the scripts touch several):
 * give the namespace a hash tag, e.g. "{rangekeeper}".
 */
export class RedisStore implements Store {
  private constructor(
    private readonly redis: Redis,
    private readonly ns: string,
    private readonly fence: Fence | null = null,
    /** False for a fenced view: closing it leaves the shared connection open. */
    private readonly ownsConnection = true,
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

  /**
   * This store as the holder of `fence.token` writes it: every put, append and delete is refused
   * with FencedOutError (and `fence.onFencedOut` told) once a newer token of the lease was issued.
   * Shares this store's connection; closing the view does not close it.
   */
  fenced(fence: Fence): RedisStore {
    return new RedisStore(this.redis, this.ns, fence, false);
  }

  /** The lease `name` (e.g. "agent/<id>") in this store's namespace, taken as `holder`. */
  lease(name: string, opts: Omit<RedisLeaseOptions, 'redis' | 'keys' | 'name'>): RedisLease {
    assertStoreKey(name);
    return new RedisLease({ ...opts, redis: this.redis, name, keys: { lease: `${this.ns}:lease:${name}`, counter: this.fenceKey(name) } });
  }

  /**
   * The leases `leaseName(item)` of `items`, shared fairly with every other process that asks for
   * the same group (leaseShares.ts); each item's lease is taken as `holder` for ttlMs.
   */
  shares(group: string, o: Omit<LeaseSharesOptions, 'redis' | 'group' | 'membersKey' | 'lease' | 'leaseKey'> & { leaseName(item: string): string }): LeaseShares {
    assertStoreKey(group);
    return new LeaseShares({
      ...o, redis: this.redis, group, membersKey: `${this.ns}:members:${group}`,
      lease: (item) => this.lease(o.leaseName(item), { holder: o.holder, ttlMs: o.ttlMs, ...(o.log === undefined ? {} : { log: o.log }) }),
      leaseKey: (item) => `${this.ns}:lease:${o.leaseName(item)}`,
    });
  }

  /**
   * The board `name` (e.g. "agent/<id>/deltas/ETH") where pool owners publish the deltas of
   * `asset` (deltaBoard.ts); a pool's publication is fenced by the lease `poolLease(poolId)`.
   */
  deltaBoard(name: string, asset: string, poolLease: (poolId: string) => string): DeltaBoard {
    return new DeltaBoard(this.redis, asset, this.boardKeys(name, poolLease));
  }

  /** The board `name` (e.g. "agent/<id>/reports") of the pools' risk reports (reportBoard.ts), fenced like a delta board. */
  reportBoard(name: string, poolLease: (poolId: string) => string): PoolBoard<PoolReportEntry> {
    return new PoolBoard(this.redis, name, this.boardKeys(name, poolLease), poolReportEntrySchema);
  }

  private boardKeys(name: string, poolLease: (poolId: string) => string): PoolBoardKeys {
    assertStoreKey(name);
    return { hash: `${this.ns}:board:${name}`, stream: `${this.ns}:board-changes:${name}`, fence: (poolId) => this.fenceKey(poolLease(poolId)) };
  }

  /** The feed of the agent `name` (e.g. "agent/<id>") mirrored between its processes (feedMirror.ts). */
  feedMirror(name: string, o: Omit<FeedMirrorOptions, 'redis' | 'hashKey' | 'channel'>): FeedMirror {
    assertStoreKey(name);
    return new FeedMirror({ ...o, redis: this.redis, hashKey: `${this.ns}:feed:${name}`, channel: `${this.ns}:feed-changes:${name}` });
  }

  /** The halt record of the agent `name` (e.g. "agent/<id>") shared by its processes (haltRecord.ts). */
  haltRecords(name: string): HaltRecords {
    assertStoreKey(name);
    return new HaltRecords(this.redis, { hash: `${this.ns}:halt:${name}`, audit: `${this.ns}:halt-log:${name}`, channel: `${this.ns}:halt-changes:${name}` });
  }

  /** The operator commands for the pools of the agent `name` (e.g. "agent/<id>"), to their owners (poolCommands.ts). */
  poolCommands(name: string, holder: string): PoolCommands {
    assertStoreKey(name);
    return new PoolCommands(this.redis, { stream: `${this.ns}:commands:${name}`, reply: (id) => `${this.ns}:command-reply:${name}/${id}` }, holder);
  }

  /** Who holds the lease `name` now ("host:pid#token"), null when nobody does. */
  leaseHolder(name: string): Promise<string | null> {
    assertStoreKey(name);
    return this.redis.get(`${this.ns}:lease:${name}`);
  }

  private fenceKey(name: string): string {
    return `${this.ns}:fence:${name}`;
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

  /** Runs a write script behind the fence; returns its result, or throws FencedOutError. */
  private async write(key: string, script: string, keys: string[], args: string[]): Promise<[number, number]> {
    const f = this.fence;
    const res = (await this.redis.eval(script, keys.length + 1, f === null ? this.fenceKey('none') : this.fenceKey(f.name), ...keys, f === null ? '' : String(f.token), ...args)) as [number, number];
    if (res[0] === -2 && f !== null) {
      const err = new FencedOutError(key, f.token, res[1]);
      f.onFencedOut?.(err);
      throw err;
    }
    return res;
  }

  async get<T = unknown>(key: string): Promise<Versioned<T> | null> {
    assertStoreKey(key);
    const [v, d] = await this.redis.hmget(this.doc(key), 'v', 'd');
    if (v === null || v === undefined || d === null || d === undefined) return null;
    return { value: decodeJson<T>(d), version: Number(v) };
  }

  async put<T = unknown>(key: string, value: T, expectedVersion?: number): Promise<number> {
    assertStoreKey(key);
    const res = await this.write(key, PUT_SCRIPT, [this.doc(key), this.index], [encodeJson(value), expectedVersion === undefined ? '' : String(expectedVersion), key]);
    if (res[0] === -1) throw new StaleVersionError(key, expectedVersion ?? 0, res[1]);
    return res[0];
  }

  async delete(key: string): Promise<boolean> {
    assertStoreKey(key);
    const res = await this.write(key, DELETE_SCRIPT, [this.doc(key), this.log(key), this.index], [key]);
    return res[0] > 0;
  }

  async keys(prefix: string): Promise<string[]> {
    const max = `[${prefix}\xff`;
    return this.redis.zrangebylex(this.index, `[${prefix}`, max);
  }

  async append<T = unknown>(key: string, entry: T): Promise<void> {
    assertStoreKey(key);
    await this.write(key, APPEND_SCRIPT, [this.log(key), this.index], [encodeJson(entry), key]);
  }

  async read<T = unknown>(key: string, offset = 0, limit = Number.MAX_SAFE_INTEGER): Promise<T[]> {
    assertStoreKey(key);
    const stop = limit >= Number.MAX_SAFE_INTEGER - offset ? -1 : offset + limit - 1;
    const items = await this.redis.lrange(this.log(key), offset, stop);
    return items.map((t) => decodeJson<T>(t));
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit();
  }
}
