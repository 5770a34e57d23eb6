/**
 * Planning a step again when the chain refused it before sending only because the price moved
 * past its amount bounds between planning and sending (on the devnet and on mainnet an arbitrageur
 * trades our own re-balancing swap back at once). A refusal in the pre-flight simulation or the
 * gas estimation sent nothing (the step's signed transaction is journaled only after both pass),
 * so planning again at the new price is safe; a bounded number of times, for the mint, the
 * re-balancing swap and the roll transaction alike.
 */
import type { Logger } from '../../../logging/logger.js';
import { TxRevertedError } from '../tx/errors.js';
import { SwapOutputBelowMinimumError } from '../swap/swapErrors.js';

/** Times a step is planned again after a slippage refusal. */
export const SLIPPAGE_REPLANS = 2;

/** PositionManager's amount bounds (mint and roll: the mint's maxima, the decrease's minima). */
const SLIPPAGE_REVERTS = new Set(['MaximumAmountExceeded', 'MinimumAmountInsufficient']);

/** A step refused before sending (simulation or gas estimation) only because the price moved past its bounds. */
export function isSlippageRefusal(err: unknown): boolean {
  if (err instanceof SwapOutputBelowMinimumError) return err.stage !== 'mined';
  return err instanceof TxRevertedError && err.stage !== 'mined' && err.reason !== null && SLIPPAGE_REVERTS.has(err.reason);
}

function refusal(err: unknown): { reason: string; stage: string } {
  if (err instanceof SwapOutputBelowMinimumError) return { reason: 'V4TooLittleReceived', stage: err.stage };
  const e = err as TxRevertedError;
  return { reason: e.reason ?? 'unknown', stage: e.stage };
}

/**
 * Runs `attempt` (it plans at the current price and sends), and again, up to SLIPPAGE_REPLANS
 * times, while it is refused before sending for slippage only; any other error, or the last
 * refusal, is thrown as it came.
 */
export async function withReplans<T>(log: Logger, what: string, fields: Record<string, unknown>, attempt: () => Promise<T>): Promise<T> {
  for (let replans = 0; ; replans++) {
    try {
      return await attempt();
    } catch (err) {
      if (replans >= SLIPPAGE_REPLANS || !isSlippageRefusal(err)) throw err;
      log.warn({ ...fields, replans: replans + 1, ...refusal(err) }, `${what} refused before sending: the price moved past its bounds; planning again at the new price`);
    }
  }
}
