/**
 * Assembles and runs the agent: the supervision tree (RiskSupervisor → ExchangeActor per venue,
 * HedgeActor, PositionActor per pool), start-up reconciliation before any stream is listened to,
 * and the stream routing (pool snapshots by pool, reference prices by asset, fills by venue, gas
 * by poll) with latest-value backpressure. The same assembly runs on the simulated chain, the
 * devnet and a live RPC; only the ports differ.
 */
import { Subscription, type Observable } from 'rxjs';
import type { Logger } from '../logging/logger.js';
import type { ExchangeVenue } from '../adapters/exchange/venue.js';
import type { Store } from '../adapters/store/store.js';
import type { LeaseGuard } from '../adapters/store/lease.js';
import { Checkpoints } from './core/checkpoints.js';
import { StoreOrderJournal } from '../adapters/exchange/orderJournal.js';
import { gateChain, gateVenue, KillSwitch, trackChain, trackVenue } from './core/killSwitch.js';
import { gateChainByPool, gateVenueByLease } from './core/shareGates.js';
import { LatestValueRouter } from './core/latestValueRouter.js';
import { every, systemScheduler, type Scheduler } from './core/scheduler.js';
import { StateFeed, type ActorKind } from './core/stateFeed.js';
import { ask, spawnActor, startSystem, stopActor, stopSystem, systemIdle, tell, type ActorRef, type ActorSystem, type CrashDecision } from './core/typedActors.js';
import { exchangeBehaviour, initialExchangeState, restoredExchangeState, type ExchangeMsg, type ExchangeState } from './exchange/exchangeActor.js';
import { DEFAULT_MARGIN_BUFFER, type MarginBuffer } from './exchange/marginCheck.js';
import { initialRouterState, reportVenue, venueRouterBehaviour, type RouterMsg, type RouterState } from './hedge/venueRouter.js';
import { hedgeBehaviour, hedgeFeedState, initialHedgeState, restoredHedgeState, type HedgeMsg, type HedgeState } from './hedge/hedgeActor.js';
import type { HedgePacing } from './hedge/pacing.js';
import {
  initialPositionState, positionBehaviour, type ManualRollResult, type PositionReport, type PoolSettingsPatch, type PositionConfig, type PositionMsg, type PositionState, type TickRange,
} from './position/positionActor.js';
import { haltChildren, initialRiskState, riskBehaviour, riskFeedState, type Alert, type Children, type HaltPolicy, type RiskLimits, type RiskMsg, type RiskState } from './risk/riskSupervisor.js';
import type { ChainPort, PoolSnapshot } from './ports.js';
import { referenceRereadMs } from './position/referenceGuard.js';

/**
 * A named source's price of an asset (a venue's mark price, a simulated market), quote per base.
 * Each position reads its reference as the median of the fresh sources and its pool's TWAP.
 */
export interface PriceTick {
  asset: string;
  /** Who quoted it (e.g. the venue id); one source's ticks replace each other, different sources' do not. */
  source: string;
  price: number;
  at: number;
}

export interface AgentSettings {
  agentId: string;
  pools: PositionConfig[];
  limits: RiskLimits;
  halt: HaltPolicy;
  capitalUsd: number | null;
  hedge: {
    ratio: number; maxRatio: number; band: number; leverage: number; venue: string; pacing: HedgePacing; margin?: MarginBuffer;
    /** The venues hedges may go to (default: [venue]); each change goes where it is cheapest to hold among the healthy ones. */
    venues?: string[];
    /** How long a venue that did not answer or refused stays out of the choice, ms (default 60 s). */
    failoverMs?: number;
    /** Horizon of a hedge's expected funding and IL reduction, ms (default 24 h). */
    horizonMs?: number;
    /** The venues' funding history is read at most this often, ms (default 60 s). */
    fundingPollMs?: number;
  };
  timeouts: { chainMs: number; orderMs: number };
  gasPollMs: number;
  venueSyncMs: number;
}

export interface AgentPorts {
  chain: ChainPort;
  venues: ExchangeVenue[];
  prices$: Observable<PriceTick>;
  store: Store | null;
  log: Logger;
  /**
   * The clock and timers every actor decides by (default: the wall clock). A backtest or a test
   * passes a VirtualClock (core/virtualClock.ts).
   */
  scheduler?: Scheduler;
  onAlert?: (a: Alert) => void;
  /**
   * High availability: the lease this process acts under (store/lease.ts). Every order, cancel and
   * chain step is refused unless it is held fresh; `store` is then the fenced view of the lease.
   */
  lease?: LeaseGuard;
  /**
   * Scale-out (pools spread over processes): no PositionActor starts with the agent; each one is
   * spawned by {@link Agent.adoptPool} once this process holds the pool's lease and stopped by
   * {@link Agent.dropPool}. Chain steps of a pool are refused unless its lease is held fresh, hedge
   * orders unless the hedge's lease is, and the pools' deltas go to `publishDelta` (the asset's
   * hedge owner nets them, fed by {@link Agent.netDeltas}) instead of this process's hedge actor.
   */
  scaleOut?: ScaleOutPorts;
}

/** A pool's delta as its owner reports it; `hedgeRatio`: the pool's own ratio (per-pool settings), null: the agent's. */
export interface PoolDeltaReport {
  poolId: string; asset: string; symbol: string; delta: number; price: number; valueUsd: number; hedgeRatio: number | null;
}

/** What an agent whose pools are spread over processes needs (see AgentPorts.scaleOut). */
export interface ScaleOutPorts {
  /** The lease of a pool this process holds (undefined: not held, nothing may be sent for it). */
  poolGuard(poolId: string): LeaseGuard | undefined;
  /** The hedge's lease when this process holds it. */
  hedgeGuard(): LeaseGuard | undefined;
  /** Publishes a pool's delta for its asset's hedge owner (fenced by the pool's lease). */
  publishDelta(d: PoolDeltaReport): void;
  /** Publishes a pool's risk report for the hedge owner's risk supervisor, which judges the agent-wide limits (fenced by the pool's lease). */
  publishReport?(report: PositionReport): void;
  /** The risk supervisor's state after each change: its halts are the whole agent's (cli/agentWideHalt.ts). */
  riskChanged?(s: RiskState): void;
  /** An operator's resume, for every process of the agent; `here` resumes this process's supervisor alone. */
  resume?(by: string, here: (by: string) => Promise<RiskState>): Promise<RiskState>;
  /** An operator's command for a pool another process owns: carried out by its owner, answered within `timeoutMs`. */
  forward?: {
    rebalance(poolId: string, range: TickRange | null, by: string, timeoutMs: number): Promise<ManualRollResult>;
    poolSettings(poolId: string, patch: PoolSettingsPatch, by: string, timeoutMs: number): Promise<PositionState>;
  };
}

/** A running agent. */
export interface Agent {
  readonly feed: StateFeed;
  /** Every configured pool (scale-out: also those other processes own). */
  readonly poolIds: readonly string[];
  readonly killSwitch: KillSwitch;
  readonly checkpoints: Checkpoints;
  readonly refs: { risk: ActorRef<RiskMsg>; hedge: ActorRef<HedgeMsg>; positions: Map<string, ActorRef<PositionMsg>>; exchanges: Map<string, ActorRef<ExchangeMsg>> };
  /** Routing counters: delivered, conflated (stale values dropped), failed deliveries. */
  readonly routing: { snapshots: LatestValueRouter<string, PoolSnapshot>; prices: LatestValueRouter<string, PriceTick> };
  halt(reason: string, by: string): Promise<RiskState>;
  resume(by: string): Promise<RiskState>;
  risk(): Promise<RiskState>;
  position(poolId: string): Promise<PositionState>;
  /** An operator's roll of one pool to `range` (null: the recommended range), by that pool's PositionActor under its guards. */
  rebalance(poolId: string, range: TickRange | null, by: string): Promise<ManualRollResult>;
  /** An operator's per-pool settings (null clears a field), applied by the pool's PositionActor and kept in its state; answers the state after. */
  poolSettings(poolId: string, patch: PoolSettingsPatch, by: string): Promise<PositionState>;
  hedge(): Promise<HedgeState>;
  exchange(venue: string): Promise<ExchangeState>;
  /**
   * True when every actor has worked through its messages and no stream delivery is in flight
   * (what a virtual-clock run waits for between steps; see core/typedActors.ts systemIdle).
   */
  idle(): boolean;
  /**
   * Syncs venues and re-checks the hedge now (also runs on a timer). `adopting` (scale-out, the
   * hedge's lease just taken): the agent's own orders still open on the venues are cancelled first.
   */
  syncHedges(o?: { adopting?: boolean }): Promise<void>;
  /** Scale-out: spawns the pool's PositionActor from its latest checkpoint and reconciles it (journal, chain); resolves once done. */
  adoptPool(poolId: string): Promise<PositionState>;
  /** Scale-out: lets the pool's PositionActor finish its work in hand, then stops it (its lease is released after). */
  dropPool(poolId: string): Promise<void>;
  /** Scale-out, on the hedge's owner: the deltas of every pool of an asset as its owners published them; the hedge nets them. */
  netDeltas(deltas: readonly (Omit<PoolDeltaReport, 'hedgeRatio'> & { hedgeRatio?: number | null | undefined })[]): void;
  /** Closes the kill-switch gate for good (no order or transaction starts after it), then stops every actor. */
  stop(): Promise<void>;
}

let systemsStarted = 0;

/** Adds `value` to the list of `key` in `lists`. */
function appendTo(lists: Map<string, string[]>, key: string, value: string): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [value]);
  else list.push(value);
}

/** Starts the agent: spawn, reconcile, then listen. Resolves once reconciliation is done. */
export async function startAgent(settings: AgentSettings, ports: AgentPorts): Promise<Agent> {
  const log = ports.log.child({ agent: settings.agentId });
  const scheduler: Scheduler = ports.scheduler ?? systemScheduler;
  const now = (): number => scheduler.now();
  const feed = new StateFeed(now);
  const ks = new KillSwitch(now);
  if (ports.lease !== undefined) ks.fenceWith(ports.lease);
  const checkpoints = new Checkpoints(ports.store, log, `agent/${settings.agentId}/actors/`);
  await checkpoints.load();
  const scaleOut = ports.scaleOut;
  const chain = trackChain(gateChain(scaleOut === undefined ? ports.chain : gateChainByPool(ports.chain, scaleOut.poolGuard), ks), ks);
  const venues = ports.venues.map((v) => trackVenue(gateVenue(scaleOut === undefined ? v : gateVenueByLease(v, scaleOut.hedgeGuard), ks), ks));
  const hedgeVenueIds = settings.hedge.venues ?? [settings.hedge.venue];
  for (const id of hedgeVenueIds) {
    if (!venues.some((v) => v.id === id)) throw new Error(`hedge venue "${id}" is not among the configured venues (${venues.map((v) => v.id).join(', ')})`);
  }

  // nact keeps its systems by name: two agents of one id in one process (scale-out tests) need their own
  systemsStarted += 1;
  const system: ActorSystem = startSystem(`rangekeeper-${settings.agentId}-${systemsStarted}`);
  const children: Children = { positions: new Map(), hedge: null, exchanges: new Map() };

  // Actor states are immutable and JSON-safe by construction (bigints kept as decimal strings),
  // so they are shared with the feed and the checkpoints without copying; the one exception is
  // the risk's and the hedge's per-pool records, updated in place (riskBook.ts, assetBook.ts).
  /**
   * Scale-out: the risk, hedge and venue states in the feed are the hedge owner's (it sees every
   * venue and judges every pool), mirrored to every process; another process's own copies (its
   * partial view) stay out of its feed, so any process's API shows the agent's.
   */
  const shows = (kind: ActorKind): boolean => kind === 'position' || scaleOut === undefined || scaleOut.hedgeGuard() !== undefined;
  // `view`: what the feed shows of a state whose checkpoint holds more (the risk's and the hedge's
  // per-pool books: the feed gets O(1) in the pool count per turn, see riskFeedState, hedgeFeedState)
  const publisher = <S extends object>(key: string, kind: ActorKind, view: (s: S) => object = (s) => s) => (s: S): void => {
    checkpoints.save(key, s);
    if (shows(kind)) feed.publish(key, kind, view(s) as Record<string, unknown>);
  };
  /** The initial state of an actor: its checkpoint (brought up to date by `upgrade`), else `fresh`. */
  const restore = <S>(key: string, fresh: () => S, upgrade: (saved: S) => S = (saved) => saved): (() => S) => () => {
    const saved = checkpoints.get<S>(key);
    return saved === undefined ? fresh() : upgrade(saved);
  };

  // ---- risk supervisor ----
  const riskKey = 'risk';
  const savedRisk = checkpoints.get<RiskState>(riskKey);
  if (savedRisk?.status === 'halted') ks.halt(savedRisk.reason ?? 'halted before restart', { withdraw: false, flatten: false });
  const publishRisk = publisher<RiskState>(riskKey, 'risk', riskFeedState);
  const riskPublish = (s: RiskState): void => {
    publishRisk(s);
    ports.scaleOut?.riskChanged?.(s);
  };
  const risk = spawnActor<RiskState, RiskMsg>(system, 'risk', riskBehaviour({
    limits: settings.limits, policy: settings.halt, capitalUsd: settings.capitalUsd, expectedPools: settings.pools.length,
    expectedVenues: venues.length, children, killSwitch: ks, log: log.child({ actor: 'risk' }), now, publish: riskPublish,
    alert: (a) => ports.onAlert?.(a),
  }), {
    initialState: restore(riskKey, () => initialRiskState(settings.limits, settings.capitalUsd)),
    // the supervisor's state is immutable: resuming after a throw keeps the last good state
    onCrash: (_msg, err) => {
      log.fatal({ err }, 'risk supervisor crashed; resuming with its last state');
      return 'resume';
    },
  });

  /** Supervision policy chosen where a child is spawned: restart from checkpoint, tell the supervisor. */
  const restartChild = (child: string) => (_msg: unknown, err: unknown): CrashDecision => {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    log.error({ err, child }, 'actor crashed; restarting from its last checkpoint');
    tell(risk, { type: 'childCrashed', child, error });
    return 'reset';
  };

  const hedgeExchanges = new Map<string, ActorRef<ExchangeMsg>>();
  // ---- venue router: the hedge venues' orders and reports (hedge/venueRouter.ts) ----
  const routerKey = 'hedge-venues';
  const router = spawnActor<RouterState, RouterMsg>(risk, routerKey, venueRouterBehaviour({
    exchanges: hedgeExchanges, failoverMs: settings.hedge.failoverMs ?? 60_000, fundingHorizonMs: settings.hedge.horizonMs ?? 86_400_000,
    orderTimeoutMs: settings.timeouts.orderMs, margin: settings.hedge.margin ?? DEFAULT_MARGIN_BUFFER, agentId: settings.agentId, now,
    log: log.child({ actor: routerKey }),
    publish: (s) => { if (shows('venues')) feed.publish(routerKey, 'venues', s as unknown as Record<string, unknown>); },
    onNet: (v) => { if (children.hedge !== null) tell(children.hedge, { type: 'venuePositions', sizes: v.sizes, funding: v.funding, quotes: v.quotes }); },
    alert: (severity, message) => tell(risk, { type: 'alert', severity, message }),
  }), { initialState: () => initialRouterState(hedgeVenueIds), onCrash: restartChild(routerKey) });

  // ---- exchange actors ----
  for (const venue of venues) {
    const key = `exchange-${venue.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const publish = publisher<ExchangeState>(key, 'exchange');
    const ref = spawnActor<ExchangeState, ExchangeMsg>(risk, key, exchangeBehaviour({
      venue, agentId: settings.agentId, leverage: settings.hedge.leverage, maxPositionNotional: settings.limits.maxPositionSize,
      log: log.child({ actor: key }), now, publish,
      ...(settings.hedge.margin === undefined ? {} : { marginBuffer: settings.hedge.margin }),
      ...(settings.hedge.fundingPollMs === undefined ? {} : { fundingPollMs: settings.hedge.fundingPollMs }),
      ...(ports.store === null ? {} : { orders: new StoreOrderJournal(ports.store, `agent/${settings.agentId}/orders/${venue.id.replace(/[^A-Za-z0-9_-]/g, '_')}`) }),
      report: (s) => {
        const hedgeNotionalUsd = Object.values(s.positions).reduce((a, p) => a + Math.abs(p.size) * p.markPrice, 0);
        const positionsUsd = Object.fromEntries(Object.entries(s.positions).map(([symbol, p]) => [symbol, p.size * p.markPrice]));
        tell(risk, { type: 'exchangeReport', venue: s.venue, equityUsd: s.equity, hedgeNotionalUsd, positionsUsd });
        // the hedge actor always works from the hedge venues' actual positions (after fills, flattening, syncs), netted by the router
        if (hedgeVenueIds.includes(venue.id)) reportVenue(router, s);
      },
    }), { initialState: restore(key, () => initialExchangeState(venue.id, settings.hedge.leverage), restoredExchangeState), onCrash: restartChild(key) });
    children.exchanges.set(venue.id, ref);
    if (hedgeVenueIds.includes(venue.id)) hedgeExchanges.set(venue.id, ref);
  }

  // ---- hedge actor ----
  const hedgeKey = 'hedge';
  const hedge = spawnActor<HedgeState, HedgeMsg>(risk, hedgeKey, hedgeBehaviour({
    // the router may try every hedge venue in turn, each within orderMs
    exchange: router, hedgeRatio: settings.hedge.ratio, maxHedgeRatio: settings.hedge.maxRatio, band: settings.hedge.band,
    annualVolatility: settings.pools[0]?.range.annualVolatility ?? 0.6, horizonMs: settings.hedge.horizonMs ?? 86_400_000,
    maxPositionNotional: settings.limits.maxPositionSize, orderTimeoutMs: settings.timeouts.orderMs * (hedgeVenueIds.length + 1), pacing: settings.hedge.pacing, now, setTimer: (delayMs, fire) => scheduler.setTimer(delayMs, fire), log: log.child({ actor: hedgeKey }),
    publish: publisher<HedgeState>(hedgeKey, 'hedge', hedgeFeedState),
  }), { initialState: restore(hedgeKey, () => initialHedgeState(settings.hedge.ratio, settings.hedge.band), restoredHedgeState), onCrash: restartChild(hedgeKey) });
  children.hedge = hedge;

  // ---- position actors ----
  const poolsByAsset = new Map<string, string[]>();
  /** Pools quoted in a non-USD token, by that token's asset: its marks value them in USD (quoteValuation.ts). */
  const poolsByQuote = new Map<string, string[]>();
  const poolConfigs = new Map(settings.pools.map((c) => [c.pool.poolId, c]));
  const positionKey = (poolId: string): string => `position-${poolId.slice(0, 18)}`;
  const spawnCount = new Map<string, number>();
  // The PositionActors' parent: an actor that handles no message. nact copies an actor's map of
  // children into the context of every message it handles, so under the risk supervisor itself
  // each of its messages would cost O(pools) (10,000 pools: most of a core at 10k events/s).
  const positionsParent = spawnActor<null, never>(risk, 'positions', (s) => s, { initialState: () => null });
  const spawnPosition = (cfg: PositionConfig): ActorRef<PositionMsg> => {
    const key = positionKey(cfg.pool.poolId);
    // a pool adopted again (scale-out) gets a new actor: nact keeps a stopped child's name taken
    const spawned = (spawnCount.get(key) ?? 0) + 1;
    spawnCount.set(key, spawned);
    const ref = spawnActor<PositionState, PositionMsg>(positionsParent, spawned === 1 ? key : `${key}.${spawned}`, positionBehaviour({
      config: cfg, chain, log: log.child({ actor: key }), now,
      publish: publisher<PositionState>(key, 'position'),
      // scale-out: the asset's hedge owner nets it, with the pool's own hedge ratio, off the delta board
      reportDelta: scaleOut === undefined
        ? (poolId, asset, symbol, delta, price, valueUsd, hedgeRatio) => tell(hedge, { type: 'delta', poolId, asset, symbol, delta, price, valueUsd, hedgeRatio })
        : (poolId, asset, symbol, delta, price, valueUsd, hedgeRatio) => scaleOut.publishDelta({ poolId, asset, symbol, delta, price, valueUsd, hedgeRatio }),
      reportRisk: (report) => {
        tell(risk, { type: 'positionReport', report });
        scaleOut?.publishReport?.(report);
      },
      requestHalt: (reason) => tell(risk, { type: 'halt', reason, by: key }),
    }), { initialState: restore(key, () => initialPositionState(cfg.pool)), onCrash: restartChild(key) });
    children.positions.set(cfg.pool.poolId, ref);
    return ref;
  };
  for (const cfg of settings.pools) {
    // appended in place: a copy per pool was quadratic in the pool count (10,000 pools)
    appendTo(poolsByAsset, cfg.pool.asset, cfg.pool.poolId);
    if (cfg.pool.quote !== undefined) appendTo(poolsByQuote, cfg.pool.quote.asset, cfg.pool.poolId);
    if (scaleOut === undefined) spawnPosition(cfg);
  }

  // ---- start-up reconciliation: venues first (adopt hedges and orders), then chain positions ----
  const syncHedges = async (o: { adopting?: boolean } = {}): Promise<void> => {
    // scale-out: the venues are the hedge owner's alone (a sync cancels stale orders at first)
    if (scaleOut !== undefined && scaleOut.hedgeGuard() === undefined) return;
    // a successful sync reports the hedge venue's positions to the hedge actor (the exchange's `report` above)
    await Promise.all([...children.exchanges.values()].map((ref) => ask<ExchangeMsg, ExchangeState>(ref, (replyTo) => ({ type: 'sync', ...(o.adopting === true ? { adopting: true } : {}), replyTo }), settings.timeouts.orderMs)));
    await ask<HedgeMsg, HedgeState>(hedge, (replyTo) => ({ type: 'rebalance', replyTo }), settings.timeouts.orderMs * 4);
  };
  await syncHedges();
  for (const ref of children.positions.values()) {
    await ask<PositionMsg, PositionState>(ref, (replyTo) => ({ type: 'init', replyTo }), settings.timeouts.chainMs);
  }
  if (ks.halted) {
    // a halt survived the restart: make sure every child knows
    haltChildren(children, checkpoints.get<RiskState>(riskKey)?.reason ?? 'halted', { withdraw: false, flatten: false });
  }

  // ---- streams ----
  const subs: Subscription[] = [];
  const snapshots = new LatestValueRouter<string, PoolSnapshot>(
    async (poolId, snapshot) => {
      const ref = children.positions.get(poolId);
      if (ref !== undefined) await ask<PositionMsg, PositionState>(ref, (replyTo) => ({ type: 'snapshot', snapshot, replyTo }), settings.timeouts.chainMs);
    },
    (poolId, err) => log.error({ err, poolId }, 'pool snapshot delivery failed'),
  );
  // keyed by asset and source: a fast source never conflates a slow one's tick away. The hedge gets
  // the reference each position reads from them (with its delta), never one source's raw tick.
  const prices = new LatestValueRouter<string, PriceTick>(
    async (_key, tick) => {
      // under scale-out only the pools this process holds have an actor here
      const deliver = (poolId: string, type: 'referencePrice' | 'quotePrice'): Promise<PositionState>[] => {
        const ref = children.positions.get(poolId);
        return ref === undefined ? [] : [ask<PositionMsg, PositionState>(ref, (replyTo) => ({ type, source: tick.source, price: tick.price, at: tick.at, replyTo }), settings.timeouts.chainMs)];
      };
      await Promise.all([
        ...(poolsByAsset.get(tick.asset) ?? []).flatMap((poolId) => deliver(poolId, 'referencePrice')),
        ...(poolsByQuote.get(tick.asset) ?? []).flatMap((poolId) => deliver(poolId, 'quotePrice')),
      ]);
    },
    (key, err) => log.error({ err, source: key }, 'reference price delivery failed'),
  );
  subs.push(ports.chain.snapshots$.subscribe({ next: (s) => snapshots.push(s.poolId, s), error: (err: unknown) => log.error({ err }, 'pool snapshot stream failed') }));
  subs.push(ports.prices$.subscribe({ next: (p) => prices.push(`${p.asset} ${p.source}`, p), error: (err: unknown) => log.error({ err }, 'price stream failed') }));
  for (const v of venues) {
    const ref = children.exchanges.get(v.id)!;
    subs.push(v.fills$.subscribe({ next: (fill) => tell(ref, { type: 'fill', fill }), error: (err: unknown) => log.error({ err, venue: v.id }, 'fill stream failed') }));
  }
  if (settings.gasPollMs > 0) {
    subs.push(new Subscription(every(scheduler, settings.gasPollMs, () => {
      chain.gasPriceWei().then(
        (wei) => { for (const ref of children.positions.values()) tell(ref, { type: 'gasPrice', wei }); },
        (err: unknown) => log.warn({ err }, 'gas price read failed'),
      );
    })));
  }
  // the reference moves with time alone (the pool TWAP, sources going stale): re-read it on the clock
  const rereadMs = Math.min(...settings.pools.map((p) => referenceRereadMs(p.reference)));
  if (Number.isFinite(rereadMs)) {
    subs.push(new Subscription(every(scheduler, rereadMs, () => {
      for (const ref of children.positions.values()) tell(ref, { type: 'rereadReference' });
    })));
  }
  if (settings.venueSyncMs > 0) {
    subs.push(new Subscription(every(scheduler, settings.venueSyncMs, () => {
      syncHedges().catch((err: unknown) => log.warn({ err }, 'periodic venue sync failed'));
    })));
  }

  // the feed's observers (metrics, history, alerts, the socket) run only while the actors are idle
  feed.deliverWhen(() => snapshots.idle && prices.idle && systemIdle(system));

  let stopped = false;
  const agent: Agent = {
    feed, killSwitch: ks, checkpoints,
    poolIds: settings.pools.map((p) => p.pool.poolId),
    refs: { risk, hedge, positions: children.positions, exchanges: children.exchanges },
    routing: { snapshots, prices },
    halt: async (reason, by) => {
      // close the gate now, before the message is even processed
      ks.halt(reason, { withdraw: settings.halt.withdrawLiquidity, flatten: settings.halt.flattenHedges });
      return ask<RiskMsg, RiskState>(risk, (replyTo) => ({ type: 'halt', reason, by, replyTo }), settings.timeouts.orderMs);
    },
    resume: (by) => {
      const here = (who: string): Promise<RiskState> => ask<RiskMsg, RiskState>(risk, (replyTo) => ({ type: 'resume', by: who, replyTo }), settings.timeouts.orderMs);
      return scaleOut?.resume === undefined ? here(by) : scaleOut.resume(by, here);
    },
    risk: () => ask<RiskMsg, RiskState>(risk, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.orderMs),
    position: (poolId) => {
      const ref = children.positions.get(poolId);
      if (ref === undefined) return Promise.reject(new Error(`no position actor for pool ${poolId}`));
      return ask<PositionMsg, PositionState>(ref, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.chainMs);
    },
    rebalance: (poolId, range, by) => {
      const ref = children.positions.get(poolId);
      if (ref === undefined && scaleOut?.forward !== undefined && poolConfigs.has(poolId)) return scaleOut.forward.rebalance(poolId, range, by, settings.timeouts.chainMs * 3);
      if (ref === undefined) return Promise.reject(new Error(`no position actor for pool ${poolId}`));
      // a roll is a saga of up to three transactions, each bounded by chainMs
      return ask<PositionMsg, ManualRollResult>(ref, (replyTo) => ({ type: 'manualRoll', range, by, replyTo }), settings.timeouts.chainMs * 3);
    },
    poolSettings: (poolId, patch, by) => {
      const ref = children.positions.get(poolId);
      if (ref === undefined && scaleOut?.forward !== undefined && poolConfigs.has(poolId)) return scaleOut.forward.poolSettings(poolId, patch, by, settings.timeouts.chainMs * 3);
      if (ref === undefined) return Promise.reject(new Error(`no position actor for pool ${poolId}`));
      // queued behind whatever the actor is doing (a roll in flight): bounded like a roll
      return ask<PositionMsg, PositionState>(ref, (replyTo) => ({ type: 'settings', patch, by, replyTo }), settings.timeouts.chainMs * 3);
    },
    hedge: () => ask<HedgeMsg, HedgeState>(hedge, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.orderMs),
    exchange: (venue) => {
      const ref = children.exchanges.get(venue);
      if (ref === undefined) return Promise.reject(new Error(`no exchange actor for venue ${venue}`));
      return ask<ExchangeMsg, ExchangeState>(ref, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.orderMs);
    },
    idle: () => snapshots.idle && prices.idle && systemIdle(system),
    syncHedges,
    adoptPool: async (poolId) => {
      const cfg = poolConfigs.get(poolId);
      if (cfg === undefined) throw new Error(`pool ${poolId} is not configured`);
      if (children.positions.has(poolId)) return ask<PositionMsg, PositionState>(children.positions.get(poolId)!, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.chainMs);
      // the previous owner's last checkpoint, not the one this process read at its start
      await checkpoints.reload(positionKey(poolId));
      const ref = spawnPosition(cfg);
      const state = await ask<PositionMsg, PositionState>(ref, (replyTo) => ({ type: 'init', replyTo }), settings.timeouts.chainMs * 3);
      if (ks.halted) tell(ref, { type: 'halt', reason: ks.reason ?? 'halted', withdraw: false });
      return state;
    },
    dropPool: async (poolId) => {
      const ref = children.positions.get(poolId);
      if (ref === undefined) return;
      children.positions.delete(poolId);
      if (stopped) return; // the whole system is stopped already
      // work already in its mailbox (a roll) finishes first: a getState queued behind it answers once it is done
      await ask<PositionMsg, PositionState>(ref, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.chainMs * 3).catch(() => undefined);
      stopActor(ref);
      await checkpoints.flush();
      feed.forget(positionKey(poolId));
    },
    netDeltas: (deltas) => {
      for (const d of deltas) tell(hedge, { type: 'delta', poolId: d.poolId, asset: d.asset, symbol: d.symbol, delta: d.delta, price: d.price, valueUsd: d.valueUsd, hedgeRatio: d.hedgeRatio ?? null });
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // no order or transaction starts from here on, whatever is still queued
      ks.stopTrading('agent stopping');
      for (const s of subs) s.unsubscribe();
      // let work already in the mailboxes finish (an order or a transaction in flight is never
      // abandoned half-way): a getState queued behind it answers once it is done
      for (let round = 0; round < 2; round++) {
        await Promise.allSettled([
          ...[...children.positions.values()].map((r) => ask<PositionMsg, PositionState>(r, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.chainMs)),
          ask<HedgeMsg, HedgeState>(hedge, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.orderMs * 2),
          ...[...children.exchanges.values()].map((r) => ask<ExchangeMsg, ExchangeState>(r, (replyTo) => ({ type: 'getState', replyTo }), settings.timeouts.orderMs)),
        ]);
      }
      stopSystem(system);
      await checkpoints.flush();
      feed.close();
      log.info('agent stopped');
    },
  };
  log.info({ pools: settings.pools.length, venues: venues.map((v) => v.id), halted: ks.halted }, 'agent started');
  return agent;
}
