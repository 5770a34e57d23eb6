/**
 * A withdraw (burn: all liquidity and fees back to the wallet) as a one-step saga, journaled like
 * the others. Resumed, a burn found mined is finished (amounts from the wallet's change), one not
 * mined is abandoned when the position is gone, else sent again from a fresh plan.
 */
import type { OwnedPosition, WithdrawResult } from '../../../actors/ports.js';
import { PositionNotFoundError } from '../positions/positionManager.js';
import { abandon, confirm, finish, journaling, newRecord, settle, stepOf, walletOf, type SagaContext } from './sagaContext.js';
import type { SagaRecord } from './sagaRecord.js';

/** Journals a new withdraw saga for `position` and runs it. */
export async function startWithdraw(ctx: SagaContext, position: OwnedPosition): Promise<WithdrawResult> {
  const view = await ctx.positions.read(BigInt(position.tokenId));
  const [fees, wallet] = await Promise.all([ctx.positions.uncollectedFees(view), walletOf(ctx)]);
  const rec = newRecord(ctx, 'withdraw', wallet, { oldTokenId: position.tokenId, fees: { amount0: fees.amount0.toString(), amount1: fees.amount1.toString() } });
  await ctx.journal.save(rec);
  return continueWithdraw(ctx, rec);
}

/** Runs (or resumes) a withdraw saga to its end. */
export async function continueWithdraw(ctx: SagaContext, rec: SagaRecord): Promise<WithdrawResult> {
  let step = stepOf(rec, 'withdraw');
  if (step?.status === 'sending') await settle(ctx, rec, step);
  step = stepOf(rec, 'withdraw');
  if (step?.status !== 'confirmed') {
    const tokenId = BigInt(rec.oldTokenId!);
    try {
      await ctx.positions.read(tokenId);
    } catch (err) {
      if (err instanceof PositionNotFoundError) throw await abandon(ctx, rec, `position #${tokenId} no longer exists`, err);
      throw err;
    }
    ctx.gate('withdraw');
    const r = await ctx.positions.burn({ tokenId, beforeBroadcast: journaling(ctx, rec, 'withdraw') });
    confirm(ctx, stepOf(rec, 'withdraw')!, r.tx.receipt);
  }
  await finish(ctx, rec);
  const done = stepOf(rec, 'withdraw')!;
  const [[v0, v1], receipt] = await Promise.all([walletOf(ctx), ctx.provider.getTransactionReceipt(done.minedHash!)]);
  const fees0 = BigInt(rec.fees!.amount0);
  const fees1 = BigInt(rec.fees!.amount1);
  return {
    sagaId: rec.id,
    amount0: v0 - BigInt(rec.walletBefore.amount0) - fees0, amount1: v1 - BigInt(rec.walletBefore.amount1) - fees1, fees0, fees1,
    receipt: { hash: done.minedHash!, blockNumber: receipt?.blockNumber ?? 0, gasUsed: receipt?.gasUsed ?? 0n, gasPriceWei: receipt?.gasPrice ?? 0n },
  };
}
