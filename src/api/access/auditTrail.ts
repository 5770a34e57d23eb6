/**
 * The API's audit trail: every write and every refused request (401, 403, 429) becomes one
 * record — who (token id and role, address), what (method, route, body), the result (status,
 * outcome, answer) and when — written to the history database's audit_log through the history's
 * write queue (off the request's path). Bodies and answers are kept as JSON, secrets masked,
 * capped in size.
 */
import type { AuditRecord } from '../../adapters/history/historyRecords.js';
import type { Logger } from '../../logging/logger.js';

export type AuditEntry = Omit<AuditRecord, 'kind' | 'agentId'>;

/** Where audit entries go (the history's queue); `enabled` false: the log only. */
export interface AuditSink {
  readonly enabled: boolean;
  record(entry: AuditEntry): void;
}

/** Largest body or answer kept per record, characters of JSON. */
export const MAX_AUDIT_JSON = 4_096;
const SECRET_KEY = /token|secret|password|passphrase|apikey|api_key|authorization/i;

/** `value` with every field named like a secret masked. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => maskSecrets(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).slice(0, 100).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[masked]' : maskSecrets(v, depth + 1)]));
  }
  return value;
}

/** JSON that fits the audit log: masked, and a preview of the text when too long. */
export function auditJson(value: unknown): unknown {
  if (value === undefined) return null;
  const masked = maskSecrets(value);
  let text: string;
  try {
    text = JSON.stringify(masked) ?? 'null';
  } catch {
    return { unserializable: true };
  }
  return text.length <= MAX_AUDIT_JSON ? masked : { truncated: true, preview: text.slice(0, MAX_AUDIT_JSON) };
}

/** An answer's payload as JSON (it was serialized already), or its text. */
export function payloadJson(payload: unknown): unknown {
  if (typeof payload !== 'string') return null;
  try {
    return auditJson(JSON.parse(payload));
  } catch {
    return auditJson(payload);
  }
}

/** The sink writing to the history's queue (`push`), or to the log alone when there is no history. */
export function auditSink(agentId: string, push: ((r: AuditRecord) => void) | null, log: Logger): AuditSink {
  return {
    enabled: push !== null,
    record: (entry) => {
      const level = entry.outcome === 'ok' ? 'info' : 'warn';
      log[level]({ audit: { tokenId: entry.tokenId, role: entry.role, ip: entry.ip, method: entry.method, route: entry.route, status: entry.status } }, 'api audit');
      push?.({ kind: 'audit', agentId, ...entry });
    },
  };
}
