/**
 * The WebSocket feed of actor state (fastify + @fastify/websocket): at ws://HOST:PORT/ws a
 * client first receives the current state of every actor, then each change, one JSON object per
 * message: {"actor","kind","at","state"}. GET /api/v1/state returns the same snapshot as a JSON
 * array and GET /health says the server is up. With `riskControl`, POST /api/v1/risk/halt and
 * /api/v1/risk/resume are served too (bearer token; see riskControlRoutes.ts).
 */
import fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Logger } from '../logging/logger.js';
import { toJsonSafe, type StateEvent, type StateFeed } from '../actors/core/stateFeed.js';
import { registerRiskControlRoutes, type RiskControlOptions } from './riskControlRoutes.js';

export interface StateFeedServerOptions {
  feed: StateFeed;
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
  log: Logger;
  /** A client whose unsent data exceeds this many bytes is disconnected (it cannot keep up). */
  maxBufferedBytes?: number;
  /** Manual halt/resume over HTTP (the agent and the operator's token); absent: not served. */
  riskControl?: Omit<RiskControlOptions, 'log'>;
}

export interface StateFeedServer {
  /** ws://host:port/ws */
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly port: number;
  /** Connected clients right now. */
  clients(): number;
  close(): Promise<void>;
}

/** One feed message; toJsonSafe guards against a bigint or non-finite number slipping into a state. */
function encode(e: StateEvent): string {
  return JSON.stringify(toJsonSafe(e));
}

/** Starts the feed server; resolves once it listens. */
export async function startStateFeedServer(opts: StateFeedServerOptions): Promise<StateFeedServer> {
  const maxBuffered = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
  const app: FastifyInstance = fastify({ logger: false });
  const sockets = new Set<WebSocket>();
  await app.register(websocket);
  if (opts.riskControl !== undefined) await registerRiskControlRoutes(app, { ...opts.riskControl, log: opts.log });

  app.get('/health', async () => ({ ok: true }));
  app.get('/api/v1/state', async () => toJsonSafe(opts.feed.snapshot()));
  const send = (socket: WebSocket, text: string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > maxBuffered) {
      opts.log.warn({ buffered: socket.bufferedAmount }, 'state feed client too slow; disconnecting');
      socket.close(1013, 'too slow');
      return;
    }
    socket.send(text);
  };
  app.get('/ws', { websocket: true }, (socket) => {
    // the current state first, then (from the same tick on) every change
    for (const e of opts.feed.snapshot()) send(socket, encode(e));
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err) => opts.log.warn({ err }, 'state feed socket error'));
  });

  await app.listen({ host: opts.host, port: opts.port });
  // A change is published from inside the actor that made it: encode it once for every client.
  const broadcast = opts.feed.changes$.subscribe((e) => {
    if (sockets.size === 0) return;
    const text = encode(e);
    for (const socket of sockets) send(socket, text);
  });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  opts.log.info({ ws: `ws://${hostForUrl}:${port}/ws` }, 'state feed listening');
  return {
    wsUrl: `ws://${hostForUrl}:${port}/ws`,
    httpUrl: `http://${hostForUrl}:${port}`,
    port,
    clients: () => sockets.size,
    close: async () => {
      broadcast.unsubscribe();
      for (const s of sockets) s.close(1001, 'server stopping');
      await app.close();
    },
  };
}
