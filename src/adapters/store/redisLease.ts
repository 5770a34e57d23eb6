/**
 * A lease in Redis with a fencing token (see lease.ts for the contract). Taking it is one Lua
 * script: SET NX PX of the lease key, and only when that succeeds INCR of the lease's token
 * counter, the new token written into the lease value ("holder#token"). Renewal is a Lua
 * check-and-extend (PEXPIRE only while the value is still ours); release a check-and-delete.
 * Nothing else: Redis (with Sentinel or Cluster for its own availability) is the arbiter, there is
 * no consensus of our own.
 *
 * The holder's view of its lease is kept on a monotonic clock: each successful take or renewal
 * makes it valid until (the instant the request was sent) + ttl − margin, which is never later
 * than Redis's own expiry of the key, so a holder frozen past its lease refuses its own side
 * effects on waking, before its renewal is even answered.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../logging/logger.js';
import { LeaseLostError, type FencedOutError, type LeaseGuard } from './lease.js';

const ACQUIRE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, redis.call('GET', KEYS[1]) or ''}
end
local t = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '#' .. t, 'PX', ARGV[2])
return {t, ''}
`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisLeaseOptions {
  redis: Redis;
  /** The lease's name (e.g. "agent/<id>"), for messages. */
  name: string;
  keys: { lease: string; counter: string };
  /** Who takes it (e.g. "host:pid"), shown to the others. */
  holder: string;
  /** How long the lease lives without a renewal, ms. */
  ttlMs: number;
  /** Side effects stop this long before the lease may expire, ms (default: a fifth of the ttl). */
  marginMs?: number;
  /** Renewal period, ms (default: a third of the ttl). */
  renewMs?: number;
  /** A monotonic clock, ms (default performance.now: it keeps running while the process is stopped). */
  now?: () => number;
  log?: Logger;
}

/** The answer to a take: the token, or who holds the lease now. */
export type AcquireResult = { acquired: true; token: number } | { acquired: false; holder: string | null };

/** What the holder's state shows about its lease. */
export interface LeaseView {
  name: string;
  holder: string;
  token: number;
  ttlMs: number;
  /** How long side effects may still go out, ms (0: none may). */
  validForMs: number;
  lost: string | null;
}

export class RedisLease implements LeaseGuard {
  private currentToken = 0;
  private validUntil = Number.NEGATIVE_INFINITY;
  private lostReason: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private resolveLost!: (reason: string) => void;
  /** Resolves with the reason once the lease is lost (renewal refused, or a write fenced out). */
  readonly lost: Promise<string>;
  private readonly now: () => number;
  private readonly marginMs: number;
  private readonly renewMs: number;

  constructor(private readonly o: RedisLeaseOptions) {
    if (!(o.ttlMs > 0)) throw new Error(`lease ${o.name}: ttlMs must be positive`);
    this.now = o.now ?? (() => performance.now());
    this.marginMs = o.marginMs ?? o.ttlMs / 5;
    this.renewMs = o.renewMs ?? o.ttlMs / 3;
    if (this.marginMs >= o.ttlMs || this.renewMs >= o.ttlMs - this.marginMs) throw new Error(`lease ${o.name}: the renewal (${this.renewMs} ms) must come before the margin (${this.marginMs} ms) closes the lease (ttl ${o.ttlMs} ms)`);
    this.lost = new Promise((r) => (this.resolveLost = r));
  }

  get token(): number {
    return this.currentToken;
  }

  get name(): string {
    return this.o.name;
  }

  private get value(): string {
    return `${this.o.holder}#${this.currentToken}`;
  }

  /** Takes the lease if nobody holds it. A lease once lost is never taken again by the same object. */
  async tryAcquire(): Promise<AcquireResult> {
    if (this.lostReason !== null) throw new LeaseLostError(this.o.name, 'acquire', this.lostReason);
    if (this.currentToken !== 0) return { acquired: true, token: this.currentToken };
    const sentAt = this.now();
    const [token, holder] = (await this.o.redis.eval(ACQUIRE, 2, this.o.keys.lease, this.o.keys.counter, this.o.holder, String(this.o.ttlMs))) as [number, string];
    if (token === 0) return { acquired: false, holder: holder === '' ? null : holder };
    this.currentToken = token;
    this.validUntil = sentAt + this.o.ttlMs - this.marginMs;
    this.o.log?.info({ lease: this.o.name, fencingToken: token, ttlMs: this.o.ttlMs }, 'lease acquired');
    return { acquired: true, token };
  }

  /** Extends the lease if it is still ours; false (and the lease lost) otherwise. */
  async renew(): Promise<boolean> {
    if (this.lostReason !== null || this.currentToken === 0) return false;
    const sentAt = this.now();
    const ok = (await this.o.redis.eval(RENEW, 1, this.o.keys.lease, this.value, String(this.o.ttlMs))) as number;
    if (ok === 1) {
      if (this.lostReason === null) this.validUntil = sentAt + this.o.ttlMs - this.marginMs;
      return true;
    }
    this.markLost('the lease expired or another holder took it');
    return false;
  }

  /** Renews every renewMs until released or lost. A failed round trip is retried at the next tick. */
  hold(): void {
    if (this.timer !== null || this.currentToken === 0) return;
    const tick = (): void => {
      this.timer = null;
      this.renew().then(
        (ok) => { if (ok) this.schedule(tick); },
        (err: unknown) => {
          this.o.log?.warn({ err, lease: this.o.name, validForMs: this.validForMs() }, 'lease renewal failed; retrying');
          if (this.lostReason === null) this.schedule(tick);
        },
      );
    };
    this.schedule(tick);
  }

  private schedule(tick: () => void): void {
    this.timer = setTimeout(tick, this.renewMs);
    this.timer.unref();
  }

  private validForMs(): number {
    return this.lostReason !== null ? 0 : Math.max(0, this.validUntil - this.now());
  }

  assertHeld(operation: string): void {
    if (this.lostReason !== null) throw new LeaseLostError(this.o.name, operation, this.lostReason);
    if (this.currentToken === 0) throw new LeaseLostError(this.o.name, operation, 'not acquired');
    if (this.now() >= this.validUntil) throw new LeaseLostError(this.o.name, operation, 'the lease may have expired: not renewed in time');
  }

  fencedOut(err: FencedOutError): void {
    this.markLost(`fenced out: token ${err.newest} was issued since ours (${err.token})`);
  }

  private markLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    this.validUntil = Number.NEGATIVE_INFINITY;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.o.log?.error({ lease: this.o.name, fencingToken: this.currentToken, reason }, 'lease lost');
    this.resolveLost(reason);
  }

  /** Stops renewing and gives the lease up if it is still ours (a standby takes over at once). */
  async release(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.currentToken === 0 || this.lostReason !== null) return;
    this.lostReason = 'released';
    this.validUntil = Number.NEGATIVE_INFINITY;
    await this.o.redis.eval(RELEASE, 1, this.o.keys.lease, this.value);
    this.o.log?.info({ lease: this.o.name, fencingToken: this.currentToken }, 'lease released');
  }

  view(): LeaseView {
    return { name: this.o.name, holder: this.o.holder, token: this.currentToken, ttlMs: this.o.ttlMs, validForMs: Math.round(this.validForMs()), lost: this.lostReason };
  }
}
