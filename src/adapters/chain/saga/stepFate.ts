/**
 * What became of a journaled saga step's transaction, found out on chain: a receipt for any of
 * its signed versions (the first or a fee-bumped replacement; newest first), else whether its
 * nonce was consumed. A step whose nonce is still unused was journaled but maybe never broadcast
 * (killed in between) or is still waiting in a mempool: its newest signed version is broadcast
 * again, as is (same nonce, same hash: it cannot be mined twice), and its receipt awaited.
 */
import { isError, type Provider, type TransactionReceipt } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import type { SagaStep } from './sagaRecord.js';

/** mined: succeeded; reverted: mined and reverted; dropped: its nonce went to another transaction. */
export type StepFate =
  | { kind: 'mined'; receipt: TransactionReceipt }
  | { kind: 'reverted'; receipt: TransactionReceipt }
  | { kind: 'dropped' };

/** A journaled step neither mined nor dropped within the wait: the saga stays open and is resumed later. */
export class StepStillPendingError extends Error {
  override readonly name = 'StepStillPendingError';
  constructor(readonly step: string, readonly nonce: number, readonly hashes: readonly string[], readonly waitedMs: number) {
    super(`saga step ${step} (nonce ${nonce}, ${hashes.join(', ')}) was neither mined nor replaced within ${waitedMs} ms; it stays journaled and is resumed later`);
  }
}

export interface StepFateOptions {
  provider: Provider;
  owner: string;
  log: Logger;
  /** How long to wait for a re-broadcast step (ms). */
  timeoutMs: number;
  pollMs: number;
}

async function receiptOf(provider: Provider, step: SagaStep): Promise<StepFate | null> {
  for (let i = step.txs.length - 1; i >= 0; i--) {
    const r = await provider.getTransactionReceipt(step.txs[i]!.hash);
    if (r !== null) return { kind: r.status === 1 ? 'mined' : 'reverted', receipt: r };
  }
  return null;
}

/** Settles a journaled step on chain (see the module comment). */
export async function stepFate(o: StepFateOptions, step: SagaStep): Promise<StepFate> {
  const deadline = Date.now() + o.timeoutMs;
  let rebroadcast = false;
  for (;;) {
    const mined = await receiptOf(o.provider, step);
    if (mined !== null) return mined;
    const count = await o.provider.getTransactionCount(o.owner, 'latest');
    if (count > step.nonce) {
      // consumed: read the receipts once more (mined between the two reads), else another tx took it
      return (await receiptOf(o.provider, step)) ?? { kind: 'dropped' };
    }
    if (!rebroadcast) {
      rebroadcast = true;
      const newest = step.txs[step.txs.length - 1]!;
      try {
        await o.provider.broadcastTransaction(newest.raw);
        o.log.warn({ step: step.name, nonce: step.nonce, hash: newest.hash }, 'saga step journaled but not mined: broadcast its signed transaction again');
      } catch (err) {
        // already known to the node, or nonce used meanwhile (the next round finds out which)
        if (!isError(err, 'NONCE_EXPIRED')) o.log.warn({ step: step.name, nonce: step.nonce, err: err instanceof Error ? err.message : String(err) }, 'saga step re-broadcast refused');
      }
    }
    if (Date.now() >= deadline) throw new StepStillPendingError(step.name, step.nonce, step.txs.map((t) => t.hash), o.timeoutMs);
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
}
