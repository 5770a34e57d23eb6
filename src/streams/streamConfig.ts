import { z } from 'zod';

/** The `streams` section of the config: how pool events are backfilled, confirmed and followed. */
export const PoolStreamConfigSchema = z.object({
  /** Where to start when no checkpoint exists: a block number (e.g. the pool's creation block) or "latest". */
  fromBlock: z.union([z.number().int().nonnegative(), z.literal('latest')]).default('latest'),
  /** An event in block b is delivered once the chain reaches b + confirmations (0 = at once). */
  confirmations: z.number().int().min(0).max(1000).default(2),
  /** Blocks per eth_getLogs request while backfilling (providers cap ranges; 2000 suits most). */
  chunkSize: z.number().int().positive().max(100_000).default(2000),
  /** Recent blocks kept to detect reorgs and find their fork point; must exceed confirmations. */
  reorgWindow: z.number().int().positive().max(10_000).default(128),
  /** Head polling interval when no WebSocket endpoint is configured. */
  pollIntervalMs: z.number().int().positive().default(2000),
  /** First retry delay after a failed scan (doubles up to 30 s). */
  retryDelayMs: z.number().int().positive().default(1000),
}).refine((c) => c.reorgWindow > c.confirmations, { message: 'reorgWindow must exceed confirmations', path: ['reorgWindow'] });
export type PoolStreamConfig = z.infer<typeof PoolStreamConfigSchema>;
