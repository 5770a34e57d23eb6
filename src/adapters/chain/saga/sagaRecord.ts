/**
 * The journal record of one chain saga: a roll (re-balancing swap, then the roll transaction), a
 * mint or a withdraw, each step a transaction the chain can confirm. It is written to the Store
 * before each step is signed and broadcast, and read back (validated here) on restart to resume
 * the saga from its last confirmed step. Chain amounts are decimal strings (bigint on our side).
 */
import { z } from 'zod';

const amount = z.string().regex(/^-?\d+$/, 'an integer in decimal');
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a transaction hash');

export const sagaKindSchema = z.enum(['roll', 'mint', 'withdraw']);
export type SagaKind = z.infer<typeof sagaKindSchema>;

export const stepNameSchema = z.enum(['swap', 'roll', 'mint', 'withdraw']);
export type StepName = z.infer<typeof stepNameSchema>;

/** One signed version of a step's transaction (the first, or a fee-bumped replacement). */
export const sentTxSchema = z.object({ hash, raw: z.string().regex(/^0x[0-9a-fA-F]+$/) });

export const sagaStepSchema = z.object({
  name: stepNameSchema,
  /**
   * sending: signed and journaled, maybe broadcast, maybe mined (find out on chain);
   * confirmed: mined and succeeded; failed: reverted or never mined (its nonce went elsewhere).
   */
  status: z.enum(['sending', 'confirmed', 'failed']),
  nonce: z.number().int().nonnegative(),
  txs: z.array(sentTxSchema).min(1),
  /** The hash that was mined, once confirmed. */
  minedHash: hash.nullable(),
  /**
   * Swap step: its net flows into the wallet per pool token, raw units, from its receipt (negative:
   * the input paid in; positive: the output): what the roll adds to the old position's tokens.
   * (Records written before this held the output only, the input as 0; a resume reads the receipt again.)
   */
  extra0: amount.nullable(),
  extra1: amount.nullable(),
  /** The position token minted (mint and roll steps). */
  tokenId: amount.nullable(),
});
export type SagaStep = z.infer<typeof sagaStepSchema>;

export const sagaRecordSchema = z.object({
  /** Unique per saga; the PositionActor applies a finished saga once by this id. */
  id: z.string().min(1).max(100),
  kind: sagaKindSchema,
  poolId: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  startedAt: z.number(),
  /** open: not finished (resume it); done: finished (result below); abandoned: cannot finish, nothing more will be sent. */
  status: z.enum(['open', 'done', 'abandoned']),
  /** Why it was abandoned, for logs and the operator. */
  note: z.string().nullable(),
  /** The wallet's balances of the pool's two tokens before the saga's first step, raw units. */
  walletBefore: z.object({ amount0: amount, amount1: amount }),
  /** Roll: the range rolled to; mint: the range minted. */
  target: z.object({ tickLower: z.number().int(), tickUpper: z.number().int() }).nullable(),
  /** Roll and withdraw: the position token the saga started from. */
  oldTokenId: amount.nullable(),
  /** Mint: the amounts asked for (the deposit). */
  deposit: z.object({ amount0: amount, amount1: amount }).nullable(),
  /** Roll and withdraw: the old position's uncollected fees when the saga started. */
  fees: z.object({ amount0: amount, amount1: amount }).nullable(),
  steps: z.array(sagaStepSchema),
});
export type SagaRecord = z.infer<typeof sagaRecordSchema>;
