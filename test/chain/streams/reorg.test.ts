import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import type { SwapEvent } from '../../../src/adapters/chain/poolManagerEvents.js';
import { CheckpointStore } from '../../../src/streams/checkpoint.js';
import { poolEventStreams } from '../../../src/streams/poolEvents.js';
import { pollingHeads } from '../../../src/streams/pollingHeads.js';
import { followPoolEvents } from '../../../src/streams/poolEventFollower.js';
import { ReorgTooDeepError } from '../../../src/streams/streamErrors.js';
import { StaleVersionError } from '../../../src/adapters/store/store.js';
import { canonicalSwapKeys, canonicalSwaps, collect, memoryLogger, sorted, waitFor } from '../support/collect.js';
import { startV4PoolRig, type V4Pool, type V4PoolRig } from '../support/v4Pool.js';

// A fresh chain per test: after an evm_revert or anvil_reorg, anvil's receipts (and block
// number) can disagree by one with the blocks that hold the logs, which would mislead the tests'
// own bookkeeping (the follower itself reads blocks and logs by hash and is not affected).
let pool: V4Pool;
let rig: V4PoolRig | undefined;

beforeEach(async () => {
  rig = await startV4PoolRig();
  ({ pool } = rig);
});
afterEach(async () => {
  await rig?.stop();
});

function follow(key: string, confirmations: number) {
  const { logger, lines } = memoryLogger();
  const store = new MemoryStore();
  const { swaps$ } = poolEventStreams({
    provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: pollingHeads(pool.provider, 25, logger),
    checkpoints: new CheckpointStore(store, key), fromBlock: 'latest', confirmations, reorgWindow: 16, logger,
  });
  return { c: collect<SwapEvent>(swaps$), lines, store };
}

describe('swaps$ across reorgs', () => {
  it('retracts swaps an anvil_reorg replaced at the same height', async () => {
    const before = new Set(await canonicalSwapKeys(pool));
    const { c } = follow('stream/anvil-reorg', 0);
    try {
      for (let i = 0; i < 3; i++) await pool.swap(i % 2 === 0);
      await waitFor(() => c.live.size === 3, 'three swaps');
      const blocks = (await canonicalSwaps(pool)).filter((s) => !before.has(s.key)).map((s) => s.blockNumber);
      const height = await pool.provider.getBlockNumber();
      // Replace the blocks of the last two swaps (and any after them) with empty blocks.
      await pool.provider.send('anvil_reorg', [height - blocks[1]! + 1, []]);
      expect(await pool.provider.getBlockNumber()).toBe(height);
      const truth = (await canonicalSwapKeys(pool)).filter((k) => !before.has(k));
      expect(truth).toHaveLength(1);
      await waitFor(() => c.live.size === 1, 'the reorg to be retracted');
      expect(sorted(c.live.keys())).toEqual(truth);
      expect(c.items.filter((i) => i.kind === 'retraction')).toHaveLength(2);
      await pool.swap(true);
      await waitFor(() => c.live.size === 2, 'a swap after the reorg');
      expect(sorted(c.live.keys())).toEqual(sorted((await canonicalSwapKeys(pool)).filter((k) => !before.has(k))));
      expect(c.duplicates).toEqual([]);
      expect(c.strayRetractions).toEqual([]);
    } finally {
      c.sub.unsubscribe();
    }
  });

  it('with confirmations deeper than the reorg, delivers only the surviving chain and retracts nothing', async () => {
    const before = new Set(await canonicalSwapKeys(pool));
    const { c, store } = follow('stream/deep', 3);
    try {
      await pool.swap(true);
      await pool.swap(false);
      // Block numbers from the logs: after an anvil_reorg, anvil's receipts report block numbers one too high.
      const first = Math.min(...(await canonicalSwaps(pool)).filter((s) => !before.has(s.key)).map((s) => s.blockNumber));
      const height = await pool.provider.getBlockNumber();
      await waitFor(async () => (await store.get<{ block: number }>('stream/deep'))?.value.block === height - 3, 'follower at head');
      await pool.provider.send('anvil_reorg', [height - first + 1, []]); // both swaps' blocks become empty
      await pool.swap(false);
      await pool.provider.send('anvil_mine', [3]);
      const truth = (await canonicalSwapKeys(pool)).filter((k) => !before.has(k));
      expect(truth).toHaveLength(1);
      await waitFor(() => c.live.size === 1, 'the surviving swap');
      expect(sorted(c.live.keys())).toEqual(truth);
      expect(c.items.every((i) => i.kind === 'event')).toBe(true);
    } finally {
      c.sub.unsubscribe();
    }
  });
  it('retracts the swaps an evm_revert removed and delivers the replacement chain once', async () => {
    const before = new Set(await canonicalSwapKeys(pool));
    const { c, lines } = follow('stream/revert', 0);
    try {
      await pool.swap(true);
      await pool.swap(false);
      await waitFor(() => c.live.size === 2, 'swaps before the snapshot');
      const snapshot = (await pool.provider.send('evm_snapshot', [])) as string;
      for (let i = 0; i < 3; i++) await pool.swap(i % 2 === 0, 2n * 10n ** 15n);
      await waitFor(() => c.live.size === 5, 'swaps on the doomed branch');
      const doomed = sorted((await canonicalSwapKeys(pool)).filter((k) => !before.has(k))).filter((k) => c.live.has(k));
      expect(await pool.provider.send('evm_revert', [snapshot])).toBe(true);
      for (let i = 0; i < 5; i++) await pool.swap(i % 2 === 1, 3n * 10n ** 15n);
      const truth = (await canonicalSwapKeys(pool)).filter((k) => !before.has(k));
      expect(truth).toHaveLength(7);
      await waitFor(() => sorted(c.live.keys()).join() === sorted(truth).join(), 'the new canonical swaps');
      const retracted = c.items.filter((i) => i.kind === 'retraction').map((i) => i.key);
      const oldBranch = doomed.filter((k) => !truth.includes(k));
      expect(oldBranch).toHaveLength(3);
      expect(sorted(retracted)).toEqual(oldBranch);
      for (const i of c.items.filter((x) => x.kind === 'retraction')) {
        expect(i.kind === 'retraction' && i.forkBlock < i.event.blockNumber).toBe(true);
      }
      expect(c.duplicates).toEqual([]);
      expect(c.strayRetractions).toEqual([]);
      expect(lines.some((l) => l.includes('follower: reorg'))).toBe(true);
    } finally {
      c.sub.unsubscribe();
    }
  });

  it('fails with ReorgTooDeepError when a reorg reaches below the reorg window', async () => {
    const { logger } = memoryLogger();
    const { swaps$ } = poolEventStreams({
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: pollingHeads(pool.provider, 25, logger),
      checkpoints: new CheckpointStore(new MemoryStore(), 'stream/too-deep'), fromBlock: 'latest', confirmations: 0, reorgWindow: 2, logger,
    });
    const c = collect(swaps$);
    try {
      for (let i = 0; i < 4; i++) await pool.swap(i % 2 === 0);
      await waitFor(() => c.live.size === 4, 'four swaps');
      await pool.provider.send('anvil_reorg', [5, []]);
      await waitFor(() => c.error !== undefined, 'the stream to fail');
      expect(c.error).toBeInstanceOf(ReorgTooDeepError);
    } finally {
      c.sub.unsubscribe();
    }
  });

  it('fails with StaleVersionError when two followers share one checkpoint key', async () => {
    const { logger } = memoryLogger();
    const store = new MemoryStore();
    const make = () => collect(followPoolEvents({
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: pollingHeads(pool.provider, 25, logger),
      checkpoints: new CheckpointStore(store, 'stream/shared'), fromBlock: 'latest', confirmations: 0, logger,
    }));
    const a = make();
    const b = make();
    try {
      for (let i = 0; i < 3 && a.error === undefined && b.error === undefined; i++) await pool.swap(true);
      await waitFor(() => a.error !== undefined || b.error !== undefined, 'one follower to fail');
      expect([a.error, b.error].find((e) => e !== undefined)).toBeInstanceOf(StaleVersionError);
    } finally {
      a.sub.unsubscribe();
      b.sub.unsubscribe();
    }
  });
});
