/**
 * Sends transactions for one signer: fees under the configured caps (refused before sending
 * when the network is above them), a pre-flight eth_call so a revert costs no gas and comes
 * back decoded, a gas estimate with margin, the signer's own nonce sequence, and a receipt
 * awaited with a timeout. Mined reverts are replayed to recover and decode their reason.
 */
import { isCallException, isError, type Provider, type Signer, type TransactionReceipt } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import { GasPriceAboveCapError, ReceiptTimeoutError, TxBroadcastError, TxRevertedError } from './errors.js';
import { NonceSequence } from './nonceSequence.js';
import { decodeRevert } from './revertDecoder.js';
import { gasCapsOf, quoteFees, txConfigSchema, type FeeQuote, type GasCaps, type TxConfig, type TxConfigInput } from './txConfig.js';

/** A call to send. */
export interface TxRequest {
  to: string;
  data: string;
  value?: bigint;
  /** What this is, for logs and errors (e.g. 'mint', 'roll #12'). */
  label: string;
  /** Skip estimation and use this limit. */
  gasLimit?: bigint;
  /** false: do not eth_call first (the revert, if any, is then seen in the mined receipt). gasLimit is then required. */
  simulate?: boolean;
}

/** A mined, successful transaction. */
export interface TxResult {
  hash: string;
  nonce: number;
  blockNumber: number;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  receipt: TransactionReceipt;
}

/** What a TxSender needs. `signer` must be connected to `provider`'s chain. */
export interface TxSenderOptions {
  signer: Signer;
  provider: Provider;
  config?: TxConfigInput;
  logger: Logger;
}

function revertDataOf(e: unknown): string | null {
  if (isCallException(e)) return e.data ?? null;
  if (typeof e === 'object' && e !== null) {
    const o = e as { data?: unknown; error?: { data?: unknown } };
    if (typeof o.data === 'string') return o.data;
    if (typeof o.error?.data === 'string') return o.error.data;
  }
  return null;
}

/**
 * The one place that sends transactions for a signer. Create exactly one per signer
 * (it owns that signer's nonce sequence); `send` may be called concurrently.
 */
export class TxSender {
  readonly config: TxConfig;
  readonly caps: GasCaps;
  private readonly signer: Signer;
  private readonly provider: Provider;
  private readonly log: Logger;
  private nonces: Promise<NonceSequence> | null = null;
  private address: string | null = null;
  private chainId: bigint | null = null;

  constructor(opts: TxSenderOptions) {
    this.config = txConfigSchema.parse(opts.config ?? {});
    this.caps = gasCapsOf(this.config);
    this.signer = opts.signer;
    this.provider = opts.provider;
    this.log = opts.logger.child({ module: 'tx' });
  }

  /** The signer's address. */
  async from(): Promise<string> {
    this.address ??= await this.signer.getAddress();
    return this.address;
  }

  private sequence(): Promise<NonceSequence> {
    // assigned synchronously so concurrent first sends share one sequence
    this.nonces ??= this.from().then((a) => new NonceSequence(this.provider, a));
    return this.nonces;
  }

  /** Fees for a transaction now, or GasPriceAboveCapError when the network is above the cap. */
  async quote(label: string): Promise<FeeQuote> {
    const block = await this.provider.getBlock('latest');
    const base = block?.baseFeePerGas ?? 0n;
    const q = quoteFees(base, this.caps);
    if (q === null) {
      const priority = this.caps.priorityFeePerGasWei;
      throw new GasPriceAboveCapError(label, base + priority, this.caps.maxFeePerGasWei, base, priority);
    }
    return q;
  }

  /** Runs the call without sending it; throws TxRevertedError('simulation') with the decoded reason. */
  async simulate(req: TxRequest): Promise<string> {
    const from = await this.from();
    try {
      return await this.provider.call({ from, to: req.to, data: req.data, value: req.value ?? 0n, blockTag: 'latest' });
    } catch (e) {
      const data = revertDataOf(e);
      if (data !== null || isCallException(e)) throw new TxRevertedError(req.label, 'simulation', req.to, decodeRevert(data));
      throw e;
    }
  }

  /**
   * Sends `req` and waits for its receipt. Throws GasPriceAboveCapError (nothing sent),
   * TxRevertedError (simulation: nothing sent; mined: gas spent, reason decoded),
   * TxBroadcastError (node refused; nonce resynced) or ReceiptTimeoutError.
   */
  async send(req: TxRequest): Promise<TxResult> {
    const fees = await this.quote(req.label);
    let gasLimit = req.gasLimit;
    if (req.simulate !== false) {
      await this.simulate(req);
      if (gasLimit === undefined) {
        const est = await this.provider.estimateGas({ from: await this.from(), to: req.to, data: req.data, value: req.value ?? 0n });
        gasLimit = (est * BigInt(this.config.gasLimitMarginPct)) / 100n;
      }
    }
    if (gasLimit === undefined) throw new TypeError(`tx ${req.label}: gasLimit is required when simulate is false`);
    this.chainId ??= (await this.provider.getNetwork()).chainId;

    const seq = await this.sequence();
    let lease = await seq.lease();
    let hash: string;
    for (let attempt = 0; ; attempt++) {
      try {
        const resp = await this.signer.sendTransaction({
          type: 2,
          chainId: this.chainId,
          nonce: lease.nonce,
          to: req.to,
          data: req.data,
          value: req.value ?? 0n,
          gasLimit,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        });
        hash = resp.hash;
        lease.commit();
        break;
      } catch (e) {
        lease.abort();
        const msg = e instanceof Error ? e.message : String(e);
        // "nonce too low": someone else used this nonce (another process, or a restart); the
        // node rejected our transaction, so re-reading the chain and signing again is safe, once.
        if (isError(e, 'NONCE_EXPIRED') && attempt === 0) {
          this.log.warn({ label: req.label, nonce: lease.nonce }, 'nonce already used; resyncing from chain');
          lease = await seq.lease();
          continue;
        }
        this.log.error({ label: req.label, nonce: lease.nonce, err: msg }, 'broadcast failed');
        throw new TxBroadcastError(req.label, lease.nonce, msg);
      }
    }
    this.log.info({ label: req.label, hash, nonce: lease.nonce, gasLimit: gasLimit.toString(), maxFeePerGas: fees.maxFeePerGas.toString() }, 'tx sent');

    const receipt = await this.waitForReceipt(req.label, hash, lease.nonce);
    if (receipt.status !== 1) {
      const revert = await this.replayRevert(req, receipt.blockNumber);
      const err = new TxRevertedError(req.label, 'mined', req.to, revert, hash);
      this.log.error({ label: req.label, hash, reason: err.message }, 'tx reverted');
      throw err;
    }
    this.log.info({ label: req.label, hash, block: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() }, 'tx mined');
    return { hash, nonce: lease.nonce, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, effectiveGasPrice: receipt.gasPrice, receipt };
  }

  /**
   * Polls for the receipt until it has `confirmations` or the timeout passes. (Polling the
   * receipt itself, not block events: on an automining devnet no further block may come.)
   */
  private async waitForReceipt(label: string, hash: string, nonce: number): Promise<TransactionReceipt> {
    const deadline = Date.now() + this.config.receiptTimeoutMs;
    for (;;) {
      const receipt = await this.provider.getTransactionReceipt(hash);
      if (receipt !== null && (await receipt.confirmations()) >= this.config.confirmations) return receipt;
      const left = deadline - Date.now();
      if (left <= 0) throw new ReceiptTimeoutError(label, hash, nonce, this.config.receiptTimeoutMs);
      await new Promise((r) => setTimeout(r, Math.min(this.config.receiptPollMs, left)));
    }
  }

  /** Re-runs a mined, reverted call on the state before its block to recover the revert data. */
  private async replayRevert(req: TxRequest, blockNumber: number): Promise<ReturnType<typeof decodeRevert>> {
    try {
      await this.provider.call({ from: await this.from(), to: req.to, data: req.data, value: req.value ?? 0n, blockTag: blockNumber - 1 });
      return null;
    } catch (e) {
      return decodeRevert(revertDataOf(e));
    }
  }
}
