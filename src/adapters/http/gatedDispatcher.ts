/**
 * An HTTP client (an undici Agent) whose side-effect requests pass a check at the very moment
 * their bytes are written. undici calls a request's `onRequestStart` on the socket it was given
 * and then writes the request line, headers and (string or Buffer) body, all in one synchronous
 * run with no await in between (client-h1's writeH1); the gate runs in that call, and a throw
 * aborts the request before a byte of it leaves the process.
 *
 * Why there: a check made earlier (before signing, before a connection is free, before ccxt's
 * throttle or ethers' batch timer) can be separated from the write by any number of awaits, and a
 * process frozen in between (SIGSTOP, a long GC pause, a stalled VM) would, on waking, send what
 * it checked before it froze. With the lease's own deadline on a monotonic clock as the gate
 * (redisLease.ts: valid until the last renewal's send + ttl − margin), a process frozen past its
 * lease finds the deadline passed when the write is attempted.
 *
 * What remains: the few synchronous instructions between the gate and the write(2) call; a freeze
 * exactly there still sends once on waking. Bytes written before a freeze are sent by the kernel
 * while the process is stopped, within the lease.
 */
import { Agent, type Dispatcher } from 'undici';

/** Throws (e.g. LeaseLostError) to refuse a side effect; `what` names it for the error. */
export type WriteGate = (what: string) => void;

/** The name of a request's side effect for the gate, or null when the request is a read that always passes. */
export type SideEffectOf = (req: Dispatcher.DispatchOptions) => string | null;

/** A request handler that asks the gate right before the request is written, and delegates everything else. */
class GatedHandler implements Dispatcher.DispatchHandler {
  constructor(private readonly inner: Dispatcher.DispatchHandler, private readonly what: string, private readonly gate: WriteGate) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    try {
      this.gate(this.what);
    } catch (err) {
      controller.abort(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>): void {
    this.inner.onResponseStart?.(...args);
  }

  onResponseData(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>): void {
    this.inner.onResponseData?.(...args);
  }

  onResponseEnd(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>): void {
    this.inner.onResponseEnd?.(...args);
  }

  onResponseError(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseError']>>): void {
    this.inner.onResponseError?.(...args);
  }
}

/** A dispatcher with its own connections (keep-alive, HTTP/1.1, one request per socket). */
export interface GatedDispatcher {
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

/**
 * An undici Agent whose requests named by `sideEffectOf` are refused at the write unless `gate`
 * passes (see the module comment); the others go out unchecked.
 */
export function gatedDispatcher(gate: WriteGate, sideEffectOf: SideEffectOf): GatedDispatcher {
  const agent = new Agent({ keepAliveTimeout: 60_000, pipelining: 1, allowH2: false });
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    const what = sideEffectOf(opts);
    return dispatch(opts, what === null ? handler : new GatedHandler(handler, what, gate));
  });
  return { dispatcher, close: () => agent.close() };
}
