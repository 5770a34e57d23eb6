import { describe, expect, it } from 'vitest';
import { POOL_MANAGER_TOPICS } from '../../../src/adapters/chain/abi/poolManagerEvents.js';
import { connectChain } from '../../../src/adapters/chain/provider.js';
import { poolIdOf } from '../../../src/adapters/chain/poolId.js';
import type { InitializeEvent, ModifyLiquidityEvent } from '../../../src/adapters/chain/poolManagerEvents.js';
import { StateViewReader } from '../../../src/adapters/chain/stateView.js';
import { getTokenMetadata } from '../../../src/adapters/chain/tokens.js';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import { CheckpointStore } from '../../../src/streams/checkpoint.js';
import { headsFor } from '../../../src/streams/heads.js';
import { poolEventStreams } from '../../../src/streams/poolEvents.js';
import { useDevnet } from '../../support/devnet.js';
import { collect, memoryLogger, waitFor } from '../support/collect.js';

const devnet = useDevnet();

describe('chain adapter on the project devnet (rangekeeper devnet)', () => {
  it('connects from the manifest, reads every pool through StateView, and backfills its creation events', async () => {
    const { manifest } = devnet();
    const { logger } = memoryLogger();
    const conn = await connectChain({ chainId: manifest.chainId, http: [manifest.rpcUrl], ws: [manifest.wsUrl] }, logger);
    try {
      const reader = new StateViewReader(manifest.contracts.stateView, conn.provider);
      for (const pool of manifest.pools) {
        expect(poolIdOf(pool.key)).toBe(pool.id.toLowerCase());
        const slot0 = await reader.getSlot0(pool.id);
        expect(slot0.lpFee).toBe(pool.key.fee);
        expect(await reader.getLiquidity(pool.id)).toBeGreaterThan(0n);
      }
      for (const t of Object.values(manifest.contracts.tokens)) {
        expect(await getTokenMetadata(conn.provider, t.address)).toMatchObject({ symbol: t.symbol, decimals: t.decimals });
      }
      const pool = manifest.pools[0]!;
      const { all$ } = poolEventStreams({
        provider: conn.provider, poolManager: manifest.contracts.poolManager, poolIds: [pool.id], heads: headsFor(conn, logger, 100),
        checkpoints: new CheckpointStore(new MemoryStore(), 'stream/devnet'), fromBlock: 0, confirmations: 0, chunkSize: 10, reorgWindow: 8, logger,
      });
      const c = collect(all$);
      try {
        await waitFor(() => [...c.live.values()].some((e) => e.type === 'Initialize'), 'the Initialize event');
        const init = [...c.live.values()].find((e): e is InitializeEvent => e.type === 'Initialize')!;
        expect({ currency0: init.currency0, currency1: init.currency1, fee: init.fee, tickSpacing: init.tickSpacing, hooks: init.hooks }).toEqual(pool.key);
        const head = await conn.provider.getBlockNumber();
        const expectedMods = await conn.provider.getLogs({ address: manifest.contracts.poolManager, topics: [POOL_MANAGER_TOPICS.ModifyLiquidity, pool.id], fromBlock: 0, toBlock: head });
        await waitFor(() => [...c.live.values()].filter((e) => e.type === 'ModifyLiquidity').length === expectedMods.length, 'the seeded liquidity events');
        const mods = [...c.live.values()].filter((e): e is ModifyLiquidityEvent => e.type === 'ModifyLiquidity');
        expect(mods.length).toBeGreaterThan(0);
        expect(mods.every((m) => m.tickLower < m.tickUpper && m.tickLower % pool.key.tickSpacing === 0)).toBe(true);
      } finally {
        c.sub.unsubscribe();
      }
    } finally {
      conn.destroy();
    }
  });
});
