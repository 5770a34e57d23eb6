/**
 * A mint as a one-step saga: journaled (range, deposit, wallet before) before the mint transaction
 * is signed, the signed transaction journaled before it is broadcast. A mint refused before sending
 * only because the price moved past its amount bounds is planned again at the new price (replan.ts). Resumed from the journal, a
 * mint found mined is adopted (token id from the receipt's PositionManager Transfer), one whose
 * nonce is unused is broadcast again as signed (never a second mint), one reverted or dropped is
 * abandoned (the next decision may mint anew: the first moved nothing).
 */
import type { MintRequest, MintResult } from '../../../actors/ports.js';
import { principalAmounts } from '../positions/positionAmounts.js';
import { abandon, confirm, finish, journaling, newRecord, settle, stepOf, walletOf, type SagaContext } from './sagaContext.js';
import type { SagaRecord } from './sagaRecord.js';
import { withReplans } from './replan.js';

/** Journals a new mint saga and runs it; `onJournaled` runs once the record is durable, before anything is sent. */
export async function startMint(ctx: SagaContext, req: MintRequest, onJournaled: (rec: SagaRecord) => Promise<void>): Promise<MintResult> {
  const wallet = await walletOf(ctx);
  const rec = newRecord(ctx, 'mint', wallet, {
    target: { tickLower: req.tickLower, tickUpper: req.tickUpper }, deposit: { amount0: req.amount0Max.toString(), amount1: req.amount1Max.toString() },
  });
  await ctx.journal.save(rec);
  await onJournaled(rec);
  return continueMint(ctx, rec);
}

/** Runs (or resumes) a mint saga to its end. */
export async function continueMint(ctx: SagaContext, rec: SagaRecord): Promise<MintResult> {
  let step = stepOf(rec, 'mint');
  if (step?.status === 'sending') await settle(ctx, rec, step);
  step = stepOf(rec, 'mint');
  if (step?.status === 'failed') throw await abandon(ctx, rec, 'the mint transaction was not mined (reverted or its nonce went elsewhere)');
  if (step === undefined) {
    const target = rec.target!;
    try {
      // sized at the price read right before sending; planned again when the price moved past its bounds before it left
      const r = await withReplans(ctx.log, 'mint', { sagaId: rec.id, poolId: rec.poolId }, () => {
        ctx.gate('mint');
        return ctx.positions.mint({
          poolKey: ctx.pool.key, ...target, amount0Desired: BigInt(rec.deposit!.amount0), amount1Desired: BigInt(rec.deposit!.amount1),
          beforeBroadcast: journaling(ctx, rec, 'mint'),
        });
      });
      confirm(ctx, stepOf(rec, 'mint')!, r.tx.receipt);
    } catch (err) {
      if (stepOf(rec, 'mint') === undefined && !(err instanceof Error && err.name === 'HaltedError')) throw await abandon(ctx, rec, `mint not sent: ${err instanceof Error ? err.message : String(err)}`, err);
      throw err;
    }
  }
  await finish(ctx, rec);
  return mintResult(ctx, rec);
}

async function mintResult(ctx: SagaContext, rec: SagaRecord): Promise<MintResult> {
  const step = stepOf(rec, 'mint')!;
  const tokenId = BigInt(step.tokenId!);
  const [view, price, [v0, v1], receipt] = await Promise.all([
    ctx.positions.read(tokenId), ctx.positions.price(rec.poolId), walletOf(ctx), ctx.provider.getTransactionReceipt(step.minedHash!),
  ]);
  // what the wallet paid, as the chain says (exact, native ETH and gas included for a native pool)
  const paid0 = BigInt(rec.walletBefore.amount0) - v0;
  const paid1 = BigInt(rec.walletBefore.amount1) - v1;
  const held = principalAmounts(price, view.tickLower, view.tickUpper, view.liquidity, true);
  return {
    sagaId: rec.id,
    position: { tokenId: tokenId.toString(), poolId: ctx.pool.desc.poolId, tickLower: view.tickLower, tickUpper: view.tickUpper, liquidity: view.liquidity },
    amount0: paid0 > 0n ? paid0 : held.amount0, amount1: paid1 > 0n ? paid1 : held.amount1,
    receipt: { hash: step.minedHash!, blockNumber: receipt?.blockNumber ?? 0, gasUsed: receipt?.gasUsed ?? 0n, gasPriceWei: receipt?.gasPrice ?? 0n },
  };
}
