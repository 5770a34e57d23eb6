/**
 * Waiting for a test's own transaction on an automining anvil, by polling for its receipt.
 * (ethers' tx.wait() was seen to hang here under CPU load until some later transaction mined
 * another block: it re-checks on block events, and under automine a missed check gets no further
 * block; ethers-io/ethers.js#4224.)
 */
import type { ContractTransactionResponse, TransactionReceipt, TransactionResponse } from 'ethers';
import { waitForReceipt } from '../../../src/adapters/chain/devnet/setupTx.js';

/** Waits for a sent transaction's receipt; throws if nothing was sent or it reverted. */
export async function mined(sent: Promise<ContractTransactionResponse | TransactionResponse | null>): Promise<TransactionReceipt> {
  const tx = await sent;
  if (tx === null) throw new Error('no transaction was sent');
  if (tx.provider === null) throw new Error(`transaction ${tx.hash} has no provider to wait with`);
  const receipt = await waitForReceipt(tx.provider, tx.hash);
  if (receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
  return receipt;
}
