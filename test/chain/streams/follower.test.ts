import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../../src/adapters/store/fileStore.js';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import { JsonRpcProvider, Network } from 'ethers';
import { connectChain } from '../../../src/adapters/chain/provider.js';
import { CheckpointStore } from '../../../src/streams/checkpoint.js';
import { followPoolEvents } from '../../../src/streams/poolEventFollower.js';
import { poolEventStreams } from '../../../src/streams/poolEvents.js';
import { pollingHeads } from '../../../src/streams/pollingHeads.js';
import { CheckpointNotCanonicalError } from '../../../src/streams/streamErrors.js';
import type { TestAnvil } from '../support/anvil.js';
import { canonicalSwapKeys, collect, memoryLogger, sorted, waitFor } from '../support/collect.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { startV4PoolRig, type V4Pool, type V4PoolRig } from '../support/v4Pool.js';

let anvil: TestAnvil;
let pool: V4Pool;
let rig: V4PoolRig | undefined;

beforeAll(async () => {
  rig = await startV4PoolRig();
  ({ anvil, pool } = rig);
});
afterAll(async () => {
  await rig?.stop();
});

const mine = (n = 1) => pool.provider.send('anvil_mine', [n]);

describe('pool event follower against anvil', () => {
  it('backfills from a checkpoint in chunks, then follows live: every swap once, no gap, across a restart', async () => {
    const { logger, lines } = memoryLogger();
    for (let i = 0; i < 6; i++) await pool.swap(i % 2 === 0);
    await pool.donate(10n ** 12n, 10n ** 12n);
    await pool.initializePool(500, 10); // same tokens, other pool: must not show up
    // The embedded file store, closed and reopened between the two runs, as across a process restart.
    const dir = await mkdtemp(join(tmpdir(), 'rk-follower-'));
    let store = await FileStore.open(dir);
    const opts = {
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId],
      checkpoints: new CheckpointStore(store, 'stream/test/pool'), fromBlock: pool.initBlock,
      confirmations: 1, chunkSize: 2, reorgWindow: 4, logger,
    };
    // Run 1: backfill (deep range chunked by 2 blocks) then live.
    const streams = poolEventStreams({ ...opts, heads: pollingHeads(pool.provider, 30, logger) });
    const swaps = collect(streams.swaps$);
    const all = collect(streams.all$);
    const donates = collect(streams.donate$);
    const inits = collect(streams.initialize$);
    const mods = collect(streams.modifyLiquidity$);
    for (let i = 0; i < 3; i++) await pool.swap(i % 2 === 1);
    await mine();
    let truth = await canonicalSwapKeys(pool);
    await waitFor(() => swaps.live.size === truth.length, 'run 1 swaps');
    expect(sorted(swaps.live.keys())).toEqual(sorted(truth));
    expect(swaps.duplicates).toEqual([]);
    expect(swaps.items.every((i) => i.kind === 'event')).toBe(true);
    const types = [...all.live.values()].map((e) => e.type);
    expect(types.filter((t) => t === 'Initialize')).toHaveLength(1);
    expect(types.filter((t) => t === 'ModifyLiquidity')).toHaveLength(1);
    expect(types.filter((t) => t === 'Donate')).toHaveLength(1);
    expect([...all.live.values()].every((e) => e.poolId === pool.poolId)).toBe(true);
    // Swap amounts are the swapper's balance delta: it paid exactly 1e15 in (negative) and received (positive).
    for (const e of swaps.live.values()) {
      expect(e.fee).toBe(3000);
      const [paid, got] = e.amount0 < 0n ? [e.amount0, e.amount1] : [e.amount1, e.amount0];
      expect(paid).toBe(-(10n ** 15n));
      expect(got > 0n && got < 10n ** 15n).toBe(true);
    }
    // each typed stream carries exactly its own events
    expect([...donates.live.values()].map((e) => [e.type, e.amount0, e.amount1])).toEqual([['Donate', 10n ** 12n, 10n ** 12n]]);
    expect([...inits.live.values()].map((e) => [e.type, e.fee, e.tickSpacing, e.tick])).toEqual([['Initialize', 3000, 60, 0]]);
    expect([...mods.live.values()].map((e) => [e.type, e.tickLower, e.tickUpper, e.liquidityDelta])).toEqual([['ModifyLiquidity', -600, 600, pool.liquidity]]);
    for (const c of [donates, inits, mods]) c.sub.unsubscribe();
    // delivered in chain order
    const order = swaps.items.map((i) => [i.event.blockNumber, i.event.logIndex] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect(lines.some((l) => l.includes('backfill: done'))).toBe(true);
    const head = await pool.provider.getBlockNumber();
    await waitFor(async () => (await store.get<{ block: number }>('stream/test/pool'))?.value.block === head - 1, 'checkpoint at head - confirmations');
    swaps.sub.unsubscribe();
    all.sub.unsubscribe();
    const firstRun = new Set(swaps.live.keys());
    await store.close();
    store = await FileStore.open(dir);

    // Run 2, after a stop: swaps happen while nobody listens, then it resumes from the checkpoint.
    for (let i = 0; i < 4; i++) await pool.swap(i % 2 === 0);
    await mine();
    const again = collect(followPoolEvents({ ...opts, checkpoints: new CheckpointStore(store, 'stream/test/pool'), heads: pollingHeads(pool.provider, 30, logger) }));
    truth = await canonicalSwapKeys(pool);
    await waitFor(() => firstRun.size + [...again.live.values()].filter((e) => e.type === 'Swap').length === truth.length, 'run 2 swaps');
    again.sub.unsubscribe();
    const secondRun = [...again.live.entries()].filter(([, e]) => e.type === 'Swap').map(([k]) => k);
    expect(secondRun.filter((k) => firstRun.has(k))).toEqual([]);
    expect(sorted([...firstRun, ...secondRun])).toEqual(sorted(truth));
    expect(again.duplicates).toEqual([]);
    expect(lines.some((l) => l.includes('resuming from checkpoint'))).toBe(true);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses nothing when the consumer leaves in the middle of a scan: a restart re-delivers the rest', async () => {
    const { logger } = memoryLogger();
    const store = new MemoryStore();
    const before = new Set(await canonicalSwapKeys(pool));
    for (let i = 0; i < 5; i++) await pool.swap(i % 2 === 0);
    const truth = (await canonicalSwapKeys(pool)).filter((k) => !before.has(k));
    const from = (await pool.provider.getBlockNumber()) - 4;
    const opts = {
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId],
      checkpoints: new CheckpointStore(store, 'stream/leave'), fromBlock: from, confirmations: 0, logger,
    };
    // The first consumer takes two events of the five the first scan delivers, then leaves.
    const first = await firstValueFrom(followPoolEvents({ ...opts, heads: pollingHeads(pool.provider, 30, logger) }).pipe(take(2), toArray()));
    expect(first).toHaveLength(2);
    const second = collect(followPoolEvents({ ...opts, checkpoints: new CheckpointStore(store, 'stream/leave'), heads: pollingHeads(pool.provider, 30, logger) }));
    try {
      await waitFor(() => truth.every((k) => first.some((i) => i.key === k) || second.live.has(k)), 'every swap across the two runs');
      expect(second.live.size).toBe(truth.length); // at-least-once: the restart repeats the scan the first consumer left
    } finally {
      second.sub.unsubscribe();
    }
  });

  it('holds an event until it has the configured confirmations', async () => {
    const { logger } = memoryLogger();
    const store = new MemoryStore();
    const c = collect(followPoolEvents({
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: pollingHeads(pool.provider, 30, logger),
      checkpoints: new CheckpointStore(store, 'stream/conf'), fromBlock: 'latest', confirmations: 3, logger,
    }));
    try {
      const { blockNumber } = await pool.swap(true);
      await mine(2);
      // The follower has confirmed through blockNumber - 1 (head - 3): the swap must still be held.
      await waitFor(async () => (await store.get<{ block: number }>('stream/conf'))?.value.block === blockNumber - 1, 'checkpoint at head - 3');
      // ('latest' starts at the head block at subscription, which may hold an earlier test's swap)
      const ours = () => c.items.filter((i) => i.event.blockNumber === blockNumber);
      expect(ours()).toEqual([]);
      await mine(1);
      await waitFor(() => ours().length === 1, 'swap confirmed at depth 3');
      expect(ours()[0]!.kind).toBe('event');
    } finally {
      c.sub.unsubscribe();
    }
  });

  it('keeps running through an RPC outage (logs, backs off, no crash) and then delivers what it missed once', async () => {
    const { logger, lines } = memoryLogger();
    const proxy = await startTcpProxy(anvil.port);
    const network = Network.from(31337);
    const viaProxy = new JsonRpcProvider(`http://127.0.0.1:${proxy.port}`, network, { staticNetwork: network });
    const store = new MemoryStore();
    const before = new Set(await canonicalSwapKeys(pool));
    const c = collect(followPoolEvents({
      provider: viaProxy, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: pollingHeads(pool.provider, 30, logger),
      checkpoints: new CheckpointStore(store, 'stream/outage'), fromBlock: 'latest', confirmations: 0, retryDelayMs: 50, logger,
    }));
    try {
      const fresh = () => [...c.live.keys()].filter((k) => !before.has(k));
      await pool.swap(true);
      await waitFor(() => fresh().length === 1, 'first swap');
      proxy.setDown(true);
      for (let i = 0; i < 3; i++) await pool.swap(i % 2 === 1);
      await waitFor(() => lines.some((l) => l.includes('scan failed; will retry')), 'a failed scan to be logged');
      expect(c.error).toBeUndefined();
      proxy.setDown(false);
      const truth = (await canonicalSwapKeys(pool)).filter((k) => !before.has(k));
      await waitFor(() => fresh().length === truth.length, 'swaps after the outage');
      expect(sorted(fresh())).toEqual(sorted(truth));
      expect(c.duplicates).toEqual([]);
      expect(c.error).toBeUndefined();
    } finally {
      c.sub.unsubscribe();
      viaProxy.destroy();
      await proxy.close();
    }
  });

  it('fails over to the next HTTP endpoint when the preferred one goes down mid-stream', async () => {
    const { logger, lines } = memoryLogger();
    const proxy = await startTcpProxy(anvil.port);
    const conn = await connectChain({ chainId: 31337, http: [`http://127.0.0.1:${proxy.port}`, anvil.rpcUrl], requestTimeoutMs: 5000 }, logger);
    const before = new Set(await canonicalSwapKeys(pool));
    const c = collect(followPoolEvents({
      provider: conn.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: pollingHeads(pool.provider, 30, logger),
      checkpoints: new CheckpointStore(new MemoryStore(), 'stream/failover'), fromBlock: 'latest', confirmations: 0, retryDelayMs: 50, logger,
    }));
    try {
      expect(conn.httpUrls).toHaveLength(2);
      const fresh = () => [...c.live.keys()].filter((k) => !before.has(k));
      await pool.swap(true);
      await waitFor(() => fresh().length === 1, 'a swap through the preferred endpoint');
      const accepted = proxy.accepted();
      expect(accepted).toBeGreaterThan(0);
      proxy.setDown(true);
      for (let i = 0; i < 3; i++) await pool.swap(i % 2 === 0);
      const truth = (await canonicalSwapKeys(pool)).filter((k) => !before.has(k));
      await waitFor(() => fresh().length === truth.length, 'swaps through the fallback endpoint');
      expect(lines.some((l) => l.includes('chain: RPC failover'))).toBe(true);
      expect(sorted(fresh())).toEqual(sorted(truth));
      expect(c.duplicates).toEqual([]);
      expect(c.error).toBeUndefined();
    } finally {
      c.sub.unsubscribe();
      conn.destroy();
      await proxy.close();
    }
  });

  it('refuses a checkpoint that is not on this chain with CheckpointNotCanonicalError', async () => {
    const { logger } = memoryLogger();
    const store = new MemoryStore();
    await store.put('stream/bad', { block: 3, hash: '0x' + '01'.repeat(32) });
    const c = collect(followPoolEvents({
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: pollingHeads(pool.provider, 30, logger),
      checkpoints: new CheckpointStore(store, 'stream/bad'), fromBlock: 0, logger,
    }));
    await waitFor(() => c.error !== undefined, 'the stream to fail');
    expect(c.error).toBeInstanceOf(CheckpointNotCanonicalError);
    expect(c.error).toMatchObject({ block: 3, savedHash: '0x' + '01'.repeat(32) });
    c.sub.unsubscribe();
  });
});
