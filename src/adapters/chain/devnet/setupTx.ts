/**
 * Sending the devnet's own transactions (deploys, mints, approvals, seed liquidity, simulated
 * trades) and waiting for their receipts.
 */
import { JsonRpcProvider, Network, type Provider, type TransactionReceipt, type TransactionResponse } from 'ethers';
import { DeployError } from './errors.js';

/**
 * A JSON-RPC provider tuned for a local node: fixed network (no chain-id probe per call), no
 * request batching delay, fast polling, no response cache (a cached nonce would collide).
 */
export function localProvider(rpcUrl: string, chainId: number): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1, pollingInterval: 50, cacheTimeout: -1 });
}

/** A transaction whose receipt did not appear in time. */
export class ReceiptTimeoutError extends Error {
  override readonly name = 'ReceiptTimeoutError';
  constructor(readonly txHash: string, readonly timeoutMs: number) {
    super(`no receipt for ${txHash} after ${timeoutMs} ms`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls eth_getTransactionReceipt until the transaction is mined. (ethers' tx.wait() can miss a
 * transaction mined between its first receipt check and its block subscription on an
 * automining node, and then waits for a block that never comes.)
 */
export async function waitForReceipt(provider: Provider, txHash: string, timeoutMs = 60_000, pollMs = 20): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(txHash);
    if (receipt !== null) return receipt;
    if (Date.now() >= deadline) throw new ReceiptTimeoutError(txHash, timeoutMs);
    await sleep(pollMs);
  }
}

/** Awaits a sent transaction's receipt; throws DeployError(step) if sending fails or it reverts. */
export async function confirmTx(step: string, sent: Promise<TransactionResponse | null>): Promise<TransactionReceipt> {
  let receipt: TransactionReceipt;
  try {
    const tx = await sent;
    if (tx === null) throw new Error('no transaction was sent');
    if (tx.provider === null) throw new Error('transaction has no provider to wait with');
    receipt = await waitForReceipt(tx.provider, tx.hash);
  } catch (err) {
    throw new DeployError(step, err);
  }
  if (receipt.status !== 1) throw new DeployError(step, new Error(`transaction ${receipt.hash} reverted`));
  return receipt;
}
