/**
 * The state feed of a whole agent whose pools are spread over processes: each process mirrors the
 * states of the actors it owns (its pools' positions; the hedge, venues and risk on the hedge's
 * owner; its own role entry) into Redis, a hash of each actor's latest state plus a pub/sub
 * channel of changes, and publishes every other process's into its own feed. So GET
 * /api/v1/state and the WebSocket feed of any process show every pool, the hedge, and which
 * process owns what. Local changes are written behind in batches (latest per actor wins).
 */
import type { Redis } from 'ioredis';
import type { Subscription } from 'rxjs';
import { z } from 'zod';
import type { ActorKind, StateFeed } from '../../actors/core/stateFeed.js';
import type { Logger } from '../../logging/logger.js';

const mirroredSchema = z.object({
  holder: z.string(),
  actor: z.string(),
  kind: z.enum(['position', 'hedge', 'venues', 'exchange', 'risk', 'ha']),
  at: z.number(),
  state: z.record(z.string(), z.unknown()),
});
type Mirrored = z.infer<typeof mirroredSchema>;

export interface FeedMirrorOptions {
  redis: Redis;
  hashKey: string;
  channel: string;
  holder: string;
  feed: StateFeed;
  /** Whether this process owns the actor's state now (mirrored out; another's copy is not taken in). */
  owns(actor: string): boolean;
  flushMs?: number;
  log?: Logger;
}

export class FeedMirror {
  private readonly pending = new Map<string, Mirrored>();
  private readonly sub: Redis;
  private sub$: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly o: FeedMirrorOptions) {
    this.sub = o.redis.duplicate();
    this.sub.on('error', () => undefined);
  }

  /** Takes in what the other processes published so far, then mirrors both ways. */
  async start(): Promise<void> {
    this.sub.on('message', (_channel: string, message: string) => this.takeIn(message));
    await this.sub.subscribe(this.o.channel);
    for (const json of Object.values(await this.o.redis.hgetall(this.o.hashKey))) this.takeIn(`[${json}]`);
    this.sub$ = this.o.feed.changes$.subscribe((e) => {
      if (!this.o.owns(e.actor)) return;
      this.pending.set(e.actor, { holder: this.o.holder, actor: e.actor, kind: e.kind, at: e.at, state: e.state });
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.flushing = this.flushing.then(() => this.flush());
      }, this.o.flushMs ?? 250);
    });
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    if (batch.length === 0) return;
    const fields = batch.flatMap((m) => [m.actor, JSON.stringify(m)]);
    await this.o.redis.multi().hset(this.o.hashKey, ...fields).publish(this.o.channel, JSON.stringify(batch)).exec()
      .catch((err: unknown) => this.o.log?.warn({ err }, 'feed mirror: write failed; the next change writes again'));
  }

  private takeIn(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const batch = z.array(mirroredSchema).safeParse(parsed);
    if (!batch.success) return;
    for (const m of batch.data) {
      if (m.holder === this.o.holder || this.o.owns(m.actor)) continue;
      this.o.feed.publish(m.actor, m.kind as ActorKind, m.state);
    }
  }

  async close(): Promise<void> {
    this.sub$?.unsubscribe();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    await this.flush();
    this.sub.disconnect();
  }
}
