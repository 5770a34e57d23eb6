/**
 * What every chain saga needs: the chain, the positions client, the journal, the pool it runs in,
 * and the gate and observation hooks of one call. Also the journal helpers shared by the sagas:
 * record a step's signed transaction before it is broadcast, settle a step found in the journal,
 * finish or abandon a saga.
 */
import { randomUUID } from 'node:crypto';
import type { Provider, TransactionReceipt } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import type { StepGate } from '../../../actors/ports.js';
import type { OnChainPool } from '../onchain/onChainPool.js';
import { mintedTokenId, type PositionManagerClient } from '../positions/positionManager.js';
import type { SwapRouter } from '../swap/swapRouter.js';
import type { SignedTx } from '../tx/sender.js';
import { getTokenBalance } from '../tokens.js';
import type { PoolBooks } from './poolBooks.js';
import type { RollJournal } from './rollJournal.js';
import { sagaFlows } from './sagaFlows.js';
import type { SagaKind, SagaRecord, SagaStep, StepName } from './sagaRecord.js';
import { stepFate } from './stepFate.js';

/** Observation hooks (crash drills and tests): called after the journal write of each step's first signed version. */
export interface SagaHooks {
  afterJournaled?: (step: StepName, record: SagaRecord) => Promise<void> | void;
}

export interface SagaContext {
  provider: Provider;
  positions: PositionManagerClient;
  owner: string;
  journal: RollJournal;
  /** The pool's books: each saga's flows are applied once when it ends. */
  books: PoolBooks;
  log: Logger;
  pool: OnChainPool;
  swap?: { router: SwapRouter; slippageBps?: number };
  /** How long a journaled, unmined step is waited for on resume (ms), and the poll. */
  resumeTimeoutMs: number;
  resumePollMs: number;
  hooks: SagaHooks;
  /** Checked right before each step is sent; throws (HaltedError) to stop it. */
  gate: StepGate;
}

/** A saga that cannot be finished: nothing more is sent for it; the chain is as it left it. */
export class SagaAbandonedError extends Error {
  override readonly name = 'SagaAbandonedError';
  constructor(readonly sagaId: string, readonly kind: SagaKind, readonly poolId: string, readonly note: string, cause?: unknown) {
    super(`${kind} saga ${sagaId} in ${poolId} abandoned: ${note}`, cause === undefined ? undefined : { cause });
  }
}

/** The wallet's balances of the pool's two tokens. */
export async function walletOf(ctx: SagaContext): Promise<[bigint, bigint]> {
  const k = ctx.pool.key;
  return Promise.all([getTokenBalance(ctx.provider, k.currency0, ctx.owner), getTokenBalance(ctx.provider, k.currency1, ctx.owner)]);
}

/** A new open record (not yet saved). */
export function newRecord(ctx: SagaContext, kind: SagaKind, wallet: [bigint, bigint], fields: Partial<Pick<SagaRecord, 'target' | 'oldTokenId' | 'deposit' | 'fees'>>): SagaRecord {
  return {
    id: `${kind}-${randomUUID()}`, kind, poolId: ctx.pool.desc.poolId.toLowerCase(), startedAt: Date.now(), status: 'open', note: null,
    walletBefore: { amount0: wallet[0].toString(), amount1: wallet[1].toString() },
    target: fields.target ?? null, oldTokenId: fields.oldTokenId ?? null, deposit: fields.deposit ?? null, fees: fields.fees ?? null, steps: [],
  };
}

export function stepOf(rec: SagaRecord, name: StepName): SagaStep | undefined {
  return rec.steps.find((s) => s.name === name);
}

/**
 * The beforeBroadcast hook of step `name`: on its first signed version the gate is checked (a halt
 * stops it unsent) and the step is journaled as 'sending' with nonce, hash and raw bytes (a retry of
 * a failed step replaces its entry); a fee-bumped replacement is appended. Resolves once durable.
 */
export function journaling(ctx: SagaContext, rec: SagaRecord, name: StepName): (signed: SignedTx) => Promise<void> {
  return async (signed) => {
    const cur = stepOf(rec, name);
    const tx = { hash: signed.hash, raw: signed.raw };
    if (cur !== undefined && cur.status === 'sending' && cur.nonce === signed.nonce) {
      cur.txs.push(tx);
      await ctx.journal.save(rec);
      return;
    }
    ctx.gate(name);
    const step: SagaStep = { name, status: 'sending', nonce: signed.nonce, txs: [tx], minedHash: null, extra0: null, extra1: null, tokenId: null };
    rec.steps = [...rec.steps.filter((s) => s.name !== name), step];
    await ctx.journal.save(rec);
    await ctx.hooks.afterJournaled?.(name, rec);
  };
}

/** Records what a mined step did, decoded from its receipt: the minted token (a swap's flows: rollSaga.ts). */
export function confirm(ctx: SagaContext, step: SagaStep, receipt: TransactionReceipt): void {
  step.status = 'confirmed';
  step.minedHash = receipt.hash;
  if (step.name === 'roll' || step.name === 'mint') step.tokenId = mintedTokenId(receipt, ctx.positions.address).toString();
}

/** Finds out on chain what became of a journaled 'sending' step and journals it (confirmed or failed). */
export async function settle(ctx: SagaContext, rec: SagaRecord, step: SagaStep): Promise<void> {
  const fate = await stepFate({ provider: ctx.provider, owner: ctx.owner, log: ctx.log, timeoutMs: ctx.resumeTimeoutMs, pollMs: ctx.resumePollMs }, step);
  if (fate.kind === 'mined') confirm(ctx, step, fate.receipt);
  else step.status = 'failed';
  ctx.log.info({ sagaId: rec.id, step: step.name, nonce: step.nonce, fate: fate.kind, hash: fate.kind === 'dropped' ? null : fate.receipt.hash }, 'saga step settled from the chain');
  await ctx.journal.save(rec);
}

/** Adds what the saga's mined steps moved to the pool's books (once per saga). */
async function book(ctx: SagaContext, rec: SagaRecord): Promise<void> {
  const k = ctx.pool.key;
  const flows = await sagaFlows(ctx.provider, rec, [k.currency0, k.currency1], ctx.owner);
  const over = await ctx.books.apply(rec.poolId, rec.id, flows);
  if (over.amount0 > 0n || over.amount1 > 0n) {
    ctx.log.warn({ sagaId: rec.id, poolId: rec.poolId, fromFloat0: over.amount0.toString(), fromFloat1: over.amount1.toString() }, 'the saga paid in more than the pool\'s books held: the rest came from the wallet\'s float (recorded as fromFloat)');
  }
}

export async function finish(ctx: SagaContext, rec: SagaRecord): Promise<void> {
  rec.status = 'done';
  await ctx.journal.save(rec);
  await book(ctx, rec);
}

/** Marks the saga abandoned (durably) and returns the error to throw. */
export async function abandon(ctx: SagaContext, rec: SagaRecord, note: string, cause?: unknown): Promise<SagaAbandonedError> {
  rec.status = 'abandoned';
  rec.note = note;
  await ctx.journal.save(rec);
  // a step it did finish (a swap before a withdraw superseded the roll) still moved tokens
  await book(ctx, rec);
  ctx.log.warn({ sagaId: rec.id, kind: rec.kind, poolId: rec.poolId, note }, 'saga abandoned');
  return new SagaAbandonedError(rec.id, rec.kind, rec.poolId, note, cause);
}
