/**
 * A set of leases (one per pool, or one per asset's hedge) shared fairly by every process that
 * runs the same configuration. Each process is a member of the group: it heartbeats an entry in a
 * Redis sorted set (score: its expiry on Redis's own clock), so the live members are the entries
 * not yet expired, whatever the processes' clocks say. Each round (every tickMs) a member
 *
 *   1. heartbeats and reads the live members (n of them, itself included);
 *   2. computes its quota, ceil(items / n): enough for the items to be covered, never more than
 *      one above anybody else's share;
 *   3. gives up its extra items when it holds more than the quota (a member joined): each is
 *      dropped first (its actor stopped, drained), then its lease released, so the next member's
 *      take finds it free at once;
 *   4. takes free items (no lease key in Redis) up to the quota, starting at an offset given by
 *      its rank among the members so that members do not race for the same items; a take that
 *      loses the race (SET NX) is only a missed round.
 *
 * Each item's lease is a {@link RedisLease} with its own fencing token, renewed in the background;
 * the `adopt` hook runs after the lease is taken (start-up reconciliation of that item) and `drop`
 * before it is given up or once it was lost (renewal refused, a write fenced out). A member that
 * dies stops heartbeating: after ttlMs it leaves the member set and its leases expire, the
 * survivors' quotas grow and they take its items on their next round: takeover takes at most
 * ttlMs + tickMs + the adoption.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../logging/logger.js';
import type { RedisLease } from './redisLease.js';

/**
 * Heartbeats (ARGV[2] = "1") or leaves (ARGV[2] = "0") the member set KEYS[1] as ARGV[1] for
 * ARGV[3] ms, on Redis's clock; drops the expired members and returns the live ones, sorted.
 */
const MEMBERS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[2] == '1' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 10)
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
local m = redis.call('ZRANGE', KEYS[1], 0, -1)
table.sort(m)
return m
`;

/** Why an item is dropped: given to another member, its lease lost, or this member stopping. */
export type DropReason = 'rebalance' | 'lost' | 'stop';

export interface LeaseSharesOptions {
  redis: Redis;
  /** What is shared, for messages (e.g. "pools"). */
  group: string;
  /** The member set's Redis key. */
  membersKey: string;
  /** The items (pool ids, assets), in configuration order. */
  items: readonly string[];
  /** The lease of an item, not yet taken (store.lease(...)): a new object for each take. */
  lease(item: string): RedisLease;
  /** The Redis key of an item's lease (who holds it, for the view and for finding free items). */
  leaseKey(item: string): string;
  /** This process, as the other members see it ("host:pid"). */
  holder: string;
  ttlMs: number;
  /** How often a round runs, ms (default: a third of the ttl). */
  tickMs?: number;
  /** Takes the item over (start-up reconciliation) once its lease is held; a throw gives the lease back. */
  adopt(item: string, lease: RedisLease): Promise<void>;
  /** Stops acting for the item (before its lease is released, or after it was lost). */
  drop(item: string, reason: DropReason): Promise<void>;
  log?: Logger;
}

/** One item held by this member. */
export interface HeldShare {
  item: string;
  token: number;
  /** When its lease was taken and when its adoption finished (epoch ms; null while adopting). */
  acquiredAt: number;
  adoptedAt: number | null;
}

/** What the state shows of a group: the members, the quota, and who holds each item. */
export interface SharesView {
  group: string;
  holder: string;
  members: string[];
  quota: number;
  held: HeldShare[];
  /** Each item's lease holder and token ("host:pid#token"), null when nobody holds it. */
  owners: Record<string, string | null>;
}

interface Held {
  lease: RedisLease;
  share: HeldShare;
}

export class LeaseShares {
  private readonly held = new Map<string, Held>();
  private members: string[] = [];
  private owners: Record<string, string | null> = {};
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;
  /** False once {@link stopTaking} was called: rounds keep heartbeating and renewing but take nothing. */
  private taking = true;
  private readonly tickMs: number;

  constructor(private readonly o: LeaseSharesOptions) {
    if (new Set(o.items).size !== o.items.length) throw new Error(`lease shares ${o.group}: items must be distinct`);
    this.tickMs = o.tickMs ?? o.ttlMs / 3;
  }

  /** The items this member holds now. */
  heldItems(): string[] {
    return [...this.held.keys()];
  }

  /** The lease of an item this member holds (undefined otherwise). */
  leaseOf(item: string): RedisLease | undefined {
    return this.held.get(item)?.lease;
  }

  /** Runs the first round now and then one every tickMs until stopped. */
  async start(): Promise<void> {
    await this.tick();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, this.tickMs);
    this.timer.unref();
  }

  /**
   * Takes no more items from now on (a process that is stopping: items another member gives up
   * meanwhile must go to a member that stays, not be adopted by an agent being stopped); what it
   * holds stays held until {@link stop}.
   */
  stopTaking(): void {
    this.taking = false;
  }

  /** One round (rounds never overlap); a failed round is logged and retried at the next tick. */
  tick(): Promise<void> {
    this.round = this.round.then(() => this.runRound()).catch((err: unknown) => {
      this.o.log?.warn({ err, group: this.o.group }, 'lease shares: round failed; retrying at the next tick');
    });
    return this.round;
  }

  private quota(): number {
    return Math.ceil(this.o.items.length / Math.max(1, this.members.length));
  }

  private async runRound(): Promise<void> {
    if (this.stopped) return;
    this.members = (await this.o.redis.eval(MEMBERS, 1, this.o.membersKey, this.o.holder, '1', String(this.o.ttlMs))) as string[];
    const quota = this.quota();
    // give up the extras: the last-taken first (the longest-held stay where they are)
    const extras = [...this.held.values()].sort((a, b) => b.share.acquiredAt - a.share.acquiredAt).slice(0, Math.max(0, this.held.size - quota));
    for (const h of extras) await this.give(h.share.item, 'rebalance');
    await this.readOwners();
    const free = this.o.items.filter((i) => this.owners[i] === null && !this.held.has(i));
    const want = quota - this.held.size;
    if (want > 0 && free.length > 0 && this.taking) await this.claim(free, want);
    // the view: who holds what once this round's takes and releases are done
    await this.readOwners();
  }

  /** Takes up to `want` of the free items and adopts them. */
  private async claim(free: string[], want: number): Promise<void> {
    // start at this member's share of the list: members rarely race for the same item
    const rank = Math.max(0, this.members.indexOf(this.o.holder));
    const start = Math.floor((rank * free.length) / Math.max(1, this.members.length));
    const order = [...free.slice(start), ...free.slice(0, start)];
    const taken: Held[] = [];
    for (const item of order) {
      if (taken.length >= want || this.stopped || !this.taking) break;
      const lease = this.o.lease(item);
      const r = await lease.tryAcquire();
      if (!r.acquired) continue;
      lease.hold();
      const h: Held = { lease, share: { item, token: r.token, acquiredAt: Date.now(), adoptedAt: null } };
      this.held.set(item, h);
      taken.push(h);
    }
    // adopt in parallel: a takeover of many items costs one reconciliation's time, not the sum
    await Promise.all(taken.map((h) => this.adopt(h)));
  }

  private async adopt(h: Held): Promise<void> {
    const { item } = h.share;
    void h.lease.lost.then((reason) => {
      if (this.held.get(item) !== h || reason === 'released') return;
      this.held.delete(item);
      this.o.log?.error({ group: this.o.group, item, reason }, 'lease shares: lease lost; dropping the item');
      this.o.drop(item, 'lost').catch((err: unknown) => this.o.log?.error({ err, item }, 'lease shares: drop after a lost lease failed'));
    });
    try {
      await this.o.adopt(item, h.lease);
      h.share.adoptedAt = Date.now();
      this.o.log?.info({ group: this.o.group, item, fencingToken: h.share.token, adoptMs: h.share.adoptedAt - h.share.acquiredAt }, 'lease shares: item adopted');
    } catch (err) {
      this.o.log?.error({ err, group: this.o.group, item }, 'lease shares: adoption failed; giving the item back');
      await this.give(item, 'rebalance');
    }
  }

  /** Drops the item, then releases its lease (another member may take it at once). */
  private async give(item: string, reason: DropReason): Promise<void> {
    const h = this.held.get(item);
    if (h === undefined) return;
    this.held.delete(item);
    try {
      await this.o.drop(item, reason);
    } finally {
      await h.lease.release().catch((err: unknown) => this.o.log?.warn({ err, item }, 'lease shares: release failed; the lease expires by itself'));
    }
    if (reason === 'rebalance') this.o.log?.info({ group: this.o.group, item, members: this.members.length }, 'lease shares: item given up to another member');
  }

  private async readOwners(): Promise<void> {
    if (this.o.items.length === 0) return;
    const values = await this.o.redis.mget(...this.o.items.map((i) => this.o.leaseKey(i)));
    this.owners = Object.fromEntries(this.o.items.map((i, k) => [i, values[k] ?? null]));
  }

  view(): SharesView {
    return {
      group: this.o.group, holder: this.o.holder, members: [...this.members], quota: this.quota(),
      held: [...this.held.values()].map((h) => ({ ...h.share })), owners: { ...this.owners },
    };
  }

  /** Stops the rounds, drops and releases every item, and leaves the member set. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
    for (const item of [...this.held.keys()]) await this.give(item, 'stop');
    await this.o.redis.eval(MEMBERS, 1, this.o.membersKey, this.o.holder, '0', String(this.o.ttlMs)).catch(() => undefined);
  }
}
