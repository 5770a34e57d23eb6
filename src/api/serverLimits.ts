/**
 * The state feed server's limits (config `api.limits`): how long a client may take, how many
 * connections one address may hold, how large a WebSocket message may be, how much unsent feed
 * data a client may pile up, and how long a halt may be waited for. The defaults are safe for a
 * server reachable by untrusted clients; every limit is finite.
 */
import { z } from 'zod';

const ms = z.number().int().positive();
const count = z.number().int().positive();

export const serverLimitsSchema = z.object({
  /** A request's headers must all arrive within this (slow-loris). */
  headersTimeoutMs: ms.default(10_000),
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: ms.default(30_000),
  /** A connection with no traffic either way for this long is closed (a halt being waited for extends it). */
  connectionTimeoutMs: ms.default(60_000),
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: ms.default(5_000),
  /** Requests served on one keep-alive connection before it is closed. */
  maxRequestsPerSocket: count.default(100),
  /** Largest request body (bytes); the API's bodies are a few hundred bytes. */
  bodyLimitBytes: count.default(16 * 1024),
  /** Open connections in all (beyond: refused). */
  maxConnections: count.default(256),
  /**
   * Open connections from one address. At the cap, a new connection replaces that address's oldest
   * connection that is not serving a request and not a feed client (an idle keep-alive or a
   * connection still sending its headers); when there is none, the new one is refused.
   */
  maxConnectionsPerAddress: count.default(32),
  /** A WebSocket upgrade request whose handshake is not done within this is closed. */
  upgradeTimeoutMs: ms.default(5_000),
  /** Feed (WebSocket) clients in all / from one address (beyond: 503 before the handshake). */
  maxFeedClients: count.default(64),
  maxFeedClientsPerAddress: count.default(8),
  /** Largest WebSocket message a client may send (bytes); the feed expects none. Larger: closed (1009). */
  maxMessageBytes: count.default(4 * 1024),
  /** A feed client whose unsent data exceeds this (it does not read) is disconnected. */
  maxBufferedBytes: count.default(1024 * 1024),
  /** Feed clients are pinged this often; one that has not answered the previous ping is disconnected. 0: no pings. */
  pingIntervalMs: z.number().int().min(0).default(30_000),
  /** close() waits this long for feed clients to acknowledge the close, then cuts them off. */
  closeGraceMs: z.number().int().min(0).default(1_000),
  /** Requests with a missing or wrong token allowed per address per window (a request with a valid token is never counted here). */
  failedAuthMax: count.default(10),
  failedAuthWindowMs: ms.default(60_000),
  /** Requests one API token may make per window, on every route together (beyond: 429). */
  tokenRequestsMax: count.default(1_200),
  tokenWindowMs: ms.default(60_000),
  /** Requests to the public routes (/health) per address per tokenWindowMs. */
  publicRequestsMax: count.default(600),
  /** How long `POST /api/v1/risk/halt` with `wait: true` waits for in-flight work, unless the body says (waitMs). */
  haltWaitMs: ms.max(120_000).default(30_000),
}).strict().refine((l) => l.headersTimeoutMs <= l.requestTimeoutMs, { path: ['headersTimeoutMs'], message: 'must not exceed requestTimeoutMs' });

export type ServerLimits = z.infer<typeof serverLimitsSchema>;

/** The limits with every unset one at its default. */
export function serverLimits(over: Partial<ServerLimits> = {}): ServerLimits {
  return serverLimitsSchema.parse(over);
}
