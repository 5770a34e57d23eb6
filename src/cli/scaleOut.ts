/**
 * `rangekeeper run` with ha.mode "pools": the configured pools spread over every process started
 * with the same configuration (and Redis store). Each pool is a lease of its own
 * (store/leaseShares.ts: ceil(pools / processes) each, moved within a round or two when a process
 * joins or leaves); a pool is adopted with the usual start-up reconciliation (its journal and the
 * chain) and every chain step and store write of it carries that pool's fencing token. The hedge
 * (every asset's, and the venues) is one more lease: its owner nets the deltas the pool owners
 * publish on each asset's board (store/deltaBoard.ts), and its risk supervisor (it sees the
 * venues) judges the agent's limits over every pool's risk report (store/reportBoard.ts). Each
 * process mirrors what it owns into the shared feed (store/feedMirror.ts) and shows a role entry "ha/<host:pid>": its pools, the hedge,
 * the members, the agent's halt. A halt (or a resume) on any process is the whole agent's
 * (agentWideHalt.ts): read before any pool is taken, followed and written through Redis.
 */
import type { Agent, ScaleOutPorts } from '../actors/agent.js';
import { ask, tell } from '../actors/core/typedActors.js';
import type { RiskMsg, RiskState } from '../actors/risk/riskSupervisor.js';
import type { ManualRollResult, PoolSettingsPatch, PositionReport, PositionState } from '../actors/position/positionActor.js';
import type { DeltaBoard } from '../adapters/store/deltaBoard.js';
import type { FeedMirror } from '../adapters/store/feedMirror.js';
import type { LeaseShares } from '../adapters/store/leaseShares.js';
import { PoolOwnerError, type PoolCommand } from '../adapters/store/poolCommands.js';
import { openStore } from '../adapters/store/openStore.js';
import { RedisStore } from '../adapters/store/redisStore.js';
import { RoutedFenceStore } from '../adapters/store/routedFenceStore.js';
import type { Store } from '../adapters/store/store.js';
import type { AgentConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import { processHolder } from './agentLease.js';
import { AgentWideHalt } from './agentWideHalt.js';

/** The one hedge lease's item name. */
const HEDGE = 'hedge';

export interface ScaleOut {
  /** The store the run writes through: each key fenced by the lease that owns it. */
  store: Store;
  ports: ScaleOutPorts;
  holder: string;
  /** Starts taking pools and the hedge for `agent` (started with `ports`), and mirroring the feed. */
  attach(agent: Agent): Promise<void>;
  /** The agent's halt as this process follows it (null before attach). */
  halt(): AgentWideHalt | null;
  /** Takes no more pools or hedge (the process is stopping; called before the agent stops). */
  stopTaking(): void;
  /** Gives every pool and the hedge back (other processes take them at once) and closes the connection. */
  close(): Promise<void>;
}

/** A pool's key in lease and store names. */
function poolKey(poolId: string): string {
  return poolId.toLowerCase();
}

/**
 * Opens the Redis store and the leases of a scale-out run over `pools` (pool id → asset). Nothing
 * is taken before {@link ScaleOut.attach}.
 */
export async function openScaleOut(cfg: AgentConfig, pools: ReadonlyMap<string, string>, log: Logger): Promise<ScaleOut> {
  if (cfg.store.kind !== 'redis') throw new Error('scale-out needs the Redis store');
  const base = await openStore(cfg.store);
  if (!(base instanceof RedisStore)) throw new Error('scale-out: the Redis store was expected');
  return scaleOutOn(base, { agentId: cfg.agentId, leaseTtlMs: cfg.ha.leaseTtlMs, pools, holder: processHolder(), log });
}

export interface ScaleOutOptions {
  agentId: string;
  leaseTtlMs: number;
  /** pool id → the asset its delta is hedged in. */
  pools: ReadonlyMap<string, string>;
  /** This process as the others see it ("host:pid"). */
  holder: string;
  log: Logger;
}

/** The scale-out of one process over `base` (closed by {@link ScaleOut.close}). */
export function scaleOutOn(base: RedisStore, o: ScaleOutOptions): ScaleOut {
  const { pools, holder, log } = o;
  const cfg = { agentId: o.agentId, ha: { leaseTtlMs: o.leaseTtlMs } };
  const agentPrefix = `agent/${cfg.agentId}/`;
  const poolLease = (poolId: string): string => `${agentPrefix}pool/${poolKey(poolId)}`;
  const hedgeLease = `${agentPrefix}hedge`;
  const assets = [...new Set(pools.values())];
  const boards = new Map<string, DeltaBoard>(assets.map((a) => [a, base.deltaBoard(`${agentPrefix}deltas/${a}`, a, poolLease)]));
  const reports = base.reportBoard(`${agentPrefix}reports`, poolLease);
  let agent: Agent | null = null;
  let poolShares: LeaseShares | null = null;
  let hedgeShares: LeaseShares | null = null;
  let mirror: FeedMirror | null = null;
  let watchers: (() => Promise<void>)[] = [];
  let halts: AgentWideHalt | null = null;
  let stopServing: (() => Promise<void>) | null = null;
  const commands = base.poolCommands(agentPrefix.slice(0, -1), holder);
  /** An operator's command for a pool another process owns, sent to its owner (store/poolCommands.ts). */
  const forward = async (poolId: string, command: PoolCommand, by: string, timeoutMs: number): Promise<unknown> => {
    const owner = await base.leaseHolder(poolLease(poolId));
    if (owner === null) throw new PoolOwnerError(poolId, null, 'no process holds it right now (it is moving between processes); ask again in a few seconds');
    const at = owner.lastIndexOf('#');
    const name = owner.slice(0, at);
    if (name === holder) throw new PoolOwnerError(poolId, owner, 'this process is taking it over; ask again in a moment');
    return commands.send(poolId, { holder: name, token: Number(owner.slice(at + 1)) }, command, by, timeoutMs);
  };
  const positionActor = (poolId: string): string => `position-${poolId.slice(0, 18)}`;
  const poolOfKey = new Map<string, string>();
  for (const poolId of pools.keys()) {
    poolOfKey.set(positionActor(poolId), poolId);
    poolOfKey.set(poolKey(poolId), poolId);
  }
  const poolGuard = (poolId: string) => poolShares?.leaseOf(poolId);
  const hedgeGuard = () => hedgeShares?.leaseOf(HEDGE);

  /** The pool a store key belongs to (its checkpoint, saga journal, books), if any. */
  const poolOf = (key: string): string | undefined => poolOfKey.get(key.slice(key.lastIndexOf('/') + 1));
  const store = new RoutedFenceStore(base, (key) => {
    if (!key.startsWith(agentPrefix)) return 'unfenced';
    const poolId = poolOf(key);
    const lease = poolId === undefined ? hedgeGuard() : poolGuard(poolId);
    if (lease === undefined) return null;
    return { name: poolId === undefined ? hedgeLease : poolLease(poolId), token: lease.token, onFencedOut: (err) => lease.fencedOut(err) };
  }, (key) => { const p = poolOf(key); return p === undefined ? hedgeLease : poolLease(p); });

  const ports: ScaleOutPorts = {
    poolGuard,
    hedgeGuard,
    publishDelta: (d) => {
      const lease = poolGuard(d.poolId);
      const board = boards.get(d.asset);
      if (lease === undefined || board === undefined) return;
      board.publish({ name: poolLease(d.poolId), token: lease.token, onFencedOut: (err) => lease.fencedOut(err) }, { ...d, at: Date.now(), holder })
        .catch((err: unknown) => log.warn({ err, poolId: d.poolId }, 'scale-out: delta not published'));
    },
    publishReport: (report) => {
      const lease = poolGuard(report.poolId);
      if (lease === undefined) return;
      reports.publish({ name: poolLease(report.poolId), token: lease.token, onFencedOut: (err) => lease.fencedOut(err) }, { poolId: report.poolId, holder, at: Date.now(), report })
        .catch((err: unknown) => log.warn({ err, poolId: report.poolId }, 'scale-out: risk report not published'));
    },
    riskChanged: (s) => halts?.riskChanged(s),
    resume: (by, here) => halts === null ? here(by) : halts.resume(by),
    // the answers are the owner's agent's (a ManualRollResult, a PositionState), as JSON
    forward: {
      rebalance: async (poolId, range, by, timeoutMs) => await forward(poolId, { kind: 'rebalance', range }, by, timeoutMs) as ManualRollResult,
      poolSettings: async (poolId, patch, by, timeoutMs) => await forward(poolId, { kind: 'settings', patch }, by, timeoutMs) as PositionState,
    },
  };

  const publishRole = (): void => {
    if (agent === null || poolShares === null || hedgeShares === null) return;
    const p = poolShares.view();
    agent.feed.publish(`ha/${holder}`, 'ha', {
      role: 'active', mode: 'pools', agentId: cfg.agentId, holder, members: p.members, quota: p.quota,
      pools: p.held.map((h) => ({ poolId: h.item, fencingToken: h.token, acquiredAt: h.acquiredAt, adoptedAt: h.adoptedAt })),
      hedge: hedgeShares.view().held.map((h) => ({ fencingToken: h.token, acquiredAt: h.acquiredAt, adoptedAt: h.adoptedAt }))[0] ?? null,
      owners: p.owners, hedgeOwner: hedgeShares.view().owners[HEDGE] ?? null, halt: halts?.record ?? null, leaseTtlMs: cfg.ha.leaseTtlMs, updatedAt: Date.now(),
    });
  };
  let roleTimer: NodeJS.Timeout | null = null;

  return {
    store, ports, holder,
    halt: () => halts,
    attach: async (a) => {
      agent = a;
      const ttlMs = cfg.ha.leaseTtlMs;
      // the agent's halt first: a process joining a halted agent takes its pools halted
      halts = new AgentWideHalt(base.haltRecords(agentPrefix.slice(0, -1)), {
        halt: (reason, by) => a.halt(reason, by),
        resumeHere: (by) => ask<RiskMsg, RiskState>(a.refs.risk, (replyTo) => ({ type: 'resume', by, replyTo }), 10_000),
        risk: () => a.risk(),
      }, holder, log);
      await halts.start();
      // the operators' commands for the pools this process holds, from any process's API
      stopServing = commands.serve(
        (poolId, token) => {
          const lease = poolShares?.leaseOf(poolId);
          if (lease === undefined) return { ok: false, owner: null };
          return lease.token === token ? { ok: true } : { ok: false, owner: `${holder}#${lease.token}` };
        },
        (poolId, c, by) => c.kind === 'rebalance' ? a.rebalance(poolId, c.range, by) : a.poolSettings(poolId, c.patch as PoolSettingsPatch, by),
        (err) => log.warn({ err }, 'scale-out: a pool command failed'),
      );
      poolShares = base.shares(`${agentPrefix}pools`, {
        items: [...pools.keys()], holder, ttlMs, leaseName: poolLease, log,
        adopt: async (poolId) => { await a.adoptPool(poolId); publishRole(); },
        drop: async (poolId) => { await a.dropPool(poolId); publishRole(); },
      });
      hedgeShares = base.shares(`${agentPrefix}hedges`, {
        items: [HEDGE], holder, ttlMs, leaseName: () => hedgeLease, log,
        adopt: async () => {
          // adopt the venues first (the agent's orders a previous owner left open cancelled, the positions read),
          // then net every asset's board from now on: no hedge order leaves before the stale ones are gone
          await a.syncHedges({ adopting: true });
          watchers = [...boards.values()].map((board) => board.watch(
            (b) => a.netDeltas([...b.values()].filter((d) => pools.get(d.poolId) === board.asset)),
            (err) => log.warn({ err, asset: board.asset }, 'scale-out: reading the delta board failed; retrying'),
          ));
          // and this process's risk supervisor (it sees the venues) judges the agent-wide limits over every pool's report
          const told = new Map<string, string>();
          watchers.push(reports.watch((b) => {
            for (const e of b.values()) {
              const seen = `${e.token}@${e.at}`;
              if (!pools.has(e.poolId) || told.get(e.poolId) === seen) continue;
              told.set(e.poolId, seen);
              tell(a.refs.risk, { type: 'positionReport', report: e.report as PositionReport });
            }
          }, (err) => log.warn({ err }, 'scale-out: reading the risk reports failed; retrying')));
          publishRole();
        },
        drop: async () => {
          await Promise.all(watchers.map((stop) => stop()));
          watchers = [];
          publishRole();
        },
      });
      const owns = (actor: string): boolean => {
        if (actor.startsWith('ha/')) return actor === `ha/${holder}`;
        const poolId = poolOfKey.get(actor);
        if (poolId !== undefined) return poolShares?.leaseOf(poolId) !== undefined;
        return hedgeGuard() !== undefined;
      };
      mirror = base.feedMirror(`${agentPrefix.slice(0, -1)}`, { holder, feed: a.feed, owns, log });
      await mirror.start();
      await hedgeShares.start();
      await poolShares.start();
      publishRole();
      roleTimer = setInterval(publishRole, Math.max(500, ttlMs / 3));
      roleTimer.unref();
    },
    stopTaking: () => {
      poolShares?.stopTaking();
      hedgeShares?.stopTaking();
    },
    close: async () => {
      if (roleTimer !== null) clearInterval(roleTimer);
      await halts?.stop();
      await stopServing?.();
      await poolShares?.stop();
      await hedgeShares?.stop();
      await mirror?.close();
      await base.close();
    },
  };
}
