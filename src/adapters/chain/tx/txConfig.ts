/**
 * Transaction settings from config (zod-validated): gas caps (spec: maxGasPrice 100 gwei,
 * priority fee 2 gwei), receipt timeout, gas-limit margin, confirmations, replacement of a
 * transaction that is not mined (fee bump).
 */
import { parseUnits } from 'ethers';
import { z } from 'zod';

/** Config section `chain.tx` (all fields optional; defaults follow the spec). */
export const txConfigSchema = z.object({
  /** Highest total price per gas (base + priority) the agent pays, gwei. Above it nothing is sent. */
  maxGasPriceGwei: z.number().positive().default(100),
  /** Priority fee (tip) per gas, gwei. */
  priorityFeeGwei: z.number().nonnegative().default(2),
  /** How long to wait for a receipt before giving up with ReceiptTimeoutError, ms. */
  receiptTimeoutMs: z.number().int().positive().default(120_000),
  /** How often to poll for the receipt, ms. */
  receiptPollMs: z.number().int().positive().default(1_000),
  /** Gas limit = estimate × this / 100. */
  gasLimitMarginPct: z.number().int().min(100).max(500).default(125),
  /** Blocks to wait on top of the mining block before a receipt counts. */
  confirmations: z.number().int().min(1).default(1),
  /**
   * A transaction without a receipt this long after it (or its last replacement) was sent is
   * replaced: the same nonce, signed again with fees raised by `feeBumpPct`, never above
   * `maxGasPriceGwei`. Whichever version is mined is the result.
   */
  replaceAfterMs: z.number().int().positive().default(30_000),
  /** Raise of both maxFeePerGas and the priority fee per replacement, % (nodes require >= 10). */
  feeBumpPct: z.number().int().min(10).max(100).default(15),
  /** Replacements per transaction at most (0 = never replace). */
  maxReplacements: z.number().int().min(0).max(10).default(3),
});

export type TxConfigInput = z.input<typeof txConfigSchema>;
export type TxConfig = z.output<typeof txConfigSchema>;

/** The caps in wei, as the sender uses them. */
export interface GasCaps {
  maxFeePerGasWei: bigint;
  priorityFeePerGasWei: bigint;
}

/** Converts the gwei caps of a parsed config to wei (exact: gwei may have up to 9 decimals). */
export function gasCapsOf(cfg: TxConfig): GasCaps {
  const gwei = (x: number): bigint => parseUnits(x.toFixed(9), 'gwei');
  return { maxFeePerGasWei: gwei(cfg.maxGasPriceGwei), priorityFeePerGasWei: gwei(cfg.priorityFeeGwei) };
}

/** EIP-1559 fees for one transaction. */
export interface FeeQuote {
  baseFeeWei: bigint;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

/**
 * Chooses fees under the caps for a latest-block base fee: priority = min(configured tip, cap),
 * maxFee = min(2·base + priority, cap). Returns null when base + priority already exceeds the
 * cap (the caller refuses to send).
 */
export function quoteFees(baseFeeWei: bigint, caps: GasCaps): FeeQuote | null {
  const priority = caps.priorityFeePerGasWei < caps.maxFeePerGasWei ? caps.priorityFeePerGasWei : caps.maxFeePerGasWei;
  if (baseFeeWei + priority > caps.maxFeePerGasWei) return null;
  const wanted = 2n * baseFeeWei + priority;
  return { baseFeeWei, maxPriorityFeePerGas: priority, maxFeePerGas: wanted < caps.maxFeePerGasWei ? wanted : caps.maxFeePerGasWei };
}

/**
 * Fees for a replacement of a pending transaction: both raised by `bumpPct` (rounded up), and
 * maxFee at least 2·base + priority for the current base fee, all under the cap. Returns null
 * when the cap leaves no room for a raise of `bumpPct` on both (a node would refuse it as
 * underpriced): the caller keeps waiting for the transaction it has.
 */
export function bumpFees(prev: Pick<FeeQuote, 'maxFeePerGas' | 'maxPriorityFeePerGas'>, baseFeeWei: bigint, bumpPct: number, caps: GasCaps): FeeQuote | null {
  const raise = (x: bigint): bigint => (x * BigInt(100 + bumpPct) + 99n) / 100n;
  const priority = raise(prev.maxPriorityFeePerGas);
  let maxFee = raise(prev.maxFeePerGas);
  const forBase = 2n * baseFeeWei + priority;
  if (forBase > maxFee) maxFee = forBase;
  if (maxFee > caps.maxFeePerGasWei) maxFee = caps.maxFeePerGasWei;
  if (maxFee < raise(prev.maxFeePerGas) || priority > maxFee) return null;
  return { baseFeeWei, maxPriorityFeePerGas: priority, maxFeePerGas: maxFee };
}
