/**
 * ccxt's REST requests through a gated dispatcher (http/gatedDispatcher.ts): every request that
 * changes something on the venue (any method but GET and HEAD: placing, cancelling, setting
 * leverage) passes the gate at the moment it is written to the socket, after ccxt has signed it,
 * throttled it and waited for a connection. Reads always go out.
 *
 * ccxt takes a user-supplied `fetchImplementation` (the documented hook; ccxt then calls it as
 * `fetchImplementation(url, { method, headers, body, signal, ... })` and reads `status`,
 * `statusText`, `headers` and `text()` of the answer). It is served here by undici's `request`
 * (a string body is written whole and synchronously after the gate) on the gated dispatcher.
 * A refusal rejects with the gate's own error (LeaseLostError), which ccxt passes through as it is.
 */
import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { gatedDispatcher, type GatedDispatcher, type WriteGate } from '../../http/gatedDispatcher.js';

/** The answer shape ccxt's handleRestResponse reads (plain-object headers are accepted). */
interface CcxtFetchResponse {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

interface CcxtFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

/** A ccxt fetchImplementation and the connections it owns. */
export interface GatedFetch {
  fetch: (url: string, init?: CcxtFetchInit) => Promise<CcxtFetchResponse>;
  close(): Promise<void>;
}

/** The venue-side effect of a request ("POST /v5/order/create"), or null for a read. */
function venueSideEffect(req: Dispatcher.DispatchOptions): string | null {
  const method = req.method.toUpperCase();
  return method === 'GET' || method === 'HEAD' ? null : `venue ${method} ${req.path.split('?')[0] ?? req.path}`;
}

/** A fetchImplementation for a ccxt exchange whose writes to the venue pass `gate` at the socket. */
export function gatedCcxtFetch(gate: WriteGate): GatedFetch {
  const gated: GatedDispatcher = gatedDispatcher(gate, venueSideEffect);
  return {
    fetch: async (url, init = {}) => {
      const res = await request(url, {
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: init.headers ?? {},
        body: init.body ?? null,
        signal: init.signal ?? null,
        dispatcher: gated.dispatcher,
      });
      return {
        status: res.statusCode,
        statusText: STATUS_CODES[res.statusCode] ?? '',
        headers: res.headers,
        text: () => res.body.text(),
        arrayBuffer: () => res.body.arrayBuffer(),
      };
    },
    close: () => gated.close(),
  };
}
