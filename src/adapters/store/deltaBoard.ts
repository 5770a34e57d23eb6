/**
 * The deltas pool owners publish and an asset's hedge owner nets, in Redis: one board per asset.
 * (The same board, {@link PoolBoard}, carries the pools' risk reports: reportBoard.ts.)
 *
 * Shape: a hash holds each pool's latest delta (field: pool id), and a stream records that a pool
 * changed (XADD, capped). The hedge nets the hash, which is the whole truth at any instant: a new
 * hedge owner reads it once and is complete, a pool that moved between processes keeps its last
 * delta until its new owner publishes one (never missed), and a pool is one field (never counted
 * twice). The stream only wakes the owner (XREAD BLOCK from the last id it saw): a consumer group
 * (XREADGROUP) would hand each change to one consumer once, which is not what netting needs (the
 * latest value per pool, read again by whoever owns the hedge next), and its pending entries would
 * have to be claimed over on every change of owner.
 *
 * Fencing: a publication carries the pool lease's token and is refused (FencedOutError) when a
 * newer token of that pool's lease was issued, checked in the same Lua script that writes: the
 * old owner of a pool that moved (paused, partitioned, still finishing a message) cannot overwrite
 * the new owner's delta, not even once.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { FencedOutError, type Fence } from './lease.js';

/** KEYS: the pool lease's token counter, the board's hash, its stream. ARGV: token, pool id, entry JSON. */
const PUBLISH = `
local newest = tonumber(redis.call('GET', KEYS[1]) or '0')
if newest > tonumber(ARGV[1]) then return {-2, newest} end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', '1000', '*', 'pool', ARGV[2], 'token', ARGV[1])
return {1, 0}
`;

const poolDeltaSchema = z.object({
  poolId: z.string(),
  asset: z.string(),
  symbol: z.string(),
  /** token0-equivalent units of the asset held (long exposure), whole units. */
  delta: z.number(),
  price: z.number(),
  valueUsd: z.number(),
  /** The pool's own hedge ratio (its per-pool settings); null or absent: the agent's. */
  hedgeRatio: z.number().nullable().optional(),
  /** ms since epoch, when the owner measured it. */
  at: z.number(),
  /** The pool lease's fencing token of the owner that published it. */
  token: z.number().int(),
  /** Who published it ("host:pid"). */
  holder: z.string(),
});

/** One pool's delta on the board. */
export type PoolDelta = z.infer<typeof poolDeltaSchema>;

export interface PoolBoardKeys {
  hash: string;
  stream: string;
  /** The token counter of a pool's lease. */
  fence(poolId: string): string;
}

/** What every board entry carries: the pool, and the token of the pool lease's holder that wrote it. */
interface BoardEntry {
  poolId: string;
  token: number;
}

/**
 * A board of each pool's latest entry (a delta, a risk report), written by the pool's owner
 * fenced by the pool's lease, read whole by whoever nets or judges the pools (see above).
 */
export class PoolBoard<T extends BoardEntry> {
  constructor(private readonly redis: Redis, readonly label: string, private readonly keys: PoolBoardKeys, private readonly schema: z.ZodType<T>) {}

  /**
   * Publishes a pool's entry as the holder of `fence` (the pool's lease); throws FencedOutError
   * (and tells fence.onFencedOut) once a newer token of that lease was issued.
   */
  async publish(fence: Fence, d: Omit<T, 'token'>): Promise<void> {
    const entry = { ...d, token: fence.token };
    const res = (await this.redis.eval(PUBLISH, 3, this.keys.fence(d.poolId), this.keys.hash, this.keys.stream, String(fence.token), d.poolId, JSON.stringify(entry))) as [number, number];
    if (res[0] === -2) {
      const err = new FencedOutError(`${this.label}/${d.poolId}`, fence.token, res[1]);
      fence.onFencedOut?.(err);
      throw err;
    }
  }

  /** Every pool's latest entry (entries that do not parse are left out). */
  async read(): Promise<Map<string, T>> {
    const raw = await this.redis.hgetall(this.keys.hash);
    const out = new Map<string, T>();
    for (const [poolId, json] of Object.entries(raw)) {
      const p = this.schema.safeParse(safeJson(json));
      if (p.success && p.data.poolId === poolId) out.set(poolId, p.data);
    }
    return out;
  }

  /**
   * Calls `onBoard` with the whole board now and after every change (a burst of changes is read
   * once), on its own connection (XREAD BLOCK holds one), until the returned stop is called.
   * `everyMs` re-reads the board even without a change (a trimmed stream, a lost wake-up).
   */
  watch(onBoard: (board: Map<string, T>) => void, onError: (err: unknown) => void, everyMs = 5_000): () => Promise<void> {
    const conn = this.redis.duplicate();
    conn.on('error', () => undefined);
    let stopped = false;
    const loop = async (): Promise<void> => {
      // the last change before the first read: nothing after it is missed
      let last = ((await conn.xrevrange(this.keys.stream, '+', '-', 'COUNT', 1))[0]?.[0]) ?? '0-0';
      onBoard(await this.read());
      let readAt = Date.now();
      while (!stopped) {
        const res = await conn.xread('COUNT', 1000, 'BLOCK', Math.min(1_000, everyMs), 'STREAMS', this.keys.stream, last);
        const entries = res?.[0]?.[1] ?? [];
        if (entries.length > 0) last = entries[entries.length - 1]![0];
        if (stopped) break;
        if (entries.length > 0 || Date.now() - readAt >= everyMs) {
          onBoard(await this.read());
          readAt = Date.now();
        }
      }
    };
    const run = (async (): Promise<void> => {
      while (!stopped) {
        try {
          await loop();
        } catch (err) {
          if (stopped) break;
          onError(err);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
    return async () => {
      stopped = true;
      conn.disconnect();
      await run;
    };
  }
}

/** One asset's delta board: the deltas the pool owners publish and the asset's hedge owner nets. */
export class DeltaBoard extends PoolBoard<PoolDelta> {
  constructor(redis: Redis, readonly asset: string, keys: PoolBoardKeys) {
    super(redis, `deltas/${asset}`, keys, poolDeltaSchema);
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
