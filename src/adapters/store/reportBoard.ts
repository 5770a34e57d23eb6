/**
 * The risk reports of an agent's pools in pools mode: each pool's owner publishes its
 * PositionReport (value, deposit, delta, IL, PnL) to one board (deltaBoard.ts: a hash of the
 * latest per pool, fenced by the pool's lease, and a stream of changes), and the risk supervisor of
 * the hedge's owner, which also sees every venue, judges the agent-wide limits over all of them.
 */
import { z } from 'zod';

export const poolReportEntrySchema = z.object({
  poolId: z.string(),
  /** The pool lease's fencing token of the owner that published it. */
  token: z.number().int(),
  /** Who published it ("host:pid") and when (ms since epoch). */
  holder: z.string(),
  at: z.number(),
  report: z.object({
    poolId: z.string(),
    symbol: z.string(),
    deltaUsd: z.number(),
    quoteDelta: z.object({ symbol: z.string(), deltaUsd: z.number() }).optional(),
    valueUsd: z.number(),
    depositedUsd: z.number(),
    ilPercent: z.number(),
    pnlPercent: z.number(),
    status: z.string(),
  }),
});

/** One pool's report on the board. */
export type PoolReportEntry = z.infer<typeof poolReportEntrySchema>;
