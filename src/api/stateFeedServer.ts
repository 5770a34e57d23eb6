/**
 * The WebSocket feed of actor state (fastify + @fastify/websocket): at ws://HOST:PORT/ws a
 * client first receives the current state of every actor, then each change, one JSON object per
 * message: {"actor","kind","at","state"}. GET /api/v1/state returns the same snapshot as a JSON
 * array and GET /health says the server is up. With `riskControl`, the halt/resume routes are
 * served too (see riskControlRoutes.ts), and `routes` adds the API's other route modules. The
 * operator's dashboard is the page at `/` (dashboard/dashboardRoutes.ts).
 *
 * Every route but /health and the dashboard's page needs an API token, the feed included
 * (access/apiAccess.ts: roles, per-token rate limits, the audit trail); every API route is declared
 * with its zod schemas and the OpenAPI document made from them is served at /docs/openapi.json (a
 * readable index at /docs).
 *
 * Nothing a client does can exhaust the process (see serverLimits.ts for the limits): every
 * connection is owned by a ConnectionGuard (caps per address and in all, upgrade deadline, every
 * path closes its socket), HTTP timeouts bound slow requests, WebSocket messages from clients
 * are capped (maxPayload), feed clients that do not read are cut off (FeedClients), and close()
 * ends within closeGraceMs plus a moment whatever the clients do.
 */
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import websocket from '@fastify/websocket';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Logger } from '../logging/logger.js';
import { toJsonSafe, type StateEvent, type StateFeed } from '../actors/core/stateFeed.js';
import { registerRiskControlRoutes, type RiskControlOptions } from './riskControlRoutes.js';
import { installApiAccess, type TokenVerifier } from './access/apiAccess.js';
import { auditSink, type AuditSink } from './access/auditTrail.js';
import { chooseFeedProtocol } from './access/requestToken.js';
import { ApiRoutes } from './openapi/apiRoutes.js';
import { registerDocsRoutes } from './openapi/docsRoutes.js';
import { stateEventSchema } from './routes/stateSchemas.js';
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
  /** Manual halt/resume over HTTP (the agent); absent: not served. */
  riskControl?: Omit<RiskControlOptions, 'log' | 'haltWaitMs'>;
  /** Who may call: the stored tokens, the legacy RANGEKEEPER_API_TOKEN, where audit records go. Absent: no token is valid. */
  access?: { tokens?: TokenVerifier | null; legacyToken?: string | undefined; audit?: AuditSink; now?: () => number };
  /** More route modules (the API's read and strategy routes, the dashboard), registered after the access layer. */
  routes?: ApiRouteModule[];
  /** Prometheus metrics served at GET /metrics; absent: not served. */
  metrics?: MetricsSource;
}

/** A module of routes: registers them on `app`, declaring each in `api` (for the OpenAPI document). */
export type ApiRouteModule = (app: FastifyInstance, api: ApiRoutes) => void | Promise<void>;

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
  const api = new ApiRoutes();
  await installApiAccess(app, {
    tokens: opts.access?.tokens ?? null,
    legacyToken: opts.access?.legacyToken,
    audit: opts.access?.audit ?? auditSink('agent', null, log),
    limits,
    log,
    ...(opts.access?.now === undefined ? {} : { now: opts.access.now }),
  });

  await app.register(websocket, {
    // a browser offers ['rangekeeper', 'bearer.<token>']: answer 'rangekeeper', never the token
    options: { maxPayload: limits.maxMessageBytes, handleProtocols: (offered) => chooseFeedProtocol(offered) },
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
  if (opts.riskControl !== undefined) registerRiskControlRoutes(app, api, { haltWaitMs: limits.haltWaitMs, ...opts.riskControl, log });

  api.route(app, {
    method: 'GET', url: '/health', access: 'public', tag: 'server', summary: 'The server is up (no token needed)',
    responses: { 200: { description: 'up', schema: z.object({ ok: z.literal(true) }) } },
  }, async () => ({ ok: true }));
  registerDashboardRoutes(app);
  const metrics = opts.metrics;
  if (metrics !== undefined) {
    api.describe({
      method: 'GET', url: '/metrics', access: 'viewer', tag: 'server', summary: 'Prometheus metrics (text exposition format)',
      responses: { 200: { description: 'the metrics', contentType: 'text/plain' } },
    });
    app.get('/metrics', { config: { access: 'viewer' } }, async (_req, reply) => {
      const m = await metrics.exposition();
      return reply.header('content-type', m.contentType).send(m.body);
    });
  }
  api.route(app, {
    method: 'GET', url: '/api/v1/state', access: 'viewer', tag: 'state', summary: 'The latest state of every actor (what the feed sends first)',
    responses: { 200: { description: 'every actor\'s latest state', schema: z.array(stateEventSchema) } },
  }, async () => toJsonSafe(opts.feed.snapshot()));
  api.describe({
    method: 'GET', url: '/ws', access: 'viewer', tag: 'state',
    summary: 'WebSocket feed: every actor\'s state on connect, then each change, one JSON object per message',
    description: 'A WebSocket upgrade. The token goes in the Authorization header, or, from a browser, as the subprotocol "bearer.<token>" offered after "rangekeeper" (the server answers "rangekeeper"). Each message is a state event.',
    responses: { 101: { description: 'switching protocols; then one state event per message', schema: stateEventSchema }, 401: { description: 'no valid token' }, 503: { description: 'too many feed clients' } },
  });
  for (const register of opts.routes ?? []) await register(app, api);
  registerDocsRoutes(app, api);
  app.get('/ws', {
    websocket: true,
    config: { access: 'viewer' },
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
