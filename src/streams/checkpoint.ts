import { z } from 'zod';
import type { Store } from '../adapters/store/store.js';

/** The last block through which a stream delivered every confirmed event. */
export interface Checkpoint {
  block: number;
  hash: string;
}

const CheckpointSchema = z.object({ block: z.number().int().nonnegative(), hash: z.string().regex(/^0x[0-9a-f]{64}$/) });

/** A checkpoint in the store whose content is not a checkpoint. */
export class CorruptCheckpointError extends Error {
  override readonly name = 'CorruptCheckpointError';
  constructor(readonly key: string, readonly value: unknown) {
    super(`streams: checkpoint ${key} holds ${JSON.stringify(value).slice(0, 200)}, not {block, hash}`);
  }
}

/**
 * One stream's checkpoint in the Store, written with a version check so two followers
 * sharing a key fail loudly (StaleVersionError) instead of overwriting each other.
 */
export class CheckpointStore {
  private version = 0;

  constructor(private readonly store: Store, readonly key: string) {}

  /** Reads the checkpoint, or null if the stream never ran. */
  async load(): Promise<Checkpoint | null> {
    const v = await this.store.get(this.key);
    if (v === null) return null;
    const parsed = CheckpointSchema.safeParse(v.value);
    if (!parsed.success) throw new CorruptCheckpointError(this.key, v.value);
    this.version = v.version;
    return parsed.data;
  }

  /** Saves `cp` (expects nobody else wrote since our last load/save). */
  async save(cp: Checkpoint): Promise<void> {
    this.version = await this.store.put(this.key, { block: cp.block, hash: cp.hash.toLowerCase() }, this.version);
  }
}
