/**
 * Delivers alerts to every channel whose minimum severity they reach, without ever blocking or
 * failing the caller: `notify` is synchronous and never throws. Per channel, deliveries go one
 * at a time from a bounded queue (oldest dropped beyond it), each retried with a doubling backoff
 * while the failure may pass (network, 429, 5xx) and given up (counted, logged without the
 * channel's secret) after the last attempt. The same alert (rule + message) within the dedupe
 * window is sent once.
 */
import type { Logger } from '../../logging/logger.js';
import type { NotifyConfig } from './notifyConfig.js';
import { NotifyError, SEVERITY_RANK, type AlertMessage, type Notifier } from './notifier.js';

export interface DispatcherStats {
  sent: number;
  failed: number;
  deduplicated: number;
  dropped: number;
}

type Policy = Pick<NotifyConfig, 'attempts' | 'backoffMs' | 'maxBackoffMs' | 'timeoutMs' | 'dedupeWindowMs' | 'maxQueued'>;

class ChannelQueue {
  private readonly queue: AlertMessage[] = [];
  private running: Promise<void> | null = null;
  private readonly stop = new AbortController();

  constructor(readonly notifier: Notifier, private readonly d: AlertDispatcher) {}

  push(a: AlertMessage): void {
    this.queue.push(a);
    if (this.queue.length > this.d.policy.maxQueued) {
      this.queue.shift();
      this.d.stats.dropped += 1;
    }
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    for (let a = this.queue.shift(); a !== undefined; a = this.queue.shift()) await this.deliver(a);
  }

  private async deliver(a: AlertMessage): Promise<void> {
    const p = this.d.policy;
    let backoff = p.backoffMs;
    for (let attempt = 1; ; attempt++) {
      if (this.stop.signal.aborted) return;
      const timeout = AbortSignal.timeout(p.timeoutMs);
      try {
        await this.notifier.send(a, AbortSignal.any([timeout, this.stop.signal]));
        this.d.stats.sent += 1;
        return;
      } catch (err) {
        const retryable = !(err instanceof NotifyError) || err.retryable;
        const message = err instanceof NotifyError ? err.message : `${this.notifier.name}: ${err instanceof Error ? err.name : 'error'}`;
        if (!retryable || attempt >= p.attempts || this.stop.signal.aborted) {
          this.d.stats.failed += 1;
          this.d.onFailure(this.notifier.name);
          this.d.log.error({ channel: this.notifier.name, attempts: attempt, error: message, rule: a.rule }, 'alert delivery failed');
          return;
        }
        this.d.log.warn({ channel: this.notifier.name, attempt, error: message, retryInMs: backoff }, 'alert delivery failed; retrying');
        await this.sleep(backoff);
        backoff = Math.min(p.maxBackoffMs, backoff * 2);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.stop.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }

  /** Waits for the queue to empty, at most until `deadline`; then abandons what is left. */
  async close(deadline: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      (async () => { while (this.running !== null) await this.running; })(),
      new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
    this.queue.length = 0;
    this.stop.abort();
  }

  get idle(): boolean {
    return this.running === null && this.queue.length === 0;
  }
}

export class AlertDispatcher {
  readonly stats: DispatcherStats = { sent: 0, failed: 0, deduplicated: 0, dropped: 0 };
  private readonly channels: ChannelQueue[];
  private readonly lastSent = new Map<string, number>();

  constructor(
    notifiers: Notifier[],
    readonly policy: Policy,
    readonly log: Logger,
    readonly onFailure: (channel: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.channels = notifiers.map((n) => new ChannelQueue(n, this));
  }

  get channelNames(): string[] {
    return this.channels.map((c) => c.notifier.name);
  }

  /** Queues the alert for every channel it reaches; never blocks, never throws. */
  notify(a: AlertMessage): void {
    try {
      const key = `${a.rule}\u0000${a.message}`;
      const t = this.now();
      const last = this.lastSent.get(key);
      if (last !== undefined && t - last < this.policy.dedupeWindowMs) {
        this.stats.deduplicated += 1;
        return;
      }
      this.lastSent.set(key, t);
      if (this.lastSent.size > 10_000) this.lastSent.clear();
      for (const c of this.channels) if (SEVERITY_RANK[a.severity] >= SEVERITY_RANK[c.notifier.minSeverity]) c.push(a);
    } catch (err) {
      this.log.error({ err }, 'alert dispatch failed');
    }
  }

  /** True when nothing is queued or being delivered. */
  get idle(): boolean {
    return this.channels.every((c) => c.idle);
  }

  /** Delivers what is queued within `deadlineMs`, then stops every retry. */
  async close(deadlineMs = 2_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    await Promise.all(this.channels.map((c) => c.close(deadline)));
  }
}
