/**
 * One delivery channel for alerts. `send` resolves once the receiver accepted the alert (2xx)
 * and rejects with a NotifyError otherwise; its message never contains the channel's URL or token.
 */
import type { Severity } from './notifyConfig.js';

export interface AlertMessage {
  agentId: string;
  at: number;
  severity: Severity;
  /** The rule that raised it: "risk" for the supervisor's own, else the rule's name. */
  rule: string;
  message: string;
}

export interface Notifier {
  /** Name for logs and metrics (never a secret). */
  readonly name: string;
  readonly minSeverity: Severity;
  send(alert: AlertMessage, signal: AbortSignal): Promise<void>;
}

export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  constructor(readonly channel: string, message: string, readonly retryable: boolean) {
    super(`${channel}: ${message}`);
  }
}

/** POSTs `body` as JSON to `url`; a NotifyError names only the channel and the status or error code. */
export async function postJson(channel: string, url: string, body: unknown, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    const code = cause?.code ?? (err instanceof Error ? err.name : 'error');
    throw new NotifyError(channel, `request failed (${code})`, true);
  }
  // the body is read and dropped so the connection is released
  await res.arrayBuffer().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return;
  // 429 and 5xx may pass later; any other refusal will not
  throw new NotifyError(channel, `HTTP ${res.status}`, res.status === 429 || res.status >= 500);
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The alert as one line of text (Slack, Telegram). */
export function alertText(a: AlertMessage): string {
  const mark = a.severity === 'critical' ? '🚨 CRITICAL' : a.severity === 'warning' ? '⚠️ warning' : 'ℹ️ info';
  return `${mark} [${a.agentId}] ${a.message} (${a.rule}, ${new Date(a.at).toISOString()})`;
}
