import { Network, type Provider } from 'ethers';
import type { Logger } from '../../logging/logger.js';
import { ChainIdMismatchError, RpcUnreachableError } from './errors.js';
import type { WriteGate } from '../http/gatedDispatcher.js';
import { FailoverJsonRpcProvider } from './failoverProvider.js';
import { gatedGetUrl } from './gatedGetUrl.js';
import { redactRpcUrl, redactRpcUrlIn } from './redactRpcUrl.js';
import { probeChainId } from './jsonRpcProbe.js';
import { ChainRpcConfigSchema, type ChainRpcConfigInput } from './rpcConfig.js';

/** A checked connection to one chain: a read provider with failover, and the live WS URLs. */
export interface ChainConnection {
  chainId: number;
  /** HTTP reads, failing over across the endpoints that answered (FailoverJsonRpcProvider). */
  provider: Provider;
  /** HTTP endpoints that answered with the right chain id, in preference order. */
  httpUrls: string[];
  /** WebSocket endpoints that answered with the right chain id, in preference order. */
  wsUrls: string[];
  /** Releases the providers' timers and sockets. */
  destroy(): void;
}

export interface ConnectChainOptions {
  /**
   * Asked at the socket write of every request that broadcasts a transaction (gatedGetUrl.ts),
   * after every await between the sender's own check and the bytes; a throw refuses it unsent.
   * A high-availability agent passes its lease's check here.
   */
  writeGate?: WriteGate;
}

/**
 * Probes every configured endpoint once for its chain id, then builds the providers.
 * - Any endpoint on another chain -> ChainIdMismatchError (a misconfigured URL is never used).
 * - No HTTP endpoint reachable -> RpcUnreachableError listing each endpoint's failure.
 * - Unreachable WS endpoints are logged and skipped (streams fall back to polling).
 * Providers use a static network, so ethers never loops retrying network detection.
 */
export async function connectChain(input: ChainRpcConfigInput, logger: Logger, opts: ConnectChainOptions = {}): Promise<ChainConnection> {
  const cfg = ChainRpcConfigSchema.parse(input);
  type Probe = { url: string; chainId: number } | { url: string; error: string };
  const probe = async (url: string): Promise<Probe> => {
    try {
      return { url, chainId: await probeChainId(url, cfg.probeTimeoutMs) };
    } catch (e) {
      return { url, error: e instanceof Error ? e.message : String(e) };
    }
  };
  const [http, ws] = await Promise.all([Promise.all(cfg.http.map(probe)), Promise.all(cfg.ws.map(probe))]);
  for (const r of [...http, ...ws]) {
    if ('chainId' in r && r.chainId !== cfg.chainId) throw new ChainIdMismatchError(r.url, cfg.chainId, r.chainId);
  }
  const down = [...http, ...ws].filter((r): r is { url: string; error: string } => 'error' in r);
  for (const d of down) logger.warn({ url: redactRpcUrl(d.url), err: redactRpcUrlIn(d.error, d.url) }, 'chain: RPC endpoint unreachable at start; skipped');
  const httpUrls = http.filter((r) => 'chainId' in r).map((r) => r.url);
  const wsUrls = ws.filter((r) => 'chainId' in r).map((r) => r.url);
  if (httpUrls.length === 0) throw new RpcUnreachableError(cfg.http, http.map((r) => ('error' in r ? r.error : 'ok')));

  const network = Network.from(cfg.chainId);
  const gated = opts.writeGate === undefined ? null : gatedGetUrl(opts.writeGate);
  const provider = new FailoverJsonRpcProvider(httpUrls, network, logger, cfg.requestTimeoutMs, gated?.getUrl);
  logger.info({ chainId: cfg.chainId, http: httpUrls, ws: wsUrls }, 'chain: connected');
  return {
    chainId: cfg.chainId,
    provider,
    httpUrls,
    wsUrls,
    destroy() {
      provider.destroy();
      void gated?.close();
    },
  };
}
