/**
 * The agent's rolls and re-balancing swaps, from the chain's own record: PoolManager Swap logs
 * whose sender is the Universal Router and ModifyLiquidity logs whose sender is the
 * PositionManager, in the drill's pools, kept when the transaction was sent by the agent's
 * address. Per pool, an add of liquidity after a removal (in the same transaction, as the roll
 * is sent today, or in an earlier one, as a roll journaled step by step may be) ends a roll; an
 * add with no removal before it is a mint. The agent's swaps in the pool since the previous add
 * are that roll's swaps: at most one is allowed. Swaps after the last add are reported as not
 * yet rolled (a roll in flight, or one abandoned after its swap).
 */
import { getAddress, zeroPadValue, type Log, type Provider } from 'ethers';
import { POOL_MANAGER_TOPICS } from '../../src/adapters/chain/abi/poolManagerEvents.js';
import { decodeModifyLiquidityLog, decodeSwapLog } from '../../src/adapters/chain/swapLogDecoder.js';

export interface RollRecord {
  poolId: string;
  txHash: string;
  block: number;
  /** Agent swaps in this pool since the previous add of liquidity (roll or mint). */
  swapsBefore: number;
  /** Their blocks. */
  swapBlocks: number[];
}

export interface SwapsAndRolls {
  rolls: RollRecord[];
  mints: number;
  withdrawals: number;
  swaps: number;
  /** Agent swaps per pool after its last roll (a roll not completed, or in flight). */
  unrolledSwaps: Record<string, number>;
  maxSwapsPerRoll: number;
}

export interface HistoryRequest {
  provider: Provider;
  poolManager: string;
  positionManager: string;
  universalRouter: string;
  owner: string;
  poolIds: string[];
  fromBlock: number;
  toBlock: number;
  chunk?: number;
}

interface Step {
  kind: 'swap' | 'liquidity';
  poolId: string;
  txHash: string;
  block: number;
  index: number;
  delta: bigint;
}

/** Reads and classifies the agent's swaps, mints, rolls and withdrawals (see the module comment). */
export async function agentSwapsAndRolls(r: HistoryRequest): Promise<SwapsAndRolls> {
  const chunk = r.chunk ?? 5_000;
  const senders = [r.universalRouter, r.positionManager].map((a) => zeroPadValue(getAddress(a), 32).toLowerCase());
  const topics = [[POOL_MANAGER_TOPICS.Swap, POOL_MANAGER_TOPICS.ModifyLiquidity], r.poolIds.map((p) => p.toLowerCase()), senders];
  const logs: Log[] = [];
  for (let from = r.fromBlock; from <= r.toBlock; from += chunk) {
    logs.push(...(await r.provider.getLogs({ address: r.poolManager, fromBlock: from, toBlock: Math.min(from + chunk - 1, r.toBlock), topics })));
  }
  const owner = getAddress(r.owner);
  const fromOf = new Map<string, string>();
  for (const hash of new Set(logs.map((l) => l.transactionHash))) {
    const tx = await r.provider.getTransaction(hash);
    fromOf.set(hash, tx === null ? '' : getAddress(tx.from));
  }
  const router = getAddress(r.universalRouter);
  const steps: Step[] = [];
  for (const log of logs) {
    if (fromOf.get(log.transactionHash) !== owner) continue;
    const pos = { txHash: log.transactionHash, block: log.blockNumber, index: log.index };
    if (log.topics[0]?.toLowerCase() === POOL_MANAGER_TOPICS.Swap) {
      const s = decodeSwapLog(log);
      if (s.sender === router) steps.push({ kind: 'swap', poolId: s.poolId, delta: 0n, ...pos });
    } else {
      const m = decodeModifyLiquidityLog(log);
      steps.push({ kind: 'liquidity', poolId: m.poolId, delta: m.liquidityDelta, ...pos });
    }
  }
  steps.sort((a, b) => a.block - b.block || a.index - b.index);
  const out: SwapsAndRolls = { rolls: [], mints: 0, withdrawals: 0, swaps: 0, unrolledSwaps: {}, maxSwapsPerRoll: 0 };
  const pending = new Map<string, number[]>();
  const removed = new Set<string>();
  const txDone = new Set<string>();
  for (const s of steps) {
    if (s.kind === 'swap') {
      out.swaps += 1;
      pending.set(s.poolId, [...(pending.get(s.poolId) ?? []), s.block]);
      continue;
    }
    const key = `${s.txHash}:${s.poolId}`;
    if (txDone.has(key)) continue;
    txDone.add(key);
    const inTx = steps.filter((x) => x.kind === 'liquidity' && x.txHash === s.txHash && x.poolId === s.poolId);
    const adds = inTx.some((x) => x.delta > 0n);
    const removes = inTx.some((x) => x.delta < 0n);
    if (removes) removed.add(s.poolId);
    if (!adds) {
      if (removes) out.withdrawals += 1;
      continue;
    }
    // an add after a removal (same transaction or an earlier one) ends a roll; swaps since the last add are its swaps
    const swapBlocks = pending.get(s.poolId) ?? [];
    const swapsBefore = swapBlocks.length;
    if (removed.has(s.poolId) || swapsBefore > 0) {
      out.rolls.push({ poolId: s.poolId, txHash: s.txHash, block: s.block, swapsBefore, swapBlocks });
      out.maxSwapsPerRoll = Math.max(out.maxSwapsPerRoll, swapsBefore);
    } else {
      out.mints += 1;
    }
    pending.set(s.poolId, []);
    removed.delete(s.poolId);
  }
  for (const [poolId, blocks] of pending) if (blocks.length > 0) out.unrolledSwaps[poolId] = blocks.length;
  return out;
}
