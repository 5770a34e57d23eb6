/**
 * A loopback HTTP server (127.0.0.1, port chosen by the OS) that stands in for a venue's REST API:
 * routes by "METHOD /path", a request log, and fault injection on chosen routes — 429 with
 * Retry-After, 5xx, a response held past the client's timeout, or the connection dropped after
 * the request was processed (the order was accepted but the client never hears so).
 *
 * The same port serves the venue's websocket upgrades (a `socketRoute` resolver picks the
 * handler by URL), with socket faults: every open socket dropped (`dropSockets`), new upgrades
 * held until released (`holdSockets`), or refused with 503 (`refuseSockets`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type Fault =
  | { kind: 'rate-limit'; retryAfterSec: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504 }
  /** Process the request, then answer only after `ms` (beyond the client timeout). */
  | { kind: 'delay'; ms: number }
  /** Process the request, then destroy the socket without answering. */
  | { kind: 'drop' }
  /** Hold the request `ms` (beyond the client timeout), then process and answer it: the venue accepts it after the client gave up. */
  | { kind: 'late'; ms: number };

export interface VenueRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Raw query string as sent (signatures are computed over it). */
  rawQuery: string;
  rawBody: string;
  headers: IncomingMessage['headers'];
  /** Body params: urlencoded or JSON, flattened to strings. */
  params: Record<string, string>;
}

export interface VenueReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: VenueRequest) => VenueReply;

/** Serves one accepted websocket; `url` is the upgrade request's URL. */
export type SocketHandler = (ws: WebSocket, url: URL) => void;

/** The handler of a websocket URL, or null to answer the upgrade with 404. */
export type SocketRoute = (url: URL) => SocketHandler | null;

export interface LoggedRequest {
  route: string;
  params: Record<string, string>;
  fault: Fault['kind'] | null;
}

export class LoopbackVenueServer {
  private readonly server: Server;
  readonly log: LoggedRequest[] = [];
  /** Faults queued per route; each request to that route takes the next one. */
  private readonly faults = new Map<string, Fault[]>();
  baseUrl = '';
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly openSockets = new Set<WebSocket>();
  private held: (() => void)[] = [];
  /** Upgrades are held (not answered) until `releaseSockets`. */
  holdSockets = false;
  /** Upgrades are answered 503. */
  refuseSockets = false;
  /** Websocket upgrades accepted so far. */
  socketsAccepted = 0;
  /** What the venue's socket handlers noted (e.g. "subscribe execution"), in order. */
  readonly socketLog: string[] = [];

  constructor(
    private readonly routes: Record<string, RouteHandler>,
    /** Checks key and signature; returns an error reply to send instead, or null. */
    private readonly authenticate: (route: string, req: VenueRequest) => VenueReply | null,
    private readonly socketRoute: SocketRoute = () => null,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
  }

  /** Websockets open now. */
  get socketCount(): number {
    return this.openSockets.size;
  }

  /** Records a socket event for tests to wait on. */
  noteSocket(event: string): void {
    this.socketLog.push(event);
  }

  /** Terminates every open websocket at once (a network drop: no close frame). */
  dropSockets(): void {
    for (const ws of this.openSockets) ws.terminate();
  }

  /** Accepts the upgrades held while `holdSockets` was on, and stops holding. */
  releaseSockets(): void {
    this.holdSockets = false;
    const held = this.held;
    this.held = [];
    for (const accept of held) accept();
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handler = this.socketRoute(url);
    if (handler === null || this.refuseSockets) {
      socket.end(`HTTP/1.1 ${handler === null ? '404 Not Found' : '503 Service Unavailable'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const accept = (): void => {
      if (socket.destroyed) return;
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.socketsAccepted += 1;
        this.openSockets.add(ws);
        ws.on('close', () => this.openSockets.delete(ws));
        handler(ws, url);
      });
    };
    if (this.holdSockets) this.held.push(accept);
    else accept();
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.held = [];
    this.dropSockets();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues faults for the next requests to `route` ("POST /fapi/v1/order"). */
  inject(route: string, ...faults: Fault[]): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  count(route: string): number {
    return this.log.filter((r) => r.route === route).length;
  }

  private handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const params: Record<string, string> = {};
    const ctype = req.headers['content-type'] ?? '';
    if (rawBody.length > 0) {
      if (ctype.includes('json')) {
        for (const [k, v] of Object.entries(JSON.parse(rawBody) as Record<string, unknown>)) params[k] = String(v);
      } else {
        for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
      }
    }
    for (const [k, v] of url.searchParams) params[k] ??= v;
    const vreq: VenueRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, rawQuery: url.search.slice(1), rawBody, headers: req.headers, params };
    const fault = this.faults.get(route)?.shift() ?? null;
    this.log.push({ route, params, fault: fault?.kind ?? null });
    const send = (reply: VenueReply): void => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body));
    };
    if (fault?.kind === 'rate-limit') {
      send({ status: 429, body: { code: -1003, msg: 'Too many requests' }, headers: { 'retry-after': String(fault.retryAfterSec) } });
      return;
    }
    if (fault?.kind === 'server-error') {
      send({ status: fault.status, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } });
      return;
    }
    const process = (): VenueReply => {
      const auth = this.authenticate(route, vreq);
      if (auth !== null) return auth;
      const handler = this.routes[route];
      return handler === undefined ? { status: 404, body: { code: -5000, msg: `no route ${route}` } } : handler(vreq);
    };
    if (fault?.kind === 'late') {
      setTimeout(() => send(process()), fault.ms).unref();
      return;
    }
    const reply = process();
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') {
      setTimeout(() => send(reply), fault.ms).unref();
      return;
    }
    send(reply);
  }
}
