/**
 * The spec's MonitoringSystem rules, each with a severity, on top of the risk supervisor's own
 * alerts (a limit breach halts and is critical; a crash loop halts and is critical):
 * - a venue, or the RPC, failing every call for longer than `unreachableMs`: critical; its
 *   recovery: info;
 * - a hedge out of sync (the sync severity high or critical) for longer than `hedgeOutOfSyncMs`:
 *   a forced venue sync and a warning;
 * - a key rotation check that failed: warning.
 * Every decision is on the injected clock; `check()` runs on a timer (start/stop) and in tests.
 */
import type { Observable, Subscription } from 'rxjs';
import type { StateEvent } from '../../actors/core/stateFeed.js';
import type { HedgeState } from '../../actors/hedge/hedgeActor.js';
import type { NotifyConfig, Severity } from './notifyConfig.js';

export interface RaisedAlert {
  at: number;
  severity: Severity;
  rule: string;
  message: string;
}

export interface AlertRulesOptions {
  rules: NotifyConfig['rules'];
  raise: (a: RaisedAlert) => void;
  /** Forces a venue sync and hedge re-check (the agent's syncHedges). */
  forceSync?: () => Promise<void>;
  now?: () => number;
}

/** The rule name of one of the risk supervisor's alerts, from its message. */
export function riskAlertRule(message: string): string {
  if (message.startsWith('kill switch: halted')) return message.includes('crash loop') ? 'crash-loop' : 'halt';
  if (message.startsWith('kill switch: resumed')) return 'resume';
  if (message.includes('crashed')) return 'actor-crash';
  return 'risk';
}

export class AlertRules {
  private readonly failing = new Map<string, { since: number; alerted: boolean; error: string }>();
  private readonly outOfSync = new Map<string, { since: number; alerted: boolean }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly o: AlertRulesOptions) {
    this.now = o.now ?? Date.now;
  }

  /** A call to `target` ("venue paper", "rpc") succeeded or failed. */
  outcome(target: string, ok: boolean, error = ''): void {
    const f = this.failing.get(target);
    if (ok) {
      if (f === undefined) return;
      this.failing.delete(target);
      if (f.alerted) this.o.raise({ at: this.now(), severity: 'info', rule: 'unreachable', message: `${target} reachable again` });
      return;
    }
    if (f === undefined) this.failing.set(target, { since: this.now(), alerted: false, error });
    else f.error = error;
    this.check();
  }

  keyRotationFailed(venue: string, label: string, error: string): void {
    this.o.raise({ at: this.now(), severity: 'warning', rule: 'key-rotation', message: `key rotation check failed for ${venue} (${label}): ${error}` });
  }

  /** Watches the hedge states on the feed. */
  attach(changes$: Observable<StateEvent>): Subscription {
    return changes$.subscribe((e) => {
      if (e.kind === 'hedge') this.hedge(e.state as unknown as HedgeState);
    });
  }

  hedge(s: HedgeState): void {
    if (typeof s.assets !== 'object' || s.assets === null) return; // not a hedge state (one restored from an older agent may lack assets)
    if (s.status !== 'running') {
      this.outOfSync.clear();
      return;
    }
    for (const h of Object.values(s.assets)) {
      const bad = h.sync.severity === 'high' || h.sync.severity === 'critical';
      if (!bad) this.outOfSync.delete(h.asset);
      else if (!this.outOfSync.has(h.asset)) this.outOfSync.set(h.asset, { since: this.now(), alerted: false });
    }
    this.check();
  }

  /** Raises what is due now. */
  check(): void {
    const t = this.now();
    for (const [target, f] of this.failing) {
      if (f.alerted || t - f.since < this.o.rules.unreachableMs) continue;
      f.alerted = true;
      this.o.raise({ at: t, severity: 'critical', rule: 'unreachable', message: `${target} unreachable for ${Math.round((t - f.since) / 1000)} s (${f.error})` });
    }
    for (const [asset, o] of this.outOfSync) {
      if (o.alerted || t - o.since < this.o.rules.hedgeOutOfSyncMs) continue;
      o.alerted = true;
      this.o.raise({ at: t, severity: 'warning', rule: 'hedge-out-of-sync', message: `${asset} hedge out of sync for ${Math.round((t - o.since) / 1000)} s: forcing a venue sync` });
      this.o.forceSync?.().catch(() => undefined);
    }
  }

  start(everyMs = 1_000): void {
    this.timer ??= setInterval(() => this.check(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
