/**
 * The JSON-RPC transport of a chain connection through a gated dispatcher
 * (http/gatedDispatcher.ts): a request that broadcasts a transaction (eth_sendRawTransaction,
 * eth_sendTransaction, alone or in a batch) passes the gate at the moment it is written to the
 * socket, after ethers' batch timer, its network check and every other await between the
 * sender's own check and the bytes. Reads always go out.
 *
 * ethers lets a FetchRequest fetch through a `getUrlFunc` of our own; this one is undici's
 * `request` on the gated dispatcher (the body, a Buffer, is written whole and synchronously after
 * the gate). A refusal rejects with the gate's own error (LeaseLostError).
 */
import { STATUS_CODES } from 'node:http';
import type { FetchGetUrlFunc } from 'ethers';
import { request, type Dispatcher } from 'undici';
import { gatedDispatcher, type WriteGate } from '../http/gatedDispatcher.js';

const BROADCAST = /"method"\s*:\s*"(eth_sendRawTransaction|eth_sendTransaction)"/;

/** The broadcast a JSON-RPC request carries ("tx eth_sendRawTransaction"), or null for a read. */
function broadcastIn(req: Dispatcher.DispatchOptions): string | null {
  const body = req.body;
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : '';
  const m = BROADCAST.exec(text);
  return m === null ? null : `tx ${m[1]}`;
}

/** An ethers getUrl function and the connections it owns. */
export interface GatedGetUrl {
  getUrl: FetchGetUrlFunc;
  close(): Promise<void>;
}

/** An ethers getUrlFunc whose transaction broadcasts pass `gate` at the socket write. */
export function gatedGetUrl(gate: WriteGate): GatedGetUrl {
  const gated = gatedDispatcher(gate, broadcastIn);
  const getUrl: FetchGetUrlFunc = async (req, signal) => {
    signal?.checkSignal();
    const abort = new AbortController();
    signal?.addListener(() => abort.abort());
    const res = await request(req.url, {
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body === null ? null : Buffer.from(req.body),
      signal: abort.signal,
      headersTimeout: req.timeout,
      bodyTimeout: req.timeout,
      dispatcher: gated.dispatcher,
    });
    const body = new Uint8Array(await res.body.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { statusCode: res.statusCode, statusMessage: STATUS_CODES[res.statusCode] ?? '', headers, body: body.length === 0 ? null : body };
  };
  return { getUrl, close: () => gated.close() };
}
