/**
 * The WebSocket feed of actor state (fastify + @fastify/websocket): at ws://HOST:PORT/ws a
 * client first receives the current state of every actor, then each change, one JSON object per
 * message: {"actor","kind","at","state"}. GET /api/v1/state returns the same snapshot as a JSON
 * array and GET /health says the server is up. With `riskControl`, the halt/resume routes are
 * served too (bearer token; see riskControlRoutes.ts). The operator's dashboard is the page at `/`
 * (dashboard/dashboardRoutes.ts).
 *
 * Nothing a client does can exhaust the process (see serverLimits.ts for the limits): every
 * connection is owned by a ConnectionGuard (caps per address and in all, upgrade deadline, every
 * path closes its socket), HTTP timeouts bound slow requests, WebSocket messages from clients
 * are capped (maxPayload), feed clients that do not read are cut off (FeedClients), and close()
 * ends within closeGraceMs plus a moment whatever the clients do.
 */
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Logger } from '../logging/logger.js';
import { toJsonSafe, type StateEvent, type StateFeed } from '../actors/core/stateFeed.js';
import { registerRiskControlRoutes, type RiskControlOptions } from './riskControlRoutes.js';
import { clientAddress, ConnectionGuard } from './connectionGuard.js';
import { FeedClients } from './feedClients.js';
import { serverLimits, type ServerLimits } from './serverLimits.js';
import { registerDashboardRoutes } from './dashboard/dashboardRoutes.js';

export interface StateFeedServerOptions {
  feed: StateFeed;
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
  log: Logger;
  /** Timeouts, caps and sizes; unset ones take their defaults (serverLimits.ts). */
  limits?: Partial<ServerLimits>;
  /** Manual halt/resume over HTTP (the agent and the operator's token); absent: not served. */
  riskControl?: Omit<RiskControlOptions, 'log'>;
  /** Prometheus metrics served at GET /metrics; absent: not served. */
  metrics?: MetricsSource;
}

/** What GET /metrics answers with (AgentMetrics implements it). */
export interface MetricsSource {
  exposition(): Promise<{ contentType: string; body: string }>;
}

export interface StateFeedServer {
  /** ws://host:port/ws */
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly port: number;
  /** Connected feed clients right now. */
  clients(): number;
  /** Open TCP connections right now (feed clients included). */
  connections(): number;
  /** Stops accepting, closes every connection; resolves within closeGraceMs and a moment. Idempotent. */
  close(): Promise<void>;
}

/** One feed message; toJsonSafe guards against a bigint or non-finite number slipping into a state. */
function encode(e: StateEvent): string {
  return JSON.stringify(toJsonSafe(e));
}

/** Starts the feed server; resolves once it listens. */
export async function startStateFeedServer(opts: StateFeedServerOptions): Promise<StateFeedServer> {
  const limits = serverLimits(opts.limits);
  const log = opts.log;
  const connections = new ConnectionGuard(limits, log);

  /** A malformed URL (and the like) answered before routing: close an upgrade request's socket after the answer. */
  const frameworkError = (err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply): void => {
    if (req.raw.headers.upgrade !== undefined) {
      const socket = req.raw.socket;
      reply.raw.once('finish', () => connections.endUpgrade(socket));
    }
    void reply.code(err.statusCode ?? 400).header('connection', 'close').send({ error: 'Bad Request', code: err.code, message: err.message });
  };

  const app: FastifyInstance = fastify({
    logger: false,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    bodyLimit: limits.bodyLimitBytes,
    forceCloseConnections: true,
    // Node checks the headers and request timeouts on this period (30 s by default): check often enough to honour them
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(limits.headersTimeoutMs / 4))) },
    frameworkErrors: frameworkError,
  });
  connections.attach(app.server);
  const feedClients = new FeedClients(limits, log);

  await app.register(websocket, {
    options: { maxPayload: limits.maxMessageBytes },
    errorHandler: (err, socket) => {
      log.warn({ err }, 'state feed socket error; disconnecting');
      socket.terminate();
    },
  });
  // Whatever answered an upgrade request without upgrading (404, 503, a refused hook), its socket goes.
  app.addHook('onResponse', (req, _reply, done) => {
    if (req.raw.headers.upgrade !== undefined) connections.endUpgrade(req.raw.socket);
    done();
  });
  if (opts.riskControl !== undefined) {
    await registerRiskControlRoutes(app, {
      rateLimit: { max: limits.failedAuthMax, timeWindowMs: limits.failedAuthWindowMs },
      haltWaitMs: limits.haltWaitMs,
      ...opts.riskControl,
      log,
    });
  }

  app.get('/health', async () => ({ ok: true }));
  registerDashboardRoutes(app);
  const metrics = opts.metrics;
  if (metrics !== undefined) {
    app.get('/metrics', async (_req, reply) => {
      const m = await metrics.exposition();
      return reply.header('content-type', m.contentType).send(m.body);
    });
  }
  app.get('/api/v1/state', async () => toJsonSafe(opts.feed.snapshot()));
  app.get('/ws', {
    websocket: true,
    // refused before the handshake: 503 and the socket closed (onResponse above)
    onRequest: (req, reply, done) => {
      const refusal = feedClients.refusal(clientAddress(req.raw.socket));
      if (refusal === null) return done();
      void reply.code(503).send({ error: 'too-many-feed-clients', message: refusal });
    },
  }, (socket: WebSocket, req) => {
    const raw: Socket = req.raw.socket;
    connections.markFeed(raw);
    feedClients.add(socket, clientAddress(raw));
    socket.on('error', (err) => log.warn({ err }, 'state feed socket error'));
    // the current state first, then (from the same tick on) every change
    for (const e of opts.feed.snapshot()) feedClients.send(socket, encode(e));
  });

  await app.listen({ host: opts.host, port: opts.port });
  // A change is published from inside the actor that made it: encode it once for every client.
  const broadcast = opts.feed.changes$.subscribe((e) => {
    if (feedClients.count() > 0) feedClients.broadcast(encode(e));
  });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  log.info({ ws: `ws://${hostForUrl}:${port}/ws`, limits }, 'state feed listening');

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    connections.refuseNew();
    broadcast.unsubscribe();
    await feedClients.closeAll(limits.closeGraceMs);
    const stopped = app.close();
    connections.destroyAll();
    await stopped;
    log.info({ connections: connections.stats, feed: feedClients.stats }, 'state feed server closed');
  };
  return {
    wsUrl: `ws://${hostForUrl}:${port}/ws`,
    httpUrl: `http://${hostForUrl}:${port}`,
    port,
    clients: () => feedClients.count(),
    connections: () => connections.count(),
    close: () => (closing ??= close()),
  };
}
