/**
 * Abusive clients for the state feed server's abuse test, on raw TCP sockets (loopback only):
 * malformed WebSocket upgrades, slow-loris requests, WebSocket clients that never read or that
 * send one huge message. Each says what the server did to it.
 */
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';

/** Open descriptors of this process (server and clients alike run in it). */
export function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Resident memory (MB) after a full collection. */
export async function settledRssMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await tick();
  }
  return process.memoryUsage().rss / 2 ** 20;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
}

/** The API token the raw clients present (every route but /health needs one, the feed included). */
export const ABUSE_TOKEN = 'abuse-test-token-51c0';
const UPGRADE_HEADERS = `Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ${ABUSE_TOKEN}\r\n`;

/**
 * A WebSocket upgrade request for `path` (e.g. a malformed percent-encoding); resolves with the
 * status line the server answered and whether the server then closed the connection within
 * `closeWithinMs` (the client never closes first).
 */
export async function upgradeRequest(port: number, path: string, closeWithinMs: number): Promise<{ status: string; closedByServer: boolean }> {
  const s = await connect(port);
  s.on('error', () => undefined);
  let answer = '';
  s.on('data', (d: Buffer) => { answer += d.toString('latin1'); });
  const closed = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), closeWithinMs);
    s.once('end', () => { clearTimeout(timer); resolve(true); });
    s.once('close', () => { clearTimeout(timer); resolve(true); });
  });
  s.write(`GET ${path} HTTP/1.1\r\n${UPGRADE_HEADERS}\r\n`);
  const closedByServer = await closed;
  s.destroy();
  return { status: answer.split('\r\n')[0] ?? '', closedByServer };
}

/** A slow-loris client: sends a request line and then one header line every `everyMs`, never finishing the headers. */
export interface SlowLoris {
  /** Resolves once the server closed the connection. */
  readonly closed: Promise<void>;
  closedByServer(): boolean;
  destroy(): void;
}

export async function slowLoris(port: number, everyMs: number): Promise<SlowLoris> {
  const s = await connect(port);
  s.on('error', () => undefined);
  s.on('data', () => undefined);
  let byServer = false;
  const timer = setInterval(() => {
    if (s.writable) s.write(`X-Slow-${Date.now()}: still coming\r\n`);
  }, everyMs);
  const closed = new Promise<void>((resolve) => {
    const done = (): void => {
      byServer = true;
      clearInterval(timer);
      resolve();
    };
    s.once('end', done);
    s.once('close', done);
  });
  s.write('GET /api/v1/state HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  return {
    closed,
    closedByServer: () => byServer,
    destroy: () => {
      clearInterval(timer);
      s.destroy();
    },
  };
}

/** A WebSocket handshake on a raw socket; resolves once the server answered 101 (the socket then carries frames). */
export async function rawWebSocket(port: number, path = '/ws'): Promise<net.Socket> {
  const s = await connect(port);
  s.write(`GET ${path} HTTP/1.1\r\n${UPGRADE_HEADERS}\r\n`);
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (d: Buffer): void => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
    };
    s.on('data', onData);
    s.once('error', reject);
  });
  return s;
}

/**
 * Sends one binary message announced as `bytes` long (masked with a zero key, so the payload is
 * plain zeros), streaming it in 64 KiB chunks from one buffer until it is all sent or the server
 * closes the connection; resolves with the payload bytes the socket took.
 */
export async function sendHugeMessage(port: number, bytes: number): Promise<{ sent: number; closedByServer: boolean }> {
  const s = await rawWebSocket(port);
  s.on('data', () => undefined); // read what the server sends (the feed), so only our sending matters
  s.on('error', () => undefined);
  let closed = false;
  s.once('close', () => { closed = true; });
  s.once('end', () => { closed = true; });
  const header = Buffer.alloc(14);
  header[0] = 0x82; // FIN, binary
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(bytes), 2);
  // mask key 0,0,0,0 (bytes 10..13 already zero)
  s.write(header);
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  while (sent < bytes && !closed) {
    const ok = s.write(chunk);
    sent += chunk.length;
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          s.off('drain', done);
          s.off('close', done);
          resolve();
        };
        s.once('drain', done);
        s.once('close', done);
      });
    }
  }
  // give the server a moment to answer a message it accepted in full
  await new Promise((r) => setTimeout(r, 50));
  const closedByServer = closed;
  s.destroy();
  return { sent, closedByServer };
}

/** A WebSocket client that completed the handshake and then never reads. */
export async function nonReadingClient(port: number): Promise<net.Socket> {
  const s = await rawWebSocket(port);
  s.on('error', () => undefined);
  s.pause();
  return s;
}
