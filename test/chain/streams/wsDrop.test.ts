import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import { CheckpointStore } from '../../../src/streams/checkpoint.js';
import { poolEventStreams } from '../../../src/streams/poolEvents.js';
import { wsHeads } from '../../../src/streams/wsHeads.js';
import { startAnvil, type TestAnvil } from '../support/anvil.js';
import { canonicalSwapKeys, collect, memoryLogger, sorted, waitFor } from '../support/collect.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { deployV4Pool, type V4Pool } from '../support/v4Pool.js';

let anvil: TestAnvil;
let pool: V4Pool;
let proxy: TcpProxy;

beforeAll(async () => {
  anvil = await startAnvil();
  pool = await deployV4Pool(anvil.rpcUrl);
  proxy = await startTcpProxy(anvil.port);
});
afterAll(async () => {
  await proxy?.close();
  pool?.destroy();
  await anvil?.stop();
});

describe('swaps$ across WebSocket drops', () => {
  it('sees every swap exactly once while the newHeads socket is killed mid-stream, repeatedly', async () => {
    const { logger, lines } = memoryLogger();
    const store = new MemoryStore();
    const before = new Set(await canonicalSwapKeys(pool));
    const heads = wsHeads({ urls: [`ws://127.0.0.1:${proxy.port}`], logger, reconnectDelayMs: 20, maxReconnectDelayMs: 100 });
    const { swaps$ } = poolEventStreams({
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads,
      checkpoints: new CheckpointStore(store, 'stream/ws'), fromBlock: 'latest', confirmations: 0, logger,
    });
    const c = collect(swaps$);
    try {
      await waitFor(() => proxy.accepted() === 1 && lines.some((l) => l.includes('websocket connected')), 'first connection');
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 3; i++) await pool.swap((round + i) % 2 === 0);
        proxy.cutAll(); // mid-stream: some of these heads were never delivered
        for (let i = 0; i < 2; i++) await pool.swap(i % 2 === 0); // swaps while the socket is down
        await waitFor(() => proxy.accepted() === round + 2, `reconnect ${round + 1}`);
      }
      await pool.swap(true); // after the last reconnect: only newHeads on the new socket can announce it
      const truth = (await canonicalSwapKeys(pool)).filter((k) => !before.has(k));
      expect(truth).toHaveLength(26);
      await waitFor(() => c.live.size === truth.length, 'all swaps');
      expect(sorted(c.live.keys())).toEqual(sorted(truth));
      expect(c.duplicates).toEqual([]);
      expect(c.items).toHaveLength(truth.length);
      expect(lines.filter((l) => l.includes('websocket closed; reconnecting')).length).toBeGreaterThanOrEqual(5);
    } finally {
      c.sub.unsubscribe();
    }
  });
});
