/**
 * The halt of an agent whose pools are spread over processes, in Redis: one record per agent id
 * (running or halted, why, by whom, from which process, when), a version that every write must
 * name (compare-and-set in one Lua script: a writer that did not see the latest record is refused
 * and re-reads), a pub/sub channel that tells every process at once, and a capped stream that
 * keeps every change (the audit: who halted or resumed, why, when, through which process).
 *
 * Pub/sub delivers at most once, so {@link HaltRecords.watch} also re-reads the record on a timer:
 * a process that missed a message (reconnecting) still follows within `everyMs`.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const haltRecordSchema = z.object({
  status: z.enum(['running', 'halted']),
  reason: z.string().nullable(),
  /** Who decided it (e.g. "api:<tokenId>", "risk-limits", "signal"). */
  by: z.string().nullable(),
  /** The process it was decided on ("host:pid"). */
  holder: z.string().nullable(),
  /** When, ms since epoch (that process's clock). */
  at: z.number(),
  /** 0 before the first write; each write adds one. */
  version: z.number().int(),
});

/** The agent-wide halt as last recorded. */
export type HaltRecord = z.infer<typeof haltRecordSchema>;

/** What an agent that never halted reads. */
export const NO_HALT: HaltRecord = { status: 'running', reason: null, by: null, holder: null, at: 0, version: 0 };

/** KEYS: the record hash, the audit stream. ARGV: expected version, record JSON, channel, status, reason, by, holder. */
const WRITE = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if cur ~= tonumber(ARGV[1]) then return {-1, redis.call('HGET', KEYS[1], 'd') or ''} end
redis.call('HSET', KEYS[1], 'v', cur + 1, 'd', ARGV[2])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'version', cur + 1, 'status', ARGV[4], 'reason', ARGV[5], 'by', ARGV[6], 'holder', ARGV[7])
redis.call('PUBLISH', ARGV[3], ARGV[2])
return {cur + 1, ''}
`;

/** What a write changes: the rest (version, when) is the record's. */
export type HaltChange = Pick<HaltRecord, 'status' | 'reason' | 'by' | 'holder'>;

/** One entry of the audit stream. */
export interface HaltAuditEntry extends HaltChange {
  version: number;
  /** The stream entry's id (ms on Redis's clock, then a sequence). */
  id: string;
}

export interface HaltRecordKeys {
  hash: string;
  audit: string;
  channel: string;
}

export class HaltRecords {
  constructor(private readonly redis: Redis, private readonly keys: HaltRecordKeys) {}

  /** The record now (NO_HALT before the first write; a record that does not parse reads as NO_HALT with its version). */
  async read(): Promise<HaltRecord> {
    const [v, d] = await this.redis.hmget(this.keys.hash, 'v', 'd');
    return parse(d ?? null) ?? { ...NO_HALT, version: Number(v ?? 0) };
  }

  /**
   * Writes `change` over the record of version `expected`: the new record, or null when the
   * record is no longer at that version (someone wrote since: read again and decide again).
   */
  async write(expected: number, change: HaltChange, at = Date.now()): Promise<HaltRecord | null> {
    const next: HaltRecord = { ...change, at, version: expected + 1 };
    const json = JSON.stringify(next);
    const res = (await this.redis.eval(WRITE, 2, this.keys.hash, this.keys.audit, String(expected), json, this.keys.channel,
      change.status, change.reason ?? '', change.by ?? '', change.holder ?? '')) as [number, string];
    return res[0] === -1 ? null : next;
  }

  /** The audit, oldest first (at most `count` of the latest). */
  async audit(count = 100): Promise<HaltAuditEntry[]> {
    const rows = await this.redis.xrevrange(this.keys.audit, '+', '-', 'COUNT', count);
    return rows.reverse().map(([id, fields]) => {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      const text = (k: string): string | null => (f.get(k) ?? '') === '' ? null : f.get(k)!;
      return { id, version: Number(f.get('version') ?? 0), status: f.get('status') === 'halted' ? 'halted' : 'running', reason: text('reason'), by: text('by'), holder: text('holder') };
    });
  }

  /**
   * Calls `onRecord` with the record now, on every change (pub/sub, on its own connection) and
   * every `everyMs` (a missed message); the caller drops versions it has seen. Until stopped.
   */
  watch(onRecord: (r: HaltRecord) => void, onError: (err: unknown) => void, everyMs = 1_000): () => Promise<void> {
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    sub.on('message', (_channel: string, message: string) => {
      const r = parse(message);
      if (r !== null) onRecord(r);
    });
    let stopped = false;
    const reread = (): void => {
      this.read().then((r) => { if (!stopped) onRecord(r); }, onError);
    };
    const subscribed = sub.subscribe(this.keys.channel).then(reread, onError);
    const timer = setInterval(reread, everyMs);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await subscribed;
      sub.disconnect();
    };
  }
}

function parse(json: string | null): HaltRecord | null {
  if (json === null || json === '') return null;
  try {
    const p = haltRecordSchema.safeParse(JSON.parse(json));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}
