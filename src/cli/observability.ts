/**
 * What a run adds around the agent so people can see what it did and does, and hear when it
 * matters: the history (recorded from the agent's feed, its venues' fills and funding, and its
 * alerts), the Prometheus metrics (from the feed and the instrumented venue and chain ports), and
 * alerts (the risk supervisor's and the monitoring rules') delivered to the configured channels.
 * Opened before the agent (its ports are wrapped here, its onAlert comes from here), attached
 * once the agent runs, closed after the agent has stopped (the last records and alerts go out
 * within the stop deadline).
 */
import type { Agent, AgentPorts } from '../actors/agent.js';
import type { ChainPort } from '../actors/ports.js';
import type { Alert } from '../actors/risk/riskSupervisor.js';
import { instrumentChain } from '../adapters/chain/instrumentedChain.js';
import { errorLabel, instrumentVenue } from '../adapters/exchange/instrumentedVenue.js';
import type { ExchangeVenue, FundingRate } from '../adapters/exchange/venue.js';
import { openHistory, type History } from '../adapters/history/openHistory.js';
import { AlertDispatcher } from '../adapters/notify/alertDispatcher.js';
import { AlertRules, riskAlertRule, type RaisedAlert } from '../adapters/notify/alertRules.js';
import { channelNotifier } from '../adapters/notify/channels.js';
import { AgentMetrics } from '../api/metrics/agentMetrics.js';
import { MetricsFromFeed } from '../api/metrics/metricsFromFeed.js';
import type { AgentConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { ShutdownSteps } from './shutdownSteps.js';

export interface Observability {
  readonly history: History | null;
  readonly metrics: AgentMetrics;
  readonly alerts: AlertDispatcher;
  readonly rules: AlertRules;
  /** The chain port as the agent should get it (counted, timed). */
  chain(chain: ChainPort): ChainPort;
  /** The venues as the agent should get them (counted, timed, fills and funding recorded). */
  venues(venues: ExchangeVenue[]): ExchangeVenue[];
  /** The agent's onAlert: every alert to the history, the metrics and the channels. */
  onAlert: NonNullable<AgentPorts['onAlert']>;
  /** Raises an alert of a monitoring rule (the same path as the agent's). */
  raise(a: RaisedAlert): void;
  /** Starts recording and watching the running agent. */
  attach(agent: Agent): void;
}

/**
 * Opens the history (when enabled), the metrics and the alert channels; registers their close
 * with `cleanup` (run after the agent's stop). A channel whose secret is missing throws
 * NotifyConfigError here, before anything trades.
 */
export function openObservability(cfg: AgentConfig, log: Logger, cleanup: ShutdownSteps, env: NodeJS.ProcessEnv = process.env): Observability {
  const metrics = new AgentMetrics();
  const notifiers = cfg.notify.channels.map((c) => channelNotifier(c, env));
  const alerts = new AlertDispatcher(notifiers, cfg.notify, log.child({ component: 'alerts' }), (channel) => metrics.notifyFailures.inc({ channel }));
  const history = cfg.history.enabled ? openHistory(cfg.history, { agentId: cfg.agentId, log, env }) : null;
  const feedMetrics = new MetricsFromFeed(metrics);
  let agentRef: Agent | null = null;

  const raise = (a: RaisedAlert): void => {
    metrics.alerts.inc({ severity: a.severity, rule: a.rule });
    history?.recorder.alert(a);
    alerts.notify({ agentId: cfg.agentId, ...a });
  };
  const rules = new AlertRules({ rules: cfg.notify.rules, raise, forceSync: () => agentRef?.syncHedges() ?? Promise.resolve() });
  const lastFunding = new Map<string, string>();
  const fundingRate = (venue: string, r: FundingRate): void => {
    metrics.fundingRate.set({ venue, symbol: r.symbol }, r.rate);
    // a rate is recorded when it (or its next funding time) changes, not at every read
    const key = `${venue}\u0000${r.symbol}`;
    const sig = `${r.rate}@${r.nextFundingTime ?? ''}`;
    if (lastFunding.get(key) === sig) return;
    lastFunding.set(key, sig);
    history?.recorder.funding(venue, r.symbol, Date.now(), r.rate, null);
  };

  if (history !== null) log.info({ history: history.where }, 'recording history');
  if (notifiers.length > 0) log.info({ channels: alerts.channelNames }, 'alerts go to these channels');
  // closed after the agent (cleanup runs last-pushed first): its final states and alerts are kept
  cleanup.push('alert channels', () => alerts.close(2_000));
  if (history !== null) cleanup.push('history', () => history.close(2_000));
  const stops: (() => void)[] = [() => rules.stop()];
  cleanup.push('monitoring rules', () => {
    for (const stop of stops) stop();
  });

  return {
    history, metrics, alerts, rules, raise,
    chain: (chain) => instrumentChain(chain, {
      call: (method, ok, seconds, err) => {
        metrics.chainRequests.observe({ method, outcome: ok ? 'ok' : 'error' }, seconds);
        // transactions fail for reasons of their own (reverts); reachability is judged on reads
        if (method === 'mint' || method === 'roll' || method === 'withdraw') return;
        metrics.rpcUp.set(ok ? 1 : 0);
        rules.outcome('rpc', ok, ok ? '' : errorLabel(err));
      },
      transaction: (kind, ok, receipt) => {
        metrics.chainTx.inc({ kind, outcome: ok ? 'ok' : 'error' });
        if (receipt !== null) metrics.gasUsed.inc({ kind }, Number(receipt.gasUsed));
      },
      snapshot: (s) => feedMetrics.snapshotSeen(s.poolId, s.blockNumber),
      gasPrice: (wei) => metrics.gasPriceGwei.set(Number(wei) / 1e9),
    }),
    venues: (venues) => venues.map((v) => instrumentVenue(v, {
      call: (venue, method, ok, seconds, err) => {
        metrics.venueRequests.observe({ venue, method, outcome: ok ? 'ok' : 'error' }, seconds);
        if (!ok) metrics.venueErrors.inc({ venue, method, error: errorLabel(err) });
        // an order the venue refuses answered: the venue is reachable
        const refused = !ok && method === 'createOrder' && !['network', 'timeout', 'unavailable', 'rate-limit'].includes(errorLabel(err));
        metrics.venueUp.set({ venue }, ok || refused ? 1 : 0);
        rules.outcome(`venue ${venue}`, ok || refused, ok ? '' : errorLabel(err));
      },
      order: (venue, side, outcome) => metrics.orders.inc({ venue, side, outcome }),
      fill: (f) => {
        metrics.fills.inc({ venue: f.venue, symbol: f.symbol, side: f.side });
        metrics.fillFees.inc({ venue: f.venue }, Math.max(0, f.fee));
        history?.recorder.fill(f);
      },
      fundingRate,
      fundingPayments: (venue, payments) => {
        for (const p of payments) history?.recorder.funding(venue, p.symbol, p.timestamp, p.rate ?? 0, p.amount);
      },
    })),
    onAlert: (a: Alert) => raise({ at: a.at, severity: a.severity, rule: riskAlertRule(a.message), message: a.message }),
    attach: (agent) => {
      agentRef = agent;
      // off the event → decision path: handed over after the actors' turns (stateFeed.ts deferred$)
      const subs = [feedMetrics.attach(agent.feed.deferred$), rules.attach(agent.feed.deferred$)];
      if (history !== null) {
        subs.push(history.recorder.attach(agent.feed.deferred$));
        const queueGauges = setInterval(() => {
          metrics.historyQueued.set(history.queue.stats.queued);
          metrics.historyDropped.set(history.queue.stats.dropped);
        }, 5_000);
        queueGauges.unref();
        stops.push(() => clearInterval(queueGauges));
      }
      // the latest states, so the gauges are filled before the first change
      for (const e of agent.feed.snapshot()) feedMetrics.onEvent(e);
      rules.start();
      // after the agent's stop (its feed's last states recorded; the feed completes then anyway)
      stops.push(() => {
        for (const s of subs) s.unsubscribe();
      });
    },
  };
}
