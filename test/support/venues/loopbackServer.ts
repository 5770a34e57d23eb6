/**
 * A loopback HTTP server (127.0.0.1, port chosen by the OS) that stands in for a venue's REST API:
 * routes by "METHOD /path", a request log, and fault injection on chosen routes — 429 with
 * Retry-After, 5xx, a response held past the client's timeout, or the connection dropped after
 * the request was processed (the order was accepted but the client never hears so).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

  constructor(
    private readonly routes: Record<string, RouteHandler>,
    /** Checks key and signature; returns an error reply to send instead, or null. */
    private readonly authenticate: (route: string, req: VenueRequest) => VenueReply | null,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
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
