import { FetchRequest, JsonRpcProvider, type FetchGetUrlFunc, type JsonRpcPayload, type JsonRpcResult, type Network } from 'ethers';
import type { Logger } from '../../logging/logger.js';
import { LeaseLostError } from '../store/lease.js';
import { redactRpcUrl, redactRpcUrlIn } from './redactRpcUrl.js';

/**
 * A JSON-RPC provider over several HTTP endpoints of one chain: each request goes to the
 * endpoint that last worked; if it fails at the transport level (refused, reset, timeout,
 * HTTP error status), the same request is sent to the next endpoint, in configured order,
 * and that one becomes the preferred endpoint. JSON-RPC errors (a revert, a bad parameter)
 * are answers, not failures: they are returned as they are, never retried elsewhere.
 *
 * (ethers' FallbackProvider counts an endpoint's error toward its quorum, so with quorum 1 a
 * dead first endpoint fails the request instead of failing over; hence this class.)
 */
export class FailoverJsonRpcProvider extends JsonRpcProvider {
  private preferred = 0;
  private readonly connections: FetchRequest[];

  /** `getUrl`: the transport of every request (default ethers' own; gatedGetUrl.ts fences broadcasts at the write). */
  constructor(readonly urls: readonly string[], network: Network, private readonly logger: Logger, requestTimeoutMs: number, getUrl?: FetchGetUrlFunc) {
    if (urls.length === 0) throw new RangeError('FailoverJsonRpcProvider: no URL');
    // No response cache: a block read twice within ethers' default 250 ms must show a reorg.
    super(urls[0], network, { staticNetwork: network, cacheTimeout: -1 });
    this.connections = urls.map((u) => {
      const r = new FetchRequest(u);
      r.timeout = requestTimeoutMs;
      if (getUrl !== undefined) r.getUrlFunc = getUrl;
      return r;
    });
  }

  /** The endpoint requests currently go to. */
  get activeUrl(): string {
    return this.urls[this.preferred]!;
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    let last: unknown;
    for (let i = 0; i < this.connections.length; i++) {
      const index = (this.preferred + i) % this.connections.length;
      const request = this.connections[index]!.clone();
      request.body = JSON.stringify(payload);
      request.setHeader('content-type', 'application/json');
      try {
        const response = await request.send();
        response.assertOk();
        // JSON-RPC error objects travel in this array too (ethers' own _send types them the same way).
        const body = response.bodyJson as JsonRpcResult | JsonRpcResult[];
        if (index !== this.preferred) {
          this.logger.warn({ from: redactRpcUrl(this.urls[this.preferred]!), to: redactRpcUrl(this.urls[index]!) }, 'chain: RPC failover');
          this.preferred = index;
        }
        return Array.isArray(body) ? body : [body];
      } catch (e) {
        // refused before it was written (the lease): another endpoint would be refused the same way
        if (e instanceof LeaseLostError) throw e;
        last = e;
        this.logger.warn({ url: redactRpcUrl(this.urls[index]!), err: redactRpcUrlIn(e instanceof Error ? e.message : String(e), this.urls[index]!) }, 'chain: RPC endpoint failed');
      }
    }
    throw last;
  }
}
