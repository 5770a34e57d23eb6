/**
 * A roll as a saga of two chain-confirmable steps: the re-balancing swap (exact in, fronted from
 * the wallet; see onChainPort.ts) and the roll transaction (PositionManager decrease + burn + mint
 * in one modifyLiquidities). The record is journaled before either is sent, each step's signed
 * transaction before it is broadcast. `continueRoll` runs a fresh record and resumes one found in
 * the journal alike: a step journaled as 'sending' is settled from the chain first (its receipt:
 * the swap's flows, the minted token id), so a swap is sent only while the record has no swap
 * step at all — never a second swap for one roll. A failed roll transaction leaves the saga open
 * with its swap confirmed; the next attempt re-sends only the roll transaction.
 *
 * The roll is given the swap's net flows as the wallet saw them in the swap's receipt (minus the
 * input, plus the output), so the mint never counts the input token twice: the old position's
 * principal of it less what the swap already spent. (Given the output only, as before, a price
 * move between the swap and the roll let the mint take the spent input again from the wallet's
 * float, and the receipt-kept books went below zero.)
 */
import { ZeroAddress, getAddress } from 'ethers';
import { HaltedError } from '../../../actors/core/killSwitch.js';
import { PartialRollError, type RollRequest, type RollResult } from '../../../actors/ports.js';
import { principalAmounts } from '../positions/positionAmounts.js';
import { PositionNotFoundError, type PositionView, type UncollectedFees } from '../positions/positionManager.js';
import { planRebalanceSwap } from '../swap/rebalancePlan.js';
import { TxRevertedError } from '../tx/errors.js';
import { SwapRevertedError, SwapOutputBelowMinimumError } from '../swap/swapErrors.js';
import { abandon, confirm, finish, journaling, newRecord, settle, stepOf, walletOf, type SagaContext } from './sagaContext.js';
import type { SagaRecord, SagaStep } from './sagaRecord.js';
import { receiptFlows } from './sagaFlows.js';
import { withReplans } from './replan.js';

/** Default re-balancing slippage bound, bps below the exact model's predicted output. */
export const DEFAULT_REBALANCE_SLIPPAGE_BPS = 50;

/** Native ETH the re-balancing swap leaves in the wallet for gas (0.05 ETH). */
const NATIVE_GAS_RESERVE_WEI = 5n * 10n ** 16n;

/** What the wallet may front of `currency`: all of an ERC20, native ETH less the gas reserve. */
function spendable(currency: string, balance: bigint): bigint {
  if (getAddress(currency) !== ZeroAddress) return balance;
  return balance > NATIVE_GAS_RESERVE_WEI ? balance - NATIVE_GAS_RESERVE_WEI : 0n;
}

/** Journals a new roll saga (old position, its fees, the wallet, the target) and runs it. */
export async function startRoll(ctx: SagaContext, req: RollRequest): Promise<RollResult> {
  const tokenId = BigInt(req.tokenId);
  const before = await ctx.positions.read(tokenId);
  const [fees, wallet] = await Promise.all([ctx.positions.uncollectedFees(before), walletOf(ctx)]);
  const rec = newRecord(ctx, 'roll', wallet, {
    target: { tickLower: req.tickLower, tickUpper: req.tickUpper }, oldTokenId: req.tokenId,
    fees: { amount0: fees.amount0.toString(), amount1: fees.amount1.toString() },
  });
  await ctx.journal.save(rec);
  ctx.log.info({ sagaId: rec.id, poolId: rec.poolId, tokenId: req.tokenId, target: rec.target }, 'roll saga journaled');
  return continueRoll(ctx, rec);
}

/** What the roll adds to the old position's tokens: the swap's net flows into the wallet, per token (negative: paid in). */
interface Extra {
  extra0: bigint;
  extra1: bigint;
}

/**
 * The confirmed swap step's net flows into the wallet of the pool's two tokens, read from its
 * receipt (ERC20 Transfers; native ETH as the balance change plus gas, see sagaFlows.ts) and
 * journaled on the step: minus the input, plus the output. Read from the receipt on a resume too.
 */
async function swapFlows(ctx: SagaContext, rec: SagaRecord, step: SagaStep): Promise<Extra> {
  const receipt = await ctx.provider.getTransactionReceipt(step.minedHash!);
  if (receipt === null) throw new Error(`roll saga ${rec.id}: the receipt of its confirmed swap ${step.minedHash} is not on the chain (reorged?); the saga stays open`);
  const k = ctx.pool.key;
  const f = await receiptFlows(ctx.provider, receipt, [k.currency0, k.currency1], ctx.owner);
  if (step.extra0 !== f.amount0.toString() || step.extra1 !== f.amount1.toString()) {
    step.extra0 = f.amount0.toString();
    step.extra1 = f.amount1.toString();
    await ctx.journal.save(rec);
  }
  return { extra0: f.amount0, extra1: f.amount1 };
}

/**
 * Plans and sends the re-balancing swap (journaled), planned again at the new price when it is
 * refused before sending for its minimum output; returns its net flows, zero when no swap is
 * needed or no router is configured.
 */
async function rebalance(ctx: SagaContext, rec: SagaRecord, view: PositionView, fees: UncollectedFees): Promise<Extra> {
  const swap = ctx.swap;
  if (swap === undefined) return { extra0: 0n, extra1: 0n };
  const p = ctx.pool;
  const target = rec.target!;
  const r = await withReplans(ctx.log, 're-balancing swap', { sagaId: rec.id, poolId: p.desc.poolId }, async () => {
    const [w0, w1] = await walletOf(ctx);
    const price = await ctx.positions.price(p.desc.poolId);
    const principal = principalAmounts(price, view.tickLower, view.tickUpper, view.liquidity, false);
    const have = { amount0: principal.amount0 + fees.amount0, amount1: principal.amount1 + fees.amount1 };
    const float = { amount0: spendable(p.key.currency0, w0), amount1: spendable(p.key.currency1, w1) };
    const { plan } = await planRebalanceSwap({
      provider: ctx.provider, stateView: ctx.positions.stateView.address, poolId: p.desc.poolId, key: p.key, have, range: target, maxAmountIn: float,
    });
    if (plan === null) return null;
    const floatIn = plan.zeroForOne ? float.amount0 : float.amount1;
    if (plan.amountIn === floatIn && floatIn < (plan.zeroForOne ? have.amount0 : have.amount1)) {
      ctx.log.warn({ poolId: p.desc.poolId, zeroForOne: plan.zeroForOne, amountIn: plan.amountIn.toString() }, 'the wallet\'s float caps the re-balancing swap: the new range gets less than the old position\'s value');
    }
    const bps = BigInt(swap.slippageBps ?? DEFAULT_REBALANCE_SLIPPAGE_BPS);
    const amountOutMinimum = (plan.quote.amountOut * (10_000n - bps)) / 10_000n;
    ctx.gate('swap');
    const sent = await swap.router.swapExactIn({
      poolKey: p.key, zeroForOne: plan.zeroForOne, amountIn: plan.amountIn, amountOutMinimum,
      label: `rebalance swap ${plan.zeroForOne ? '0->1' : '1->0'} for roll #${view.tokenId}`, beforeBroadcast: journaling(ctx, rec, 'swap'),
    });
    return { sent, plan, amountOutMinimum };
  });
  if (r === null) return { extra0: 0n, extra1: 0n };
  const step = stepOf(rec, 'swap')!;
  confirm(ctx, step, r.sent.tx.receipt);
  await ctx.journal.save(rec);
  const extra = await swapFlows(ctx, rec, step);
  ctx.log.info({
    sagaId: rec.id, poolId: p.desc.poolId, router: swap.router.kind, zeroForOne: r.plan.zeroForOne, amountIn: r.sent.amountIn.toString(), amountOut: r.sent.amountOut.toString(),
    predictedOut: r.plan.quote.amountOut.toString(), minimumOut: r.amountOutMinimum.toString(), net0: extra.extra0.toString(), net1: extra.extra1.toString(), hash: r.sent.tx.hash,
  }, 'roll re-balancing swap');
  return extra;
}

/** The swap was mined and reverted (gas spent, nothing swapped). */
function minedRevert(err: unknown): boolean {
  return (err instanceof SwapRevertedError || err instanceof SwapOutputBelowMinimumError || err instanceof TxRevertedError) && err.stage === 'mined';
}

/** Runs (or resumes) a roll saga to its end (see the module comment). */
export async function continueRoll(ctx: SagaContext, rec: SagaRecord): Promise<RollResult> {
  for (const name of ['swap', 'roll'] as const) {
    const s = stepOf(rec, name);
    if (s?.status === 'sending') await settle(ctx, rec, s);
  }
  const oldTokenId = BigInt(rec.oldTokenId!);
  if (stepOf(rec, 'roll')?.status !== 'confirmed') {
    let view: PositionView;
    try {
      view = await ctx.positions.read(oldTokenId);
    } catch (err) {
      if (err instanceof PositionNotFoundError) throw await abandon(ctx, rec, `the old position #${oldTokenId} no longer exists (withdrawn or rolled elsewhere)`, err);
      throw err;
    }
    const fees = { amount0: BigInt(rec.fees!.amount0), amount1: BigInt(rec.fees!.amount1) };
    let extra: Extra = { extra0: 0n, extra1: 0n };
    const swapStep = stepOf(rec, 'swap');
    if (swapStep === undefined) {
      try {
        extra = await rebalance(ctx, rec, view, fees);
      } catch (err) {
        const s = stepOf(rec, 'swap');
        const why = err instanceof Error ? err.message : String(err);
        // halted before the swap left: the saga stays open for resume (or a withdraw supersedes it)
        if (s === undefined && !(err instanceof HaltedError)) throw await abandon(ctx, rec, `re-balancing swap not sent: ${why}`, err);
        if (s !== undefined && s.status === 'sending' && minedRevert(err)) {
          s.status = 'failed';
          throw await abandon(ctx, rec, `re-balancing swap reverted: ${why}`, err);
        }
        // journaled and maybe broadcast (a crash, a receipt timeout): settled from the chain on resume
        throw err;
      }
    } else if (swapStep.status === 'confirmed') {
      extra = await swapFlows(ctx, rec, swapStep);
    } else {
      throw await abandon(ctx, rec, 'the re-balancing swap was not mined (reverted or its nonce went elsewhere)');
    }
    await sendRoll(ctx, rec, extra);
  }
  await finish(ctx, rec);
  return rollResult(ctx, rec);
}

/** Sends the roll transaction (journaled), planned again at the new price on a slippage refusal before sending. */
async function sendRoll(ctx: SagaContext, rec: SagaRecord, extra: Extra): Promise<void> {
  const target = rec.target!;
  const tokenId = BigInt(rec.oldTokenId!);
  try {
    await withReplans(ctx.log, 'roll', { poolId: rec.poolId, tokenId: rec.oldTokenId }, async () => {
      // a halt (or whatever the gate throws) stops the roll unsent: the saga stays open, its swap kept
      ctx.gate('roll');
      const r = await ctx.positions.roll({ tokenId, ...target, ...extra, beforeBroadcast: journaling(ctx, rec, 'roll') });
      confirm(ctx, stepOf(rec, 'roll')!, r.tx.receipt);
      await ctx.journal.save(rec);
    });
  } catch (err) {
    const s = stepOf(rec, 'roll');
    if (s?.status === 'sending' && err instanceof TxRevertedError && err.stage === 'mined') {
      s.status = 'failed';
      await ctx.journal.save(rec);
    }
    // not a revert (a crash, an RPC failure, a receipt timeout): the saga stays open as journaled
    if (!(err instanceof TxRevertedError) || (extra.extra0 === 0n && extra.extra1 === 0n)) throw err;
    const [f0, f1] = await walletOf(ctx);
    throw new PartialRollError(rec.poolId, f0 - BigInt(rec.walletBefore.amount0), f1 - BigInt(rec.walletBefore.amount1), err);
  }
}

/** What a finished roll did: the new position, the fees it collected, what it holds, the wallet's net change. */
async function rollResult(ctx: SagaContext, rec: SagaRecord): Promise<RollResult> {
  const step = stepOf(rec, 'roll')!;
  const tokenId = BigInt(step.tokenId!);
  const [after, price, [v0, v1], receipt] = await Promise.all([
    ctx.positions.read(tokenId), ctx.positions.price(rec.poolId), walletOf(ctx), ctx.provider.getTransactionReceipt(step.minedHash!),
  ]);
  // what the new range holds, exactly as the pool computed the mint (rounded up)
  const deposited = principalAmounts(price, after.tickLower, after.tickUpper, after.liquidity, true);
  return {
    sagaId: rec.id,
    position: { tokenId: tokenId.toString(), poolId: ctx.pool.desc.poolId, tickLower: after.tickLower, tickUpper: after.tickUpper, liquidity: after.liquidity },
    fees0: BigInt(rec.fees!.amount0), fees1: BigInt(rec.fees!.amount1),
    amount0: deposited.amount0, amount1: deposited.amount1,
    // net change of the wallet across the swap and the roll (negative: the wallet paid in)
    returned0: v0 - BigInt(rec.walletBefore.amount0), returned1: v1 - BigInt(rec.walletBefore.amount1),
    receipt: { hash: step.minedHash!, blockNumber: receipt?.blockNumber ?? 0, gasUsed: receipt?.gasUsed ?? 0n, gasPriceWei: receipt?.gasPrice ?? 0n },
  };
}
