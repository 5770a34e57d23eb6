/**
 * Typed errors of the transaction sender; each carries the values that caused it.
 */
import { describeRevert, type DecodedRevert } from './revertDecoder.js';

/** The network asks more per gas than the configured cap: the transaction was NOT sent. */
export class GasPriceAboveCapError extends Error {
  override readonly name = 'GasPriceAboveCapError';
  constructor(
    readonly label: string,
    /** baseFeePerGas of the latest block plus the priority fee, in wei. */
    readonly requiredWei: bigint,
    readonly capWei: bigint,
    readonly baseFeeWei: bigint,
    readonly priorityFeeWei: bigint,
  ) {
    super(`tx ${label}: gas price ${requiredWei} wei (base ${baseFeeWei} + priority ${priorityFeeWei}) is above the cap ${capWei} wei; not sent`);
  }
}

/**
 * Where a revert was seen: in the pre-flight simulation or the gas estimation (nothing sent either
 * way), or in a mined transaction.
 */
export type RevertStage = 'simulation' | 'estimation' | 'mined';

/** The call reverted; `revert` is the decoded custom error / reason (null when the chain gave no data). */
export class TxRevertedError extends Error {
  override readonly name = 'TxRevertedError';
  constructor(
    readonly label: string,
    readonly stage: RevertStage,
    readonly to: string,
    readonly revert: DecodedRevert | null,
    readonly hash?: string,
  ) {
    super(`tx ${label}: reverted in ${stage}${hash === undefined ? '' : ` (${hash})`} at ${to}: ${describeRevert(revert)}`);
  }

  /** The innermost decoded error name (through WrappedError), or null. */
  get reason(): string | null {
    let r = this.revert;
    while (r?.inner !== undefined) r = r.inner;
    return r?.name ?? null;
  }
}

/**
 * No receipt arrived in time. The transaction may still be mined later with this nonce, as any
 * of `hashes` (the original and its fee-bumped replacements; `hash` is the newest).
 */
export class ReceiptTimeoutError extends Error {
  override readonly name = 'ReceiptTimeoutError';
  readonly hashes: readonly string[];
  constructor(readonly label: string, readonly hash: string, readonly nonce: number, readonly timeoutMs: number, hashes?: readonly string[]) {
    const all = hashes ?? [hash];
    super(`tx ${label}: no receipt for ${all.length > 1 ? `any of ${all.join(', ')}` : hash} (nonce ${nonce}) within ${timeoutMs} ms`);
    this.hashes = all;
  }
}

/** The node refused the signed transaction (e.g. nonce or funds); the nonce sequence is resynced. */
export class TxBroadcastError extends Error {
  override readonly name = 'TxBroadcastError';
  constructor(readonly label: string, readonly nonce: number, readonly causeMessage: string) {
    super(`tx ${label}: broadcast with nonce ${nonce} failed: ${causeMessage}`);
  }
}
