/**
 * The strategy's books of one pool, kept from the chain: `held` is the pool's tokens the agent
 * holds in its wallet for this pool outside the position. It starts at the first deposit (the
 * amounts the first mint saga was given, recorded durably before that mint is sent) and moves
 * only by what the chain says each of the pool's own sagas moved: the ERC20 Transfer logs into
 * and out of the wallet in the receipts of the saga's mined transactions (sagaFlows.ts), applied
 * exactly once per saga (the books remember the last saga applied; sagas of one pool run one at
 * a time). Never from the actor's checkpoint, so a kill -9 at any point cannot make them drift.
 * An agent that deposited before books existed starts them once from its checkpointed `held`.
 *
 * Why receipts rather than `wallet − a baseline`: two pools that share a token (WETH/USDC 0.05%
 * and 0.3%) would each see the other's flows in the wallet balance. The wallet is still the
 * check: the port compares the sum of the books of every pool holding a token with the wallet's
 * balance of it, and a wallet that holds less (funds moved outside the agent) lowers the held
 * amounts, to below zero if need be, which the PositionActor halts on with the reason.
 *
 * A saga may pay in more of a token than the pool's books hold: the roll's mint sized at a price
 * that moved before it was mined (its bounds allow 0.5%), rounding, or fees read before they grew.
 * The wallet's float (the operator's tokens beside the strategy's) pays for it. The books never go
 * below zero for that: the overrun is recorded as taken from the float (`fromFloat`, per token,
 * cumulative) and `held` stops at 0, so the strategy's own tokens outside its position are
 * `held − fromFloat`. What is taken from the float is never paid back by later sagas (a later
 * inflow raises `held`): it stays on record for the operator (state and logs).
 *
 * Limits: a native-ETH currency has no Transfer logs; its flow is read as the wallet's native
 * balance change across the transaction's block plus the gas it paid (gas is not the strategy's),
 * which is exact while nothing else pays the wallet ETH in the same block. Gas paid from the
 * wallet's ETH in a native-ETH pool slowly shows as a shortfall against the books (top the
 * wallet's float up). Tokens the operator adds to the wallet are not the strategy's until a saga
 * deposits them.
 */
import { z } from 'zod';
import type { Store } from '../../store/store.js';

const amount = z.string().regex(/^-?\d+$/);
const booksSchema = z.object({
  amount0: amount, amount1: amount,
  /** Taken from the wallet's float beyond the books, cumulative (absent in records written before it existed: 0). */
  fromFloat0: amount.default('0'), fromFloat1: amount.default('0'),
  lastSagaId: z.string().nullable(), updatedAt: z.number(), why: z.string(),
});

/** Token amounts, raw units. */
export interface Amounts {
  amount0: bigint;
  amount1: bigint;
}

/** Where the per-pool books live. */
export interface PoolBooks {
  /** The pool's held amounts, or null before its first deposit. */
  held(poolId: string): Promise<Amounts | null>;
  /** Starts the pool's books at `held` (durably) unless they exist; returns the books in force. */
  open(poolId: string, held: Amounts, why: string): Promise<Amounts>;
  /** What the pool's sagas took from the wallet's float beyond its books, cumulative (0 when none, or no books). */
  fromFloat(poolId: string): Promise<Amounts>;
  /**
   * Adds a saga's flows once (a saga already applied is skipped); the books must exist. An amount
   * that would go below zero stops at 0, the overrun taken from the float; returns this saga's overrun.
   */
  apply(poolId: string, sagaId: string, flows: Amounts): Promise<Amounts>;
}

/**
 * `held + flow`, floored at 0, and what the floor took from the float. Books already below zero
 * (adopted so from an old checkpoint: impossible books the PositionActor halts on) are left as they are.
 */
export function addFlow(held: bigint, flow: bigint): { held: bigint; fromFloat: bigint } {
  const next = held + flow;
  return next < 0n && held >= 0n ? { held: 0n, fromFloat: -next } : { held: next, fromFloat: 0n };
}

export class CorruptBooksError extends Error {
  override readonly name = 'CorruptBooksError';
  constructor(readonly key: string, readonly issues: string) {
    super(`books: the record at ${key} is not valid (${issues})`);
  }
}

/** The books in the agent's Store under `<prefix><poolId>`. */
export class StorePoolBooks implements PoolBooks {
  constructor(private readonly store: Store, private readonly prefix = 'agent/books/', private readonly now: () => number = Date.now) {}

  private key(poolId: string): string {
    return `${this.prefix}${poolId.toLowerCase()}`;
  }

  private async read(poolId: string): Promise<{ doc: z.infer<typeof booksSchema>; version: number } | null> {
    const key = this.key(poolId);
    const got = await this.store.get(key);
    if (got === null) return null;
    const parsed = booksSchema.safeParse(got.value);
    if (!parsed.success) throw new CorruptBooksError(key, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return { doc: parsed.data, version: got.version };
  }

  async held(poolId: string): Promise<Amounts | null> {
    const r = await this.read(poolId);
    return r === null ? null : { amount0: BigInt(r.doc.amount0), amount1: BigInt(r.doc.amount1) };
  }

  async fromFloat(poolId: string): Promise<Amounts> {
    const r = await this.read(poolId);
    return r === null ? { amount0: 0n, amount1: 0n } : { amount0: BigInt(r.doc.fromFloat0), amount1: BigInt(r.doc.fromFloat1) };
  }

  async open(poolId: string, held: Amounts, why: string): Promise<Amounts> {
    const existing = await this.held(poolId);
    if (existing !== null) return existing;
    await this.store.put(this.key(poolId), {
      amount0: held.amount0.toString(), amount1: held.amount1.toString(), fromFloat0: '0', fromFloat1: '0', lastSagaId: null, updatedAt: this.now(), why,
    }, 0);
    return held;
  }

  async apply(poolId: string, sagaId: string, flows: Amounts): Promise<Amounts> {
    const r = await this.read(poolId);
    if (r === null || r.doc.lastSagaId === sagaId) return { amount0: 0n, amount1: 0n };
    const a0 = addFlow(BigInt(r.doc.amount0), flows.amount0);
    const a1 = addFlow(BigInt(r.doc.amount1), flows.amount1);
    const next = {
      amount0: a0.held.toString(), amount1: a1.held.toString(),
      fromFloat0: (BigInt(r.doc.fromFloat0) + a0.fromFloat).toString(), fromFloat1: (BigInt(r.doc.fromFloat1) + a1.fromFloat).toString(),
      lastSagaId: sagaId, updatedAt: this.now(), why: `saga ${sagaId}`,
    };
    // versioned: a concurrent writer (there should be none) makes this fail rather than lose a saga
    await this.store.put(this.key(poolId), next, r.version);
    return { amount0: a0.fromFloat, amount1: a1.fromFloat };
  }
}
