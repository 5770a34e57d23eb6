import { redactRpcUrl, redactRpcUrlIn } from './redactRpcUrl.js';

/**
 * Typed errors of the chain adapter. Each carries the offending value so a log line or an
 * operator can see exactly what was wrong without re-running anything.
 */

/** An RPC endpoint answers for a different chain than the configuration says. */
export class ChainIdMismatchError extends Error {
  override readonly name = 'ChainIdMismatchError';
  constructor(readonly url: string, readonly expected: number, readonly actual: number) {
    super(`chain: ${redactRpcUrl(url)} serves chain id ${actual}, config expects ${expected}`);
  }
}

/** None of the configured RPC endpoints could be reached (each endpoint's failure is kept). */
export class RpcUnreachableError extends Error {
  override readonly name = 'RpcUnreachableError';
  constructor(readonly urls: readonly string[], readonly causes: readonly string[]) {
    super(`chain: no RPC endpoint reachable: ${urls.map((u, i) => `${redactRpcUrl(u)} (${redactRpcUrlIn(causes[i] ?? 'unknown', u)})`).join('; ')}`);
  }
}

/** StateView reports an all-zero slot0 for this pool id: the pool was never initialized. */
export class UnknownPoolError extends Error {
  override readonly name = 'UnknownPoolError';
  constructor(readonly poolId: string, readonly stateView: string) {
    super(`chain: pool ${poolId} is not initialized on the PoolManager behind StateView ${stateView}`);
  }
}

/** A log could not be decoded as the PoolManager event its topic0 names. */
export class LogDecodeError extends Error {
  override readonly name = 'LogDecodeError';
  constructor(readonly reason: string, readonly topics: readonly string[], readonly data: string) {
    super(`chain: cannot decode log (${reason}); topic0=${topics[0] ?? 'none'} data length=${data.length}`);
  }
}

/** A PoolKey whose fields cannot form a v4 pool (e.g. unsorted currencies, fee out of range). */
export class InvalidPoolKeyError extends Error {
  override readonly name = 'InvalidPoolKeyError';
  constructor(readonly field: string, readonly value: unknown, reason: string) {
    super(`chain: invalid PoolKey.${field} = ${String(value)}: ${reason}`);
  }
}
