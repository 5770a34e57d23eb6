/**
 * Owns every TCP connection the state feed server accepts, so that none can be held open by a
 * client to exhaust descriptors:
 *
 * - a cap on connections in all and per client address; at an address's cap a new connection
 *   replaces that address's oldest connection that is neither serving a request nor a feed
 *   client (an idle keep-alive, or one still trickling its headers), else it is refused — so a
 *   slow client cannot lock out the operator's halt from the same address;
 * - WebSocket upgrade requests, which Node hands over outside its HTTP timeouts: closed as soon
 *   as they are answered without an upgrade (endUpgrade), and in any case when the handshake is
 *   not done within upgradeTimeoutMs;
 * - destroyAll() for shutdown, including upgraded sockets Node no longer tracks as HTTP.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logging/logger.js';
import type { ServerLimits } from './serverLimits.js';

interface Connection {
  readonly address: string;
  /** Requests being served on it. */
  requests: number;
  /** An upgrade request not yet turned into a WebSocket. */
  upgradeTimer: NodeJS.Timeout | null;
  /** A WebSocket feed client. */
  feed: boolean;
}

export type GuardLimits = Pick<ServerLimits, 'maxConnections' | 'maxConnectionsPerAddress' | 'upgradeTimeoutMs'>;

/** The address a socket's limits are counted by (IPv4-mapped IPv6 as plain IPv4). */
export function clientAddress(socket: Socket): string {
  const a = socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export class ConnectionGuard {
  private readonly connections = new Map<Socket, Connection>();
  /** Per address, its sockets oldest first (a Set keeps insertion order). */
  private readonly byAddress = new Map<string, Set<Socket>>();
  /** Addresses warned about being at their cap (warned again only after they dropped below). */
  private readonly warnedAtCap = new Set<string>();
  private closing = false;
  /** Counters since start. */
  readonly stats = { accepted: 0, refused: 0, evicted: 0, upgradesTimedOut: 0 };

  constructor(private readonly limits: GuardLimits, private readonly log: Logger) {}

  /** Takes charge of `server`'s connections (before it listens). */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    // before the WebSocket plugin's listener: the timer is armed whatever routing does next
    server.prependListener('upgrade', (req: IncomingMessage, socket: Socket) => this.onUpgrade(socket));
  }

  /** Open connections, in all or from one address. */
  count(address?: string): number {
    return address === undefined ? this.connections.size : this.byAddress.get(address)?.size ?? 0;
  }

  /** The socket became a WebSocket feed client: no handshake deadline, never evicted. */
  markFeed(socket: Socket): void {
    const c = this.connections.get(socket);
    if (c === undefined) return;
    this.clearUpgrade(c);
    c.feed = true;
  }

  /** An upgrade request was answered without upgrading: close its socket once the answer is written. */
  endUpgrade(socket: Socket): void {
    const c = this.connections.get(socket);
    if (c === undefined || c.feed || socket.destroyed) return;
    socket.end(() => socket.destroy());
  }

  /** From now on, every new connection is refused (shutdown). */
  refuseNew(): void {
    this.closing = true;
  }

  /** Refuses new connections and destroys every open one. */
  destroyAll(): void {
    this.closing = true;
    for (const socket of [...this.connections.keys()]) socket.destroy();
  }

  private onConnection(socket: Socket): void {
    if (this.closing || this.connections.size >= this.limits.maxConnections) {
      this.refuse(socket, this.closing ? 'server closing' : 'server connection limit reached');
      return;
    }
    const address = clientAddress(socket);
    let mine = this.byAddress.get(address);
    if (mine !== undefined && mine.size >= this.limits.maxConnectionsPerAddress) {
      const idle = [...mine].find((s) => {
        const c = this.connections.get(s)!;
        return c.requests === 0 && !c.feed && c.upgradeTimer === null;
      });
      if (this.warnedAtCap.has(address) === false) {
        this.warnedAtCap.add(address);
        this.log.warn({ address, cap: this.limits.maxConnectionsPerAddress }, 'state feed server: an address reached its connection cap');
      }
      if (idle === undefined) {
        this.refuse(socket, 'address connection limit reached');
        return;
      }
      this.stats.evicted += 1;
      idle.destroy();
      this.forget(idle);
    }
    if (mine === undefined) {
      mine = new Set();
      this.byAddress.set(address, mine);
    }
    mine.add(socket);
    this.connections.set(socket, { address, requests: 0, upgradeTimer: null, feed: false });
    this.stats.accepted += 1;
    socket.once('close', () => this.forget(socket));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const c = this.connections.get(req.socket);
    if (c === undefined) return;
    c.requests += 1;
    res.once('close', () => {
      c.requests -= 1;
    });
  }

  private onUpgrade(socket: Socket): void {
    const c = this.connections.get(socket);
    if (c === undefined) {
      socket.destroy();
      return;
    }
    this.clearUpgrade(c);
    c.upgradeTimer = setTimeout(() => {
      this.stats.upgradesTimedOut += 1;
      socket.destroy();
    }, this.limits.upgradeTimeoutMs);
    c.upgradeTimer.unref();
  }

  private clearUpgrade(c: Connection): void {
    if (c.upgradeTimer !== null) clearTimeout(c.upgradeTimer);
    c.upgradeTimer = null;
  }

  private forget(socket: Socket): void {
    const c = this.connections.get(socket);
    if (c === undefined) return;
    this.clearUpgrade(c);
    this.connections.delete(socket);
    const mine = this.byAddress.get(c.address);
    mine?.delete(socket);
    if (mine !== undefined && mine.size < this.limits.maxConnectionsPerAddress) this.warnedAtCap.delete(c.address);
    if (mine?.size === 0) this.byAddress.delete(c.address);
  }

  private refuse(socket: Socket, why: string): void {
    this.stats.refused += 1;
    this.log.debug({ address: clientAddress(socket), why }, 'state feed server: connection refused');
    socket.destroy();
  }
}
