import { startAnvil as startProjectAnvil } from '../../../src/adapters/chain/devnet/anvil.js';

/** A private anvil for one test file, on a port the OS picked. */
export interface TestAnvil {
  rpcUrl: string;
  wsUrl: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts anvil on 127.0.0.1 with a free port (prague hardfork: transient storage) through the
 * devnet's own launcher, so tests get the same process-group cleanup as `rangekeeper devnet`.
 */
export async function startAnvil(opts: { chainId?: number } = {}): Promise<TestAnvil> {
  const anvil = await startProjectAnvil({ port: 0, hardfork: 'prague', chainId: opts.chainId ?? 31337, accounts: 3 });
  return { port: anvil.port, rpcUrl: anvil.rpcUrl, wsUrl: anvil.wsUrl, stop: () => anvil.stop() };
}
