import { createServer, type Server } from 'node:http';
import { JsonRpcProvider, Network } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POOL_MANAGER_TOPICS } from '../../../src/adapters/chain/abi/poolManagerEvents.js';
import { backfillLogs } from '../../../src/streams/backfillLogs.js';
import { startAnvil, type TestAnvil } from '../support/anvil.js';
import { memoryLogger } from '../support/collect.js';
import { deployV4Pool, type V4Pool } from '../support/v4Pool.js';

let anvil: TestAnvil;
let pool: V4Pool;
let limiter: Server;
let limiterUrl: string;
const MAX_RANGE = 3;

beforeAll(async () => {
  anvil = await startAnvil();
  pool = await deployV4Pool(anvil.rpcUrl);
  for (let i = 0; i < 12; i++) await pool.swap(i % 2 === 0);
  // A loopback RPC in front of anvil that refuses eth_getLogs over more than MAX_RANGE blocks,
  // the way hosted providers cap log queries.
  limiter = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      void (async () => {
        const msg = JSON.parse(body) as { id: number; method: string; params: { fromBlock?: string; toBlock?: string }[] };
        const p = msg.params[0];
        if (msg.method === 'eth_getLogs' && p?.fromBlock !== undefined && p.toBlock !== undefined && Number(p.toBlock) - Number(p.fromBlock) + 1 > MAX_RANGE) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32005, message: 'query returned more than 10000 results' } }));
          return;
        }
        const upstream = await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        res.setHeader('content-type', 'application/json');
        res.end(await upstream.text());
      })();
    });
  });
  await new Promise<void>((r) => limiter.listen(0, '127.0.0.1', () => r()));
  limiterUrl = `http://127.0.0.1:${(limiter.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => limiter?.close(() => r()));
  pool?.destroy();
  await anvil?.stop();
});

describe('backfillLogs', () => {
  it('splits a chunk the provider refuses as too large and still returns every log once, in order', async () => {
    const { logger, lines } = memoryLogger();
    const network = Network.from(31337);
    const capped = new JsonRpcProvider(limiterUrl, network, { staticNetwork: network, batchMaxCount: 1 });
    try {
      const head = await pool.provider.getBlockNumber();
      const topics = [[POOL_MANAGER_TOPICS.Swap], [pool.poolId]];
      const seen: string[] = [];
      const ends: number[] = [];
      const count = await backfillLogs(capped, { address: pool.poolManager, topics, from: 0, to: head, chunkSize: 10 }, (logs, to) => {
        for (const l of logs) seen.push(`${l.blockNumber}:${l.index}`);
        ends.push(to);
      }, logger);
      const direct = await pool.provider.getLogs({ address: pool.poolManager, topics, fromBlock: 0, toBlock: head });
      expect(count).toBe(12);
      expect(seen).toEqual(direct.map((l) => `${l.blockNumber}:${l.index}`));
      expect(ends).toEqual([...ends].sort((a, b) => a - b));
      expect(ends.at(-1)).toBe(head);
      expect(lines.some((l) => l.includes('chunk too large, splitting'))).toBe(true);
    } finally {
      capped.destroy();
    }
  });
});
