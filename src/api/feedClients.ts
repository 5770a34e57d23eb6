/**
 * The state feed's WebSocket clients, kept so that none can hold memory or delay shutdown:
 * - a client whose unsent data exceeds maxBufferedBytes (it does not read) is cut off at once
 *   (terminate, not a close handshake it would never answer);
 * - clients are pinged every pingIntervalMs, and one that did not answer the previous ping is cut off;
 * - closeAll() asks every client to close and cuts off those that have not within the grace time.
 * Admission caps (in all, per address) are checked before the handshake (admits).
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../logging/logger.js';
import type { ServerLimits } from './serverLimits.js';

export type FeedLimits = Pick<ServerLimits, 'maxFeedClients' | 'maxFeedClientsPerAddress' | 'maxBufferedBytes' | 'pingIntervalMs'>;

interface Client {
  readonly address: string;
  /** Answered the last ping. */
  alive: boolean;
}

export class FeedClients {
  private readonly clients = new Map<WebSocket, Client>();
  private readonly heartbeat: NodeJS.Timeout | null;
  /** Clients cut off since start: too slow to read, no answer to a ping. */
  readonly stats = { tooSlow: 0, unresponsive: 0 };

  constructor(private readonly limits: FeedLimits, private readonly log: Logger) {
    this.heartbeat = limits.pingIntervalMs > 0 ? setInterval(() => this.ping(), limits.pingIntervalMs) : null;
    this.heartbeat?.unref();
  }

  /** Clients now, in all or from one address. */
  count(address?: string): number {
    if (address === undefined) return this.clients.size;
    let n = 0;
    for (const c of this.clients.values()) if (c.address === address) n += 1;
    return n;
  }

  /** Why a new client from `address` is not admitted, or null when it is. */
  refusal(address: string): string | null {
    if (this.clients.size >= this.limits.maxFeedClients) return `the feed serves at most ${this.limits.maxFeedClients} clients`;
    if (this.count(address) >= this.limits.maxFeedClientsPerAddress) return `the feed serves at most ${this.limits.maxFeedClientsPerAddress} clients per address`;
    return null;
  }

  add(ws: WebSocket, address: string): void {
    this.clients.set(ws, { address, alive: true });
    ws.on('pong', () => {
      const c = this.clients.get(ws);
      if (c !== undefined) c.alive = true;
    });
    ws.once('close', () => this.clients.delete(ws));
  }

  /** Sends to one client, cutting it off instead when it has too much unsent already. */
  send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.stats.tooSlow += 1;
      this.log.warn({ address: this.clients.get(ws)?.address, buffered: ws.bufferedAmount }, 'state feed client too slow; disconnecting');
      this.cutOff(ws);
      return;
    }
    ws.send(text);
  }

  broadcast(text: string): void {
    for (const ws of this.clients.keys()) this.send(ws, text);
  }

  /** Asks every client to close (1001), and cuts off those that have not closed within graceMs. */
  async closeAll(graceMs: number): Promise<void> {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    const all = [...this.clients.keys()];
    const closed = all.map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === ws.CLOSED) resolve();
      else ws.once('close', () => resolve());
    }));
    for (const ws of all) {
      if (ws.readyState === ws.OPEN) ws.close(1001, 'server stopping');
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); });
    await Promise.race([Promise.all(closed), grace]);
    clearTimeout(timer);
    for (const ws of all) this.cutOff(ws);
    await Promise.all(closed);
  }

  private ping(): void {
    for (const [ws, c] of this.clients) {
      if (!c.alive) {
        this.stats.unresponsive += 1;
        this.log.warn({ address: c.address }, 'state feed client did not answer a ping; disconnecting');
        this.cutOff(ws);
        continue;
      }
      c.alive = false;
      if (ws.readyState === ws.OPEN) ws.ping();
    }
  }

  /** Drops the connection now, whatever is buffered. */
  private cutOff(ws: WebSocket): void {
    if (ws.readyState !== ws.CLOSED) ws.terminate();
  }
}
