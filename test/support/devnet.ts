/**
 * A running devnet (anvil + the real Uniswap v4 contracts + seeded WETH/USDC pools) for any test
 * file. Each call starts its own anvil on a free port in beforeAll and stops it in afterAll:
 *
 *   import { useDevnet } from '../support/devnet.js';
 *
 *   const devnet = useDevnet();                 // or useDevnet({ skipSeed: true, seed: 7 })
 *
 *   it('reads the pool', async () => {
 *     const { manifest, provider } = devnet();  // only call inside tests/hooks, not at top level
 *     const pool = manifest.pools[0]!;          // WETH/USDC fee 500 spacing 10; [1] is fee 3000
 *     ...
 *   });
 *
 * manifest.accounts has roles: 'agent' (funded with WETH and USDC, no approvals: use it for the
 * code under test), 'deployer', 'liquidity', 'arbitrageur', 'noise'. Start-up takes ~1-2 s.
 * To isolate tests inside one file, take `const id = await snapshot(devnet())` and
 * `await revert(devnet(), id)` (anvil evm_snapshot / evm_revert).
 */
import { afterAll, beforeAll } from 'vitest';
import { startDevnet, type Devnet, type StartDevnetOptions } from '../../src/adapters/chain/devnet/devnet.js';
import { createLogger } from '../../src/logging/logger.js';

/** Registers beforeAll/afterAll that start and stop a devnet; returns a getter for it. */
export function useDevnet(opts: StartDevnetOptions = {}): () => Devnet {
  let devnet: Devnet | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      devnet = await startDevnet({ logger: createLogger({ name: 'devnet', level: 'warn' }), ...opts });
    } catch (err) {
      failure = err;
      throw err;
    }
  });
  afterAll(async () => {
    await devnet?.stop();
  });
  return () => {
    if (failure !== undefined) throw new Error(`useDevnet(): the devnet failed to start: ${failure instanceof Error ? failure.message : String(failure)}`, { cause: failure });
    if (devnet === undefined) throw new Error('useDevnet(): the devnet is only available inside tests and hooks (after beforeAll)');
    return devnet;
  };
}

/** Takes an anvil snapshot of the chain state; pass the id to revert(). */
export async function snapshot(devnet: Devnet): Promise<string> {
  return (await devnet.provider.send('evm_snapshot', [])) as string;
}

/** Reverts the chain to a snapshot (a snapshot id can be reverted to once). */
export async function revert(devnet: Devnet, id: string): Promise<void> {
  const ok = (await devnet.provider.send('evm_revert', [id])) as boolean;
  if (!ok) throw new Error(`evm_revert(${id}) failed`);
}
