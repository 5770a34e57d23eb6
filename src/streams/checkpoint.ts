import { z } from 'zod';
import type { Store } from '../adapters/store/store.js';

/** The last block through which a stream delivered every confirmed event. */
export interface Checkpoint {
  block: number;
  hash: string;
}

const BlockRefSchema = z.object({ block: z.number().int().nonnegative(), hash: z.string().regex(/^0x[0-9a-f]{64}$/) });
/** `ancestors`: earlier checkpoints, newest first (absent in checkpoints written before it existed). */
const CheckpointSchema = BlockRefSchema.extend({ ancestors: z.array(BlockRefSchema).optional() });

/** How many earlier checkpoints are kept to find a common ancestor after a reorg removed the last one. */
export const ANCESTORS_KEPT = 64;

/** A checkpoint in the store whose content is not a checkpoint. */
export class CorruptCheckpointError extends Error {
  override readonly name = 'CorruptCheckpointError';
  constructor(readonly key: string, readonly value: unknown) {
    super(`streams: checkpoint ${key} holds ${JSON.stringify(value).slice(0, 200)}, not {block, hash}`);
  }
}

/**
 * One stream's checkpoint in the Store, written with a version check so two followers
 * sharing a key fail loudly (StaleVersionError) instead of overwriting each other. With it
 * go the last ANCESTORS_KEPT earlier checkpoints: when a reorg (deeper than the stream's
 * confirmations) removed the checkpoint's block while the stream was stopped, the newest of
 * them still on the chain is where it resumes (see PoolEventFollower).
 */
export class CheckpointStore {
  private version = 0;
  private previous: Checkpoint[] = [];

  constructor(private readonly store: Store, readonly key: string) {}

  /** Reads the checkpoint, or null if the stream never ran. */
  async load(): Promise<Checkpoint | null> {
    const v = await this.store.get(this.key);
    if (v === null) return null;
    const parsed = CheckpointSchema.safeParse(v.value);
    if (!parsed.success) throw new CorruptCheckpointError(this.key, v.value);
    this.version = v.version;
    this.previous = [{ block: parsed.data.block, hash: parsed.data.hash }, ...(parsed.data.ancestors ?? [])];
    return { block: parsed.data.block, hash: parsed.data.hash };
  }

  /** The checkpoints saved before the loaded one, newest first. */
  ancestors(): readonly Checkpoint[] {
    return this.previous.slice(1);
  }

  /** Saves `cp` (expects nobody else wrote since our last load/save). */
  async save(cp: Checkpoint): Promise<void> {
    const saved = { block: cp.block, hash: cp.hash.toLowerCase() };
    // earlier checkpoints at or above this block are on a chain a reorg abandoned (or are this one)
    const ancestors = this.previous.filter((a) => a.block < saved.block).slice(0, ANCESTORS_KEPT);
    this.version = await this.store.put(this.key, { ...saved, ancestors }, this.version);
    this.previous = [saved, ...ancestors];
  }

  /** Forgets the checkpoint: the next run starts from its fromBlock (`rangekeeper events --reset-checkpoint`). */
  async reset(): Promise<void> {
    await this.store.delete(this.key);
    this.version = 0;
    this.previous = [];
  }
}
