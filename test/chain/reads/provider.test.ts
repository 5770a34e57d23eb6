import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ChainIdMismatchError, RpcUnreachableError } from '../../../src/adapters/chain/errors.js';
import { connectChain } from '../../../src/adapters/chain/provider.js';
import { createLogger } from '../../../src/logging/logger.js';
import { startAnvil, type TestAnvil } from '../support/anvil.js';

let anvil: TestAnvil;
const lines: string[] = [];
const logger = createLogger({ level: 'debug', destination: new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString()); cb(); } }) });

/** A loopback port nothing listens on (bound by the OS, then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => { anvil = await startAnvil({ chainId: 31337 }); });
afterAll(async () => { await anvil?.stop(); });

describe('connectChain', () => {
  it('connects and reads through the checked provider', async () => {
    const c = await connectChain({ chainId: 31337, http: [anvil.rpcUrl], ws: [anvil.wsUrl] }, logger);
    try {
      expect(c.wsUrls).toEqual([anvil.wsUrl]);
      expect(await c.provider.getBlockNumber()).toBeGreaterThanOrEqual(0);
    } finally { c.destroy(); }
  });

  it('refuses an endpoint on another chain with ChainIdMismatchError carrying both ids', async () => {
    const err = await connectChain({ chainId: 1, http: [anvil.rpcUrl] }, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainIdMismatchError);
    expect(err).toMatchObject({ url: anvil.rpcUrl, expected: 1, actual: 31337 });
    // A WebSocket endpoint on another chain is refused too, even when HTTP is right.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (s) => s.on('message', () => s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, result: '0x1' }))));
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const wsUrl = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
    try {
      await expect(connectChain({ chainId: 31337, http: [anvil.rpcUrl], ws: [wsUrl] }, logger)).rejects.toMatchObject({ name: 'ChainIdMismatchError', url: wsUrl, actual: 1 });
    } finally {
      await new Promise<void>((r) => wss.close(() => r()));
    }
  });

  it('fails once with RpcUnreachableError when no HTTP endpoint answers (no retry loop)', async () => {
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}`;
    const before = lines.length;
    const err = await connectChain({ chainId: 31337, http: [url], probeTimeoutMs: 2000 }, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcUnreachableError);
    expect((err as RpcUnreachableError).urls).toEqual([url]);
    expect((err as Error).message).toContain(url);
    // exactly one warning for the one endpoint: it was probed once, not retried
    expect(lines.slice(before).filter((l) => l.includes('unreachable at start'))).toHaveLength(1);
  });

  it('fails over past a dead endpoint and skips a dead WebSocket', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const deadWs = `ws://127.0.0.1:${await deadPort()}`;
    const c = await connectChain({ chainId: 31337, http: [dead, anvil.rpcUrl], ws: [deadWs] }, logger);
    try {
      expect(c.httpUrls).toEqual([anvil.rpcUrl]);
      expect(c.wsUrls).toEqual([]);
      expect(await c.provider.getBlockNumber()).toBeGreaterThanOrEqual(0);
    } finally { c.destroy(); }
  });

  it('rejects a config that is not one (zod): bad scheme', async () => {
    await expect(connectChain({ chainId: 31337, http: ['ftp://x'] }, logger)).rejects.toThrow(/scheme/);
  });
});
