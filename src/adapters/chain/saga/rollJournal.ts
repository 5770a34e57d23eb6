/**
 * Where chain sagas are journaled: the latest saga of each pool, written durably (awaited) before
 * each step is sent. `StoreRollJournal` keeps it in the agent's Store (file store or Redis) under
 * `<prefix><poolId>`; a record read back is validated with zod, and one that does not validate is
 * an error (never silently ignored: it may describe a transaction in flight).
 */
import type { Store } from '../../store/store.js';
import { sagaRecordSchema, type SagaRecord } from './sagaRecord.js';

/** The journal of chain sagas, one current record per pool. */
export interface RollJournal {
  /** The pool's latest saga (open, done or abandoned), or null when there never was one. */
  load(poolId: string): Promise<SagaRecord | null>;
  /** Writes the record; resolves only once it is durable. */
  save(record: SagaRecord): Promise<void>;
}

/** A journal record in the store that is not a valid SagaRecord. */
export class CorruptSagaRecordError extends Error {
  override readonly name = 'CorruptSagaRecordError';
  constructor(readonly key: string, readonly issues: string) {
    super(`saga journal: the record at ${key} is not valid (${issues}); inspect it before the agent sends anything for this pool`);
  }
}

/** The journal in a Store (see the module comment). */
export class StoreRollJournal implements RollJournal {
  constructor(private readonly store: Store, private readonly prefix = 'agent/sagas/') {}

  private key(poolId: string): string {
    return `${this.prefix}${poolId.toLowerCase()}`;
  }

  async load(poolId: string): Promise<SagaRecord | null> {
    const key = this.key(poolId);
    const doc = await this.store.get(key);
    if (doc === null) return null;
    const parsed = sagaRecordSchema.safeParse(doc.value);
    if (!parsed.success) throw new CorruptSagaRecordError(key, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return parsed.data;
  }

  async save(record: SagaRecord): Promise<void> {
    await this.store.put(this.key(record.poolId), sagaRecordSchema.parse(record));
  }
}
