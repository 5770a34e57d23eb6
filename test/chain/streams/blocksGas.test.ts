import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocks$ } from '../../../src/streams/blocks.js';
import { gas$ } from '../../../src/streams/gas.js';
import { wsHeads } from '../../../src/streams/wsHeads.js';
import type { TestAnvil } from '../support/anvil.js';
import { memoryLogger, waitFor } from '../support/collect.js';
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

describe('blocks$ and gas$', () => {
  it('emit every block in order, parent-linked, with EIP-1559 fee data per block', async () => {
    const { logger, lines } = memoryLogger();
    const heads = wsHeads({ urls: [anvil.wsUrl], logger });
    const blocks = blocks$(pool.provider, heads, logger);
    const start = await pool.provider.getBlockNumber();
    const got = firstValueFrom(blocks.pipe(take(6), toArray()));
    const quotes = firstValueFrom(gas$(pool.provider, blocks$(pool.provider, wsHeads({ urls: [anvil.wsUrl], logger }), logger), logger).pipe(take(3), toArray()));
    // Mine in bursts, so some heads arrive after several blocks: blocks$ must fill the gaps.
    await waitFor(() => lines.filter((l) => l.includes('websocket connected')).length === 2, 'both sockets');
    await pool.provider.send('anvil_mine', [3]);
    await pool.swap(true);
    await pool.provider.send('anvil_mine', [2]);
    const bs = await got;
    expect(bs[0]!.number).toBeGreaterThanOrEqual(start);
    for (let i = 1; i < bs.length; i++) {
      expect(bs[i]!.number).toBe(bs[i - 1]!.number + 1);
      expect(bs[i]!.parentHash).toBe(bs[i - 1]!.hash);
    }
    for (const b of bs) expect(b.hash).toBe((await pool.provider.getBlock(b.number))!.hash);
    const qs = await quotes;
    for (const q of qs) {
      const b = (await pool.provider.getBlock(q.blockNumber))!;
      expect(q.baseFeePerGas).toBe(b.baseFeePerGas);
      expect(q.maxPriorityFeePerGas > 0n).toBe(true);
      expect(q.maxFeePerGas).toBe(2n * q.baseFeePerGas + q.maxPriorityFeePerGas);
    }
  });
});
