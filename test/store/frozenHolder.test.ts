/**
 * A holder frozen past its lease sends nothing on waking, even what it had checked before it
 * froze (issue 12's SIGSTOP gap). The lease is the real one in Redis, on a clock the test moves:
 * an order (or a transaction) passes the agent's gate, then the process "freezes" past its lease
 * before the bytes leave (the clock jumps); the write gate at the socket refuses it, and the
 * loopback venue (or JSON-RPC node) never sees it. Reads still go out. Without the write gate the
 * same order reaches the venue: that was the gap.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Network, Transaction, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverJsonRpcProvider } from '../../src/adapters/chain/failoverProvider.js';
import { gatedGetUrl } from '../../src/adapters/chain/gatedGetUrl.js';
import { createCcxtVenue } from '../../src/adapters/exchange/ccxt/index.js';
import type { OrderRequest } from '../../src/adapters/exchange/venue.js';
import { LeaseLostError } from '../../src/adapters/store/lease.js';
import type { RedisLease } from '../../src/adapters/store/redisLease.js';
import { RedisStore } from '../../src/adapters/store/redisStore.js';
import { gateVenue, KillSwitch } from '../../src/actors/core/killSwitch.js';
import { createLogger } from '../../src/logging/logger.js';
import { requireRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis.js';
import { LogCapture } from '../support/venues/logCapture.js';
import { startStandIn, venueOptions, type VenueName } from '../support/venues/venueHarness.js';

const TTL_MS = 2_000;
let store: RedisStore;

beforeAll(async () => {
  await requireRedis();
  store = await RedisStore.connect({ url: TEST_REDIS_URL, namespace: uniqueNamespace('frozen-holder') });
});

afterAll(async () => {
  await store.close();
});

/** A lease on a clock the test can move forward (a freeze: the monotonic clock runs on while the process is stopped). */
async function leaseWithClock(name: string): Promise<{ lease: RedisLease; freeze(ms: number): void }> {
  let frozenMs = 0;
  const lease = store.lease(name, { holder: 'frozen-test', ttlMs: TTL_MS, now: () => performance.now() + frozenMs });
  expect((await lease.tryAcquire()).acquired).toBe(true);
  return { lease, freeze: (ms) => { frozenMs += ms; } };
}

const order = (clientOrderId: string): OrderRequest => ({ clientOrderId, symbol: 'ETH/USDT:USDT', side: 'sell', amount: 0.01, type: 'market' });

describe.each<VenueName>(['bybit', 'binanceusdm'])('an order checked before a freeze past the lease (%s)', (name) => {
  it('is refused at the socket write after the wake and never reaches the venue; reads still go out', async () => {
    const server = await startStandIn(name);
    const createRoute = name === 'binanceusdm' ? 'POST /fapi/v1/order' : 'POST /v5/order/create';
    const sent = (id: string): boolean => server.log.some((r) => r.route === createRoute && Object.values(r.params).includes(id));
    const { lease, freeze } = await leaseWithClock(`agent/venue-${name}`);
    const venue = createCcxtVenue({ ...venueOptions(name, server.baseUrl, new LogCapture()), writeGate: (what) => lease.assertHeld(what) });
    const ks = new KillSwitch();
    ks.fenceWith(lease);
    const gated = gateVenue(venue, ks);
    try {
      await venue.loadMarkets();
      // a fresh lease: the order goes out
      await gated.createOrder(order('rk-fresh-1'));
      expect(sent('rk-fresh-1')).toBe(true);
      // the gate passes (synchronously, at the call), then the process is frozen past its lease
      // before ccxt has fetched the mark price, signed and written the order
      const pending = gated.createOrder(order('rk-frozen-1'));
      freeze(TTL_MS * 2);
      await expect(pending).rejects.toBeInstanceOf(LeaseLostError);
      await expect(pending).rejects.toThrow(/lease agent\/venue-.*: venue POST .* refused \(the lease may have expired/);
      expect(sent('rk-frozen-1')).toBe(false);
      // reads are not side effects: they still go out (the agent can look, not act)
      expect((await venue.fetchBalance()).currency).toBe('USDT');
    } finally {
      await venue.close();
      await server.stop();
    }
  });

  it('without the write gate the same freeze sends the order after the wake (the gap the gate closes)', async () => {
    const server = await startStandIn(name);
    const createRoute = name === 'binanceusdm' ? 'POST /fapi/v1/order' : 'POST /v5/order/create';
    const { lease, freeze } = await leaseWithClock(`agent/ungated-${name}`);
    const venue = createCcxtVenue(venueOptions(name, server.baseUrl, new LogCapture()));
    const ks = new KillSwitch();
    ks.fenceWith(lease);
    try {
      await venue.loadMarkets();
      const pending = gateVenue(venue, ks).createOrder(order('rk-frozen-2'));
      freeze(TTL_MS * 2);
      await pending;
      expect(server.log.some((r) => r.route === createRoute && Object.values(r.params).includes('rk-frozen-2'))).toBe(true);
    } finally {
      await venue.close();
      await server.stop();
    }
  });
});

/** A JSON-RPC node stand-in on loopback: answers chain id, block number and broadcasts; records every method it receives. */
async function startRpcStandIn(): Promise<{ url: string; methods: string[]; server: Server }> {
  const methods: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; method: string; params: unknown[] } | { id: number; method: string; params: unknown[] }[];
      const answer = (p: { id: number; method: string; params: unknown[] }): unknown => {
        methods.push(p.method);
        const result = p.method === 'eth_chainId' ? '0x7a69' : p.method === 'eth_blockNumber' ? '0x10' : p.method === 'eth_sendRawTransaction' ? Transaction.from(p.params[0] as string).hash : null;
        return { jsonrpc: '2.0', id: p.id, result };
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, methods, server };
}

describe('a transaction checked before a freeze past the lease', () => {
  it('is refused at the socket write after the wake and never reaches the node; reads still go out', async () => {
    const node = await startRpcStandIn();
    const { lease, freeze } = await leaseWithClock('agent/chain');
    const gated = gatedGetUrl((what) => lease.assertHeld(what));
    const provider = new FailoverJsonRpcProvider([node.url], Network.from(31337), createLogger({ level: 'silent' }), 2_000, gated.getUrl);
    const wallet = Wallet.createRandom();
    const sign = (nonce: number): Promise<string> => wallet.signTransaction({ type: 2, chainId: 31337n, nonce, to: wallet.address, value: 0n, gasLimit: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n });
    const broadcasts = (): number => node.methods.filter((m) => m === 'eth_sendRawTransaction').length;
    try {
      await provider.broadcastTransaction(await sign(0));
      expect(broadcasts()).toBe(1);
      const raw = await sign(1);
      lease.assertHeld('tx transfer'); // the sender's own check passes (TxSender.mayBroadcast)...
      const pending = provider.broadcastTransaction(raw);
      freeze(TTL_MS * 2); // ...then the process is frozen past its lease before ethers writes the request
      await expect(pending).rejects.toBeInstanceOf(LeaseLostError);
      expect(broadcasts()).toBe(1);
      expect(await provider.getBlockNumber()).toBe(16);
    } finally {
      provider.destroy();
      await gated.close();
      await new Promise((r) => node.server.close(r));
    }
  });
});
