import { Observable } from 'rxjs';
import WebSocket from 'ws';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';

export interface WsHeadsOptions {
  /** WebSocket RPC URLs; on a drop the next one is tried (round robin). */
  urls: readonly string[];
  logger: Logger;
  /** First reconnect delay; doubles per failed attempt up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

const Reply = z.object({ id: z.number(), result: z.string().optional(), error: z.object({ message: z.string() }).optional() });
const Notification = z.object({
  method: z.literal('eth_subscription'),
  params: z.object({ result: z.object({ number: z.string().regex(/^0x[0-9a-fA-F]+$/) }) }),
});

/**
 * Block numbers of new chain heads from an eth_subscribe("newHeads") WebSocket. On connect
 * (and every reconnect) it first emits the current block number, so a consumer that scans
 * from its own cursor catches up on whatever it missed while the socket was down. A dropped
 * socket is reconnected with exponential backoff, forever, without erroring the stream
 * (ethers v6's WebSocketProvider does not reconnect, hence this small client).
 */
export function wsHeads(opts: WsHeadsOptions): Observable<number> {
  if (opts.urls.length === 0) throw new RangeError('wsHeads: no WebSocket URL');
  const base = opts.reconnectDelayMs ?? 250;
  const max = opts.maxReconnectDelayMs ?? 10_000;
  return new Observable<number>((sub) => {
    let closed = false;
    let attempt = 0;
    let index = 0;
    let socket: WebSocket | undefined;
    let timer: NodeJS.Timeout | undefined;

    const connect = () => {
      const url = opts.urls[index % opts.urls.length]!;
      const ws = new WebSocket(url);
      socket = ws;
      ws.on('open', () => {
        opts.logger.info({ url }, 'heads: websocket connected');
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] }));
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'eth_blockNumber', params: [] }));
      });
      ws.on('message', (raw) => {
        let msg: unknown;
        try { msg = JSON.parse(raw.toString()); } catch { opts.logger.warn({ url }, 'heads: non-JSON message ignored'); return; }
        const n = Notification.safeParse(msg);
        if (n.success) { sub.next(Number(BigInt(n.data.params.result.number))); return; }
        const r = Reply.safeParse(msg);
        if (!r.success) return;
        if (r.data.error === undefined) attempt = 0; // the endpoint answers: back to the short delay
        if (r.data.error !== undefined) opts.logger.error({ url, id: r.data.id, err: r.data.error.message }, 'heads: RPC error');
        else if (r.data.id === 2 && r.data.result !== undefined) sub.next(Number(BigInt(r.data.result)));
      });
      ws.on('error', (e) => opts.logger.warn({ url, err: e.message }, 'heads: websocket error'));
      ws.on('close', () => {
        if (closed) return;
        index++;
        const delay = Math.min(max, base * 2 ** attempt++);
        opts.logger.warn({ url, reconnectInMs: delay }, 'heads: websocket closed; reconnecting');
        timer = setTimeout(connect, delay);
      });
    };

    connect();
    return () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      socket?.removeAllListeners();
      socket?.on('error', () => {});
      socket?.terminate();
    };
  });
}
