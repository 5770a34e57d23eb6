/**
 * What a saga moved into (+) and out of (−) the wallet, per pool token, read from the receipts of
 * its mined transactions: ERC20 Transfer logs to and from the owner; for native ETH the owner's
 * balance change across the transaction's block plus the gas it paid (see poolBooks.ts, limits).
 * Reverted transactions moved nothing; gas is not counted.
 */
import { ZeroAddress, getAddress, id as topicOf, type Provider, type TransactionReceipt } from 'ethers';
import type { Amounts } from './poolBooks.js';
import type { SagaRecord } from './sagaRecord.js';

const TRANSFER = topicOf('Transfer(address,address,uint256)');

/** The signed flow of `currency` to `owner` in one receipt. */
async function flowOf(provider: Provider, receipt: TransactionReceipt, currency: string, owner: string): Promise<bigint> {
  const me = BigInt(getAddress(owner));
  if (getAddress(currency) === ZeroAddress) {
    const [after, before] = await Promise.all([provider.getBalance(owner, receipt.blockNumber), provider.getBalance(owner, receipt.blockNumber - 1)]);
    return after - before + receipt.gasUsed * receipt.gasPrice;
  }
  const token = getAddress(currency);
  let net = 0n;
  for (const l of receipt.logs) {
    if (l.topics[0] !== TRANSFER || l.topics.length !== 3 || getAddress(l.address) !== token) continue;
    const value = BigInt(l.data);
    if (BigInt(l.topics[2]!) === me) net += value;
    if (BigInt(l.topics[1]!) === me) net -= value;
  }
  return net;
}

/** What one mined transaction moved into (+) and out of (−) the owner's wallet, per currency (a reverted one: nothing). */
export async function receiptFlows(provider: Provider, receipt: TransactionReceipt, currencies: [string, string], owner: string): Promise<Amounts> {
  if (receipt.status !== 1) return { amount0: 0n, amount1: 0n };
  return { amount0: await flowOf(provider, receipt, currencies[0], owner), amount1: await flowOf(provider, receipt, currencies[1], owner) };
}

/** The saga's net flows of the pool's two currencies (its confirmed steps only). */
export async function sagaFlows(provider: Provider, rec: SagaRecord, currencies: [string, string], owner: string): Promise<Amounts> {
  const flows = { amount0: 0n, amount1: 0n };
  for (const step of rec.steps) {
    if (step.status !== 'confirmed' || step.minedHash === null) continue;
    const receipt = await provider.getTransactionReceipt(step.minedHash);
    if (receipt === null) continue;
    const f = await receiptFlows(provider, receipt, currencies, owner);
    flows.amount0 += f.amount0;
    flows.amount1 += f.amount1;
  }
  return flows;
}
