/**
 * Sends transactions for one signer: fees under the configured caps (refused before sending
 * when the network is above them), a pre-flight eth_call so a revert costs no gas and comes
 * back decoded, a gas estimate with margin, the sender's own nonce sequence (every version signed
 * here with its leased nonce and broadcast raw, whatever nonce handling the signer has), and a
 * receipt awaited with a timeout. A transaction that stays unmined is replaced (same nonce, fees raised
 * by `feeBumpPct` under the cap) every `replaceAfterMs`; whichever version is mined is the
 * result. Mined reverts are replayed to recover and decode their reason.
 */
import { Transaction, isCallException, isError, type Provider, type Signer, type TransactionReceipt } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import { GasPriceAboveCapError, ReceiptTimeoutError, TxBroadcastError, TxRevertedError } from './errors.js';
import { NonceSequence } from './nonceSequence.js';
import { decodeRevert } from './revertDecoder.js';
import { bumpFees, gasCapsOf, quoteFees, txConfigSchema, type FeeQuote, type GasCaps, type TxConfig, type TxConfigInput } from './txConfig.js';

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
  /**
   * Called with each signed version (the first and every fee-bumped replacement) after signing
   * and before broadcasting it, so a caller can journal nonce, hash and raw bytes durably first.
   * A throw on the first version stops the send with nothing broadcast (the nonce is released).
   */
  beforeBroadcast?: (signed: SignedTx) => Promise<void>;
}

/** One signed version of a transaction, as it will be broadcast. */
export interface SignedTx {
  nonce: number;
  hash: string;
  /** The signed, serialized transaction (public once broadcast; re-broadcasting it cannot double it). */
  raw: string;
}

/** A mined, successful transaction. */
export interface TxResult {
  /** The hash that was mined (a replacement's when one was). */
  hash: string;
  /** How many fee-bumped replacements were sent before it was mined. */
  replacements: number;
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
  /**
   * Asked right before each broadcast, after the caller's beforeBroadcast hook (e.g. the lease of
   * a high-availability agent: a holder whose lease may have expired sends nothing). A throw
   * stops the send with nothing broadcast, like a throw of the hook.
   */
  mayBroadcast?: (label: string) => void;
}

const HEX_DATA = /^0x[0-9a-fA-F]*$/;

/**
 * The revert bytes of a failed eth_call or eth_estimateGas. ethers puts them in different places:
 * CALL_EXCEPTION's `data` for eth_call; for eth_estimateGas (and other nodes' shapes) they stay in
 * the JSON-RPC error, `info.error.data` (a string, or `{ data }`), or `error.data`.
 */
export function revertDataOf(e: unknown): string | null {
  if (isCallException(e) && typeof e.data === 'string' && e.data !== '0x') return e.data;
  const seen = new Set<unknown>();
  const visit = (o: unknown, depth: number): string | null => {
    if (typeof o === 'string') return HEX_DATA.test(o) && o.length >= 10 ? o : null;
    if (typeof o !== 'object' || o === null || depth > 4 || seen.has(o)) return null;
    seen.add(o);
    const r = o as { data?: unknown; error?: unknown; info?: unknown };
    return visit(r.data, depth + 1) ?? visit(r.error, depth + 1) ?? visit(r.info, depth + 1);
  };
  return visit(e, 0) ?? (isCallException(e) ? e.data ?? null : null);
}

/** Times a first version is signed again after the node said its nonce was taken (see send). */
const NONCE_TAKEN_RETRIES = 5;

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
  private readonly mayBroadcast: ((label: string) => void) | undefined;
  private nonces: Promise<NonceSequence> | null = null;
  private address: string | null = null;
  private chainId: bigint | null = null;

  constructor(opts: TxSenderOptions) {
    this.config = txConfigSchema.parse(opts.config ?? {});
    this.caps = gasCapsOf(this.config);
    this.signer = opts.signer;
    this.provider = opts.provider;
    this.log = opts.logger.child({ module: 'tx' });
    this.mayBroadcast = opts.mayBroadcast;
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
   * eth_estimateGas for `req`; a revert there (the state moved since the simulation) throws
   * TxRevertedError('estimation') with the decoded reason: nothing was sent.
   */
  private async estimate(req: TxRequest): Promise<bigint> {
    try {
      return await this.provider.estimateGas({ from: await this.from(), to: req.to, data: req.data, value: req.value ?? 0n });
    } catch (e) {
      const data = revertDataOf(e);
      if (data !== null || isCallException(e)) throw new TxRevertedError(req.label, 'estimation', req.to, decodeRevert(data));
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
        const est = await this.estimate(req);
        gasLimit = (est * BigInt(this.config.gasLimitMarginPct)) / 100n;
      }
    }
    if (gasLimit === undefined) throw new TypeError(`tx ${req.label}: gasLimit is required when simulate is false`);
    this.chainId ??= (await this.provider.getNetwork()).chainId;

    const seq = await this.sequence();
    let lease = await seq.lease();
    let hash: string;
    const tx = (nonce: number, f: FeeQuote) => ({
      type: 2, chainId: this.chainId!, nonce, to: req.to, data: req.data, value: req.value ?? 0n, gasLimit,
      maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas,
    });
    /** Marks a throw of the caller's beforeBroadcast hook (nothing was broadcast). */
    let hookFailed = false;
    // Always signed here with the leased nonce and broadcast as raw bytes, never through the
    // signer's sendTransaction: a signer that manages nonces itself (ethers' NonceManager) put its
    // own count in place of ours, which went stale once a journaled step was signed with ours, and
    // the next send collided ('nonce has already been used', twice, so it failed for good).
    const sign = async (nonce: number, f: FeeQuote): Promise<string> => {
      const raw = await this.signer.signTransaction({ ...tx(nonce, f), from: await this.from() });
      const signedHash = Transaction.from(raw).hash!;
      const journal = req.beforeBroadcast;
      hookFailed = true;
      if (journal !== undefined) await journal({ nonce, hash: signedHash, raw });
      this.mayBroadcast?.(req.label);
      hookFailed = false;
      await this.provider.broadcastTransaction(raw);
      return signedHash;
    };
    for (let attempt = 0; ; attempt++) {
      try {
        hash = await sign(lease.nonce, fees);
        lease.commit();
        break;
      } catch (e) {
        lease.abort();
        if (hookFailed) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        // "nonce too low" or "replacement fee too low": someone else used this nonce or has a
        // transaction pending with it (another process on the same wallet — several `run`
        // processes of one agent share it under ha.mode pools — or a restart); the node rejected
        // our transaction, so re-reading the chain and signing again is safe, a few times.
        if ((isError(e, 'NONCE_EXPIRED') || isError(e, 'REPLACEMENT_UNDERPRICED')) && attempt < NONCE_TAKEN_RETRIES) {
          this.log.warn({ label: req.label, nonce: lease.nonce }, 'nonce already used; resyncing from chain');
          lease = await seq.lease();
          continue;
        }
        this.log.error({ label: req.label, nonce: lease.nonce, err: msg }, 'broadcast failed');
        throw new TxBroadcastError(req.label, lease.nonce, msg);
      }
    }
    this.log.info({ label: req.label, hash, nonce: lease.nonce, gasLimit: gasLimit.toString(), maxFeePerGas: fees.maxFeePerGas.toString() }, 'tx sent');

    const { receipt, replacements } = await this.waitForReceipt(req.label, lease.nonce, hash, fees, (f) => sign(lease.nonce, f));
    hash = receipt.hash;
    if (receipt.status !== 1) {
      const revert = await this.replayRevert(req, receipt.blockNumber);
      const err = new TxRevertedError(req.label, 'mined', req.to, revert, hash);
      this.log.error({ label: req.label, hash, reason: err.message }, 'tx reverted');
      throw err;
    }
    this.log.info({ label: req.label, hash, block: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() }, 'tx mined');
    return { hash, replacements, nonce: lease.nonce, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, effectiveGasPrice: receipt.gasPrice, receipt };
  }

  /**
   * Polls for a receipt of any version of the transaction until it has `confirmations` or the
   * timeout passes, replacing it with raised fees every `replaceAfterMs` while it stays unmined.
   * (Polling the receipts, not block events: on an automining devnet no further block may come.)
   */
  private async waitForReceipt(
    label: string,
    nonce: number,
    first: string,
    firstFees: FeeQuote,
    resend: (f: FeeQuote) => Promise<string>,
  ): Promise<{ receipt: TransactionReceipt; replacements: number }> {
    const { receiptTimeoutMs, receiptPollMs, replaceAfterMs, feeBumpPct, maxReplacements } = this.config;
    const deadline = Date.now() + receiptTimeoutMs;
    const hashes = [first];
    let fees = firstFees;
    let sentAt = Date.now();
    let canReplace = maxReplacements > 0;
    for (;;) {
      // newest first: a replacement is the likelier to be mined
      for (let i = hashes.length - 1; i >= 0; i--) {
        const receipt = await this.provider.getTransactionReceipt(hashes[i]!);
        if (receipt !== null && (await receipt.confirmations()) >= this.config.confirmations) return { receipt, replacements: hashes.length - 1 };
      }
      const now = Date.now();
      if (now >= deadline) throw new ReceiptTimeoutError(label, hashes[hashes.length - 1]!, nonce, receiptTimeoutMs, hashes);
      if (canReplace && now - sentAt >= replaceAfterMs) {
        const block = await this.provider.getBlock('latest');
        const bumped = bumpFees(fees, block?.baseFeePerGas ?? 0n, feeBumpPct, this.caps);
        if (bumped === null) {
          canReplace = false;
          this.log.warn({ label, nonce, hashes, maxFeePerGas: fees.maxFeePerGas.toString(), capWei: this.caps.maxFeePerGasWei.toString() }, 'tx not mined and its fees are at the cap; waiting without replacing');
        } else {
          try {
            const hash = await resend(bumped);
            hashes.push(hash);
            fees = bumped;
            this.log.warn({ label, nonce, hash, replaces: hashes[hashes.length - 2], maxFeePerGas: bumped.maxFeePerGas.toString(), maxPriorityFeePerGas: bumped.maxPriorityFeePerGas.toString() }, 'tx not mined; replaced with higher fees');
          } catch (e) {
            // "nonce too low": a version was mined meanwhile (the next poll finds it) or the nonce
            // went to another transaction (then the timeout says so); "underpriced": the node
            // wants a larger raise than ours. Either way the versions already sent stand.
            this.log.warn({ label, nonce, err: e instanceof Error ? e.message : String(e) }, 'replacement refused by the node; waiting for the versions already sent');
          }
          sentAt = Date.now();
          if (hashes.length - 1 >= maxReplacements) canReplace = false;
        }
      }
      const wake = Math.min(receiptPollMs, deadline - Date.now());
      if (wake > 0) await new Promise((r) => setTimeout(r, wake));
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
