/**
 * Ownership discovery for PositionManager NFTs. Positions are not enumerable on chain, so the
 * tokens an address holds are found by replaying ERC721 Transfer events to and from it, read
 * in block chunks from a start block (e.g. the PositionManager's deployment block).
 */
import { Interface, getAddress, zeroPadValue, type Log, type Provider } from 'ethers';
import { POSITION_MANAGER_ABI } from './abi.js';

const iface = new Interface(POSITION_MANAGER_ABI);
const TRANSFER_TOPIC = iface.getEvent('Transfer')!.topicHash;

/** Where to look. */
export interface OwnershipScanRequest {
  provider: Provider;
  positionManager: string;
  owner: string;
  fromBlock: number;
  /** Last block to read; default the latest block. */
  toBlock?: number;
  /** Blocks per getLogs call; default 10,000. */
  chunkSize?: number;
}

/** Token ids held after replaying every Transfer up to `scannedTo` (inclusive), ascending. */
export interface OwnershipScan {
  tokenIds: bigint[];
  scannedTo: number;
}

/** A scan range that cannot be read. */
export class OwnershipScanError extends Error {
  override readonly name = 'OwnershipScanError';
  constructor(readonly field: string, readonly value: unknown, reason: string) {
    super(`positions: ownership scan ${field} = ${String(value)}: ${reason}`);
  }
}

function byChainOrder(a: Log, b: Log): number {
  return a.blockNumber - b.blockNumber || a.index - b.index;
}

/**
 * Returns the PositionManager token ids `owner` holds at `toBlock`: every Transfer to it adds
 * an id, every Transfer from it (including burns, to address 0) removes it, in chain order.
 */
export async function findOwnedTokenIds(req: OwnershipScanRequest): Promise<OwnershipScan> {
  const chunk = req.chunkSize ?? 10_000;
  if (!Number.isInteger(chunk) || chunk < 1) throw new OwnershipScanError('chunkSize', chunk, 'must be a positive integer');
  if (!Number.isInteger(req.fromBlock) || req.fromBlock < 0) throw new OwnershipScanError('fromBlock', req.fromBlock, 'must be a block number');
  const toBlock = req.toBlock ?? (await req.provider.getBlockNumber());
  const address = getAddress(req.positionManager);
  const ownerTopic = zeroPadValue(getAddress(req.owner), 32).toLowerCase();
  const logs: Log[] = [];
  for (let start = req.fromBlock; start <= toBlock; start += chunk) {
    const end = Math.min(start + chunk - 1, toBlock);
    const [incoming, outgoing] = await Promise.all([
      req.provider.getLogs({ address, fromBlock: start, toBlock: end, topics: [TRANSFER_TOPIC, null, ownerTopic] }),
      req.provider.getLogs({ address, fromBlock: start, toBlock: end, topics: [TRANSFER_TOPIC, ownerTopic] }),
    ]);
    logs.push(...incoming, ...outgoing);
  }
  logs.sort(byChainOrder);
  const held = new Set<bigint>();
  const seen = new Set<string>();
  for (const log of logs) {
    const key = `${log.blockHash}:${log.index}`;
    if (seen.has(key)) continue; // a self-transfer matches both filters
    seen.add(key);
    const from = BigInt(log.topics[1]!);
    const to = BigInt(log.topics[2]!);
    const id = BigInt(log.topics[3]!);
    if (from === BigInt(ownerTopic)) held.delete(id);
    if (to === BigInt(ownerTopic)) held.add(id);
  }
  return { tokenIds: [...held].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), scannedTo: toBlock };
}
