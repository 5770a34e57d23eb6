/**
 * An operator's command for a pool another process owns (pools mode), carried through Redis: the
 * process the API was asked appends it to the agent's command stream (XADD, capped) naming the
 * pool, the owner's lease token it found and a reply key; every process reads the stream (XREAD
 * BLOCK from the newest entry when it started) and only the one that holds the pool's lease with
 * exactly that token carries it out and pushes its answer to the reply key (LPUSH, expiring),
 * which the asker waits on (BLPOP). A process holding the pool under a newer token answers that
 * the pool moved; an old owner whose lease is gone answers nothing (the asker times out).
 */
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A pool command refused because its pool has no owner that can take it now. */
export class PoolOwnerError extends Error {
  override readonly name = 'PoolOwnerError';
  /** `owner`: the process that holds the pool ("host:pid#token"), null when none does. */
  constructor(readonly poolId: string, readonly owner: string | null, why: string) {
    super(`pool ${poolId}: ${why}`);
  }
}

/** The owner did not answer in time (the command may still be carried out). */
export class PoolCommandTimeoutError extends Error {
  override readonly name = 'PoolCommandTimeoutError';
  constructor(readonly poolId: string, readonly owner: string, readonly timeoutMs: number) {
    super(`pool ${poolId}: its owner ${owner} did not answer within ${timeoutMs} ms; the command may still be carried out`);
  }
}

const tickRangeSchema = z.object({ tickLower: z.number().int(), tickUpper: z.number().int() });

export const poolCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rebalance'), range: tickRangeSchema.nullable() }),
  z.object({
    kind: z.literal('settings'),
    patch: z.object({
      rangeWidthMultiplier: z.number().nullable().optional(), rebalanceThreshold: z.number().nullable().optional(), apyThreshold: z.number().nullable().optional(),
      minCapitalEfficiency: z.number().nullable().optional(), hedgeRatio: z.number().nullable().optional(), paused: z.boolean().nullable().optional(),
    }).strict(),
  }),
]);
/** What an operator asks of a pool's owner. */
export type PoolCommand = z.infer<typeof poolCommandSchema>;

const envelopeSchema = z.object({
  id: z.string(),
  poolId: z.string(),
  /** The pool lease's token of the owner the asker found. */
  token: z.number().int(),
  by: z.string(),
  /** The asking process ("host:pid"). */
  from: z.string(),
  replyKey: z.string(),
  command: poolCommandSchema,
});

const answerSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), owner: z.string().nullable(), message: z.string() }),
]);
type Answer = z.infer<typeof answerSchema>;

/** Whether this process may carry out a command for the pool under `token`: yes, or who holds it instead. */
export type OwnerCheck = { ok: true } | { ok: false; owner: string | null };

export interface PoolCommandsKeys {
  stream: string;
  /** The reply key of a command id. */
  reply(id: string): string;
}

export class PoolCommands {
  constructor(private readonly redis: Redis, private readonly keys: PoolCommandsKeys, private readonly holder: string) {}

  /**
   * Sends `command` to the owner of `poolId` (holding its lease under `token`) and waits for its
   * answer: the result, or PoolOwnerError (the pool moved) or PoolCommandTimeoutError.
   */
  async send(poolId: string, owner: { holder: string; token: number }, command: PoolCommand, by: string, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    const replyKey = this.keys.reply(id);
    const env = { id, poolId, token: owner.token, by, from: this.holder, replyKey, command };
    const wait = this.redis.duplicate();
    wait.on('error', () => undefined);
    try {
      await this.redis.xadd(this.keys.stream, 'MAXLEN', '~', '1000', '*', 'command', JSON.stringify(env));
      const got = await wait.blpop(replyKey, Math.max(1, Math.ceil(timeoutMs / 1000)));
      const ownerName = `${owner.holder}#${owner.token}`;
      if (got === null) throw new PoolCommandTimeoutError(poolId, ownerName, timeoutMs);
      const a = answerSchema.parse(JSON.parse(got[1]));
      if (!a.ok) throw new PoolOwnerError(poolId, a.owner, a.message);
      return a.result;
    } finally {
      wait.disconnect();
    }
  }

  /**
   * Carries out the commands for the pools `check` says this process holds (under the token the
   * asker found), by `run`, from now until the returned stop is called; answers the others' askers
   * when the pool is held here under another token.
   */
  serve(check: (poolId: string, token: number) => OwnerCheck, run: (poolId: string, command: PoolCommand, by: string) => Promise<unknown>, onError: (err: unknown) => void): () => Promise<void> {
    const conn = this.redis.duplicate();
    conn.on('error', () => undefined);
    let stopped = false;
    const answer = async (replyKey: string, a: Answer): Promise<void> => {
      await this.redis.multi().lpush(replyKey, JSON.stringify(a)).pexpire(replyKey, 60_000).exec();
    };
    const handle = async (json: string): Promise<void> => {
      const p = envelopeSchema.safeParse(safeJson(json));
      if (!p.success) return;
      const env = p.data;
      const c = check(env.poolId, env.token);
      if (!c.ok) {
        // held here under another token: tell the asker where it went; not held here: not ours to answer
        if (c.owner !== null && c.owner.startsWith(`${this.holder}#`)) await answer(env.replyKey, { ok: false, owner: c.owner, message: `it moved (now ${c.owner}); ask again` });
        return;
      }
      try {
        await answer(env.replyKey, { ok: true, result: await run(env.poolId, env.command, `${env.by} via ${env.from}`) });
      } catch (err) {
        await answer(env.replyKey, { ok: false, owner: `${this.holder}#${env.token}`, message: err instanceof Error ? err.message : String(err) });
      }
    };
    const run$ = (async (): Promise<void> => {
      // the newest entry now: every command appended from here on is read ('$' on each call would miss those between calls)
      let last: string | null = null;
      while (!stopped) {
        try {
          const from: string = last ?? (await conn.xrevrange(this.keys.stream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
          last = from;
          const res = await conn.xread('COUNT', 100, 'BLOCK', 1_000, 'STREAMS', this.keys.stream, from);
          for (const [entryId, fields] of res?.[0]?.[1] ?? []) {
            last = entryId;
            const json = fields[fields.indexOf('command') + 1];
            // each command on its own: a roll takes a while, a settings change behind it need not wait
            if (json !== undefined) void handle(json).catch(onError);
          }
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
      await run$;
    };
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
