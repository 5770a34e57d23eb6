/**
 * High availability of `rangekeeper run` on the Redis store: before anything that could act is
 * opened, the process takes the agent's lease (store/redisLease.ts). While another process holds
 * it, this one is the standby: it logs so, serves GET /api/v1/state and the feed with a single
 * `ha` entry (role "standby", who is active), and asks for the lease every standbyPollMs. Once it
 * holds it, the run starts as usual (the start-up reconciliation adopts what the previous holder
 * left on the chain and the venues) and acts under the lease: fenced store, gated sends, renewed
 * in the background.
 */
import { hostname } from 'node:os';
import { StateFeed } from '../actors/core/stateFeed.js';
import { startStateFeedServer, type StateFeedServer } from '../api/stateFeedServer.js';
import { ApiTokens } from '../api/access/apiTokens.js';
import { openStore } from '../adapters/store/openStore.js';
import type { RedisLease } from '../adapters/store/redisLease.js';
import { RedisStore } from '../adapters/store/redisStore.js';
import type { Store } from '../adapters/store/store.js';
import type { AgentConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';

/** The lease this process acts under, and the store fenced by it. */
export interface HeldLease {
  lease: RedisLease;
  /** The store every write of the run goes through: refused once a newer holder exists. */
  store: Store;
  /** When this process started waiting and when it took the lease (epoch ms). */
  waitedFrom: number;
  acquiredAt: number;
  /** The role entry the agent's feed shows. */
  activeState(): Record<string, unknown>;
  /** Gives the lease up (a standby takes over at once) and closes the connection. */
  close(): Promise<void>;
}

/** The exit code of a run that lost its lease to a newer holder (a supervisor restarts it: it comes back as the standby). */
export const LEASE_LOST_EXIT = 3;

/** The state feed's key and kind of the role entry. */
export const HA_ACTOR = 'ha';

/** Who this process is to the others: host and pid. */
export function processHolder(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Waits as the standby until this process holds the agent's lease; null when `stop` resolved
 * first (nothing was started). Throws when Redis cannot be reached at all at the start.
 */
export async function holdAgentLease(cfg: AgentConfig, log: Logger, stop: Promise<string>): Promise<HeldLease | null> {
  if (cfg.store.kind !== 'redis') throw new Error('holdAgentLease: high availability needs the Redis store');
  const base = await openStore(cfg.store);
  if (!(base instanceof RedisStore)) throw new Error('holdAgentLease: the Redis store was expected');
  const holder = processHolder();
  const name = `agent/${cfg.agentId}`;
  const lease = base.lease(name, { holder, ttlMs: cfg.ha.leaseTtlMs, log });
  const waitedFrom = Date.now();
  let stopped: string | null = null;
  void stop.then((r) => (stopped = r));
  let standby: { feed: StateFeed; server: StateFeedServer } | null = null;
  try {
    for (;;) {
      if (stopped !== null) {
        await base.close();
        return null;
      }
      const r = await lease.tryAcquire().catch((err: unknown) => {
        log.warn({ err }, 'standby: cannot ask Redis for the lease; retrying');
        return null;
      });
      if (r?.acquired === true) break;
      if (r !== null && !r.acquired) {
        const state = { role: 'standby', agentId: cfg.agentId, holder, active: r.holder, since: waitedFrom, leaseTtlMs: cfg.ha.leaseTtlMs };
        if (standby === null) {
          log.info({ agentId: cfg.agentId, active: r.holder, leaseTtlMs: cfg.ha.leaseTtlMs }, 'standby: another process holds the agent\'s lease; waiting to take over');
          const feed = new StateFeed();
          feed.publish(HA_ACTOR, 'ha', state);
          // the same tokens as the active agent's API (the Redis store's, and RANGEKEEPER_API_TOKEN)
          const access = { tokens: new ApiTokens(base), legacyToken: process.env['RANGEKEEPER_API_TOKEN'] };
          standby = { feed, server: await startStateFeedServer({ feed, host: cfg.api.host, port: cfg.api.port, limits: cfg.api.limits, log, access }) };
          console.log(`rangekeeper standby (${cfg.agentId}, pid ${process.pid}): ${r.holder ?? 'another process'} is active; taking over when its lease expires. state ${standby.server.httpUrl}/api/v1/state`);
        } else if (standby.feed.latest(HA_ACTOR)?.state['active'] !== r.holder) {
          standby.feed.publish(HA_ACTOR, 'ha', state);
        }
      }
      await Promise.race([new Promise((res) => setTimeout(res, cfg.ha.standbyPollMs)), stop]);
    }
  } catch (err) {
    await base.close();
    throw err;
  } finally {
    if (standby !== null) {
      standby.feed.close();
      await standby.server.close();
    }
  }
  if (standby !== null) log.info({ agentId: cfg.agentId, fencingToken: lease.token, waitedMs: Date.now() - waitedFrom }, 'standby: took over the agent\'s lease; starting');
  return held(cfg, log, base, lease, waitedFrom, standby !== null);
}

/** The lease just taken, held from now on (renewed in the background), with the store it fences. */
function held(cfg: AgentConfig, log: Logger, base: RedisStore, lease: RedisLease, waitedFrom: number, tookOver: boolean): HeldLease {
  lease.hold();
  const acquiredAt = Date.now();
  const holder = processHolder();
  const name = lease.name;
  return {
    lease,
    store: base.fenced({ name, token: lease.token, onFencedOut: (err) => lease.fencedOut(err) }),
    waitedFrom,
    acquiredAt,
    activeState: () => ({ role: 'active', agentId: cfg.agentId, holder, fencingToken: lease.token, since: acquiredAt, tookOver, leaseTtlMs: cfg.ha.leaseTtlMs }),
    close: async () => {
      await lease.release().catch((err: unknown) => log.warn({ err }, 'lease release failed; it expires by itself'));
      await base.close();
    },
  };
}

/**
 * Takes the agent's lease if nobody holds it, without waiting as a standby: the lease held, or
 * who holds it (null: Redis answered that nobody does, yet the take lost a race). For a process
 * that cannot be a standby (the demo: its chain lives inside it).
 */
export async function takeAgentLease(cfg: AgentConfig, log: Logger): Promise<HeldLease | { heldBy: string | null }> {
  if (cfg.store.kind !== 'redis') throw new Error('takeAgentLease: the lease needs the Redis store');
  const base = await openStore(cfg.store);
  if (!(base instanceof RedisStore)) throw new Error('takeAgentLease: the Redis store was expected');
  const lease = base.lease(`agent/${cfg.agentId}`, { holder: processHolder(), ttlMs: cfg.ha.leaseTtlMs, log });
  try {
    const r = await lease.tryAcquire();
    if (r.acquired) return held(cfg, log, base, lease, Date.now(), false);
    await base.close();
    return { heldBy: r.holder };
  } catch (err) {
    await base.close();
    throw err;
  }
}
