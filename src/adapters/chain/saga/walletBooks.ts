/**
 * The strategy's books of one pool, reconciled from the chain: the tokens the agent holds for the
 * pool outside its position are `held = wallet − baseline`, per token, where the baseline is what
 * the wallet holds that is not the strategy's (the float the re-balancing swap fronts, gas money,
 * other funds). The baseline is recorded once, durably, when the first deposit's mint saga is
 * journaled (wallet before − deposit), or, for an agent that deposited before books existed, from
 * its checkpointed `held` at the first start (wallet − held). From then on every swap, roll, mint
 * and withdraw moves `held` by exactly what the chain moved, whatever the checkpoint says and
 * however often the agent is killed.
 *
 * Limits: anything else that moves the wallet's balance of a pool token moves `held` too — gas
 * when a pool token is native ETH (the strategy pays its own gas then), the operator topping up
 * or taking out funds (move the baseline with them), and a second pool sharing a token (each
 * pool's held would see the other's flows: give such pools separate wallets). A held amount below
 * zero means one of these happened; the PositionActor halts on it with the reason.
 */
import { z } from 'zod';
import type { Store } from '../../store/store.js';

const amount = z.string().regex(/^-?\d+$/);
const baselineSchema = z.object({ amount0: amount, amount1: amount, setAt: z.number(), why: z.string() });

/** The part of the wallet's balances of the pool's two tokens that is not the strategy's. */
export interface Baseline {
  amount0: bigint;
  amount1: bigint;
}

/** Where the per-pool baselines live. */
export interface WalletBooks {
  baseline(poolId: string): Promise<Baseline | null>;
  /** Records the baseline (durably) unless one exists; returns the one in force. */
  establish(poolId: string, b: Baseline, why: string): Promise<Baseline>;
}

export class CorruptBooksError extends Error {
  override readonly name = 'CorruptBooksError';
  constructor(readonly key: string, readonly issues: string) {
    super(`books: the baseline at ${key} is not valid (${issues})`);
  }
}

/** The books in the agent's Store under `<prefix><poolId>`. */
export class StoreWalletBooks implements WalletBooks {
  constructor(private readonly store: Store, private readonly prefix = 'agent/books/') {}

  private key(poolId: string): string {
    return `${this.prefix}${poolId.toLowerCase()}`;
  }

  async baseline(poolId: string): Promise<Baseline | null> {
    const key = this.key(poolId);
    const doc = await this.store.get(key);
    if (doc === null) return null;
    const parsed = baselineSchema.safeParse(doc.value);
    if (!parsed.success) throw new CorruptBooksError(key, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return { amount0: BigInt(parsed.data.amount0), amount1: BigInt(parsed.data.amount1) };
  }

  async establish(poolId: string, b: Baseline, why: string): Promise<Baseline> {
    const existing = await this.baseline(poolId);
    if (existing !== null) return existing;
    await this.store.put(this.key(poolId), { amount0: b.amount0.toString(), amount1: b.amount1.toString(), setAt: Date.now(), why }, 0);
    return b;
  }
}
