/** Errors of the simulated chain (re-exported by simulatedChain.ts). */

/** An RPC-level failure of the simulated node (used to exercise error handling). */
export class SimulatedRpcError extends Error {
  override readonly name = 'SimulatedRpcError';
  constructor(readonly operation: string, message: string) {
    super(`simulated rpc: ${operation}: ${message}`);
  }
}

/**
 * A rejected transaction or input (bad ticks, unknown token or pool, empty wallet, a price that
 * is not a positive finite number). Nothing changed when it is thrown: the simulated
 * transactions are atomic, as on chain.
 */
export class SimulatedTxError extends Error {
  override readonly name = 'SimulatedTxError';
  constructor(readonly operation: string, readonly value: unknown, message: string) {
    super(`simulated tx ${operation}: ${message}`);
  }
}
