/**
 * A ChainPort that counts and times every call (by method and outcome), counts the transactions
 * of mints, rolls and withdrawals and their gas, and notes each pool snapshot as it leaves the
 * port (the start of the event → decision latency). Calls pass through unchanged. Optional
 * members are forwarded only where the port has them.
 */
import { tap } from 'rxjs';
import type { ChainPort, PoolSnapshot, TxReceipt } from '../../actors/ports.js';

export interface ChainWatch {
  call?(method: string, ok: boolean, seconds: number, err: unknown): void;
  /** A mint, roll or withdraw finished (ok, with its receipt) or failed. */
  transaction?(kind: 'mint' | 'roll' | 'withdraw', ok: boolean, receipt: TxReceipt | null): void;
  snapshot?(s: PoolSnapshot): void;
  gasPrice?(wei: bigint): void;
}

export function instrumentChain(chain: ChainPort, watch: ChainWatch): ChainPort {
  const timed = <T>(method: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    return run().then(
      (v) => {
        watch.call?.(method, true, (performance.now() - t0) / 1000, null);
        return v;
      },
      (err: unknown) => {
        watch.call?.(method, false, (performance.now() - t0) / 1000, err);
        throw err;
      },
    );
  };
  const tx = <T extends { receipt: TxReceipt }>(kind: 'mint' | 'roll' | 'withdraw', run: () => Promise<T>): Promise<T> =>
    timed(kind, run).then(
      (r) => {
        watch.transaction?.(kind, true, r.receipt);
        return r;
      },
      (err: unknown) => {
        watch.transaction?.(kind, false, null);
        throw err;
      },
    );
  return {
    id: chain.id,
    owner: chain.owner,
    snapshots$: chain.snapshots$.pipe(tap((s) => watch.snapshot?.(s))),
    poolSnapshot: (id) => timed('poolSnapshot', () => chain.poolSnapshot(id)),
    ownedPositions: (id) => timed('ownedPositions', () => chain.ownedPositions(id)),
    positionFees: (p) => timed('positionFees', () => chain.positionFees(p)),
    gasPriceWei: () => timed('gasPriceWei', () => chain.gasPriceWei()).then((wei) => {
      watch.gasPrice?.(wei);
      return wei;
    }),
    mint: (req) => tx('mint', () => chain.mint(req)),
    roll: (req) => tx('roll', () => chain.roll(req)),
    withdraw: (p, opts) => tx('withdraw', () => chain.withdraw(p, opts)),
    ...(chain.resume === undefined ? {} : { resume: (poolId, opts) => timed('resume', () => chain.resume!(poolId, opts)) }),
    ...(chain.heldTokens === undefined ? {} : { heldTokens: (poolId) => timed('heldTokens', () => chain.heldTokens!(poolId)) }),
    ...(chain.adoptBooks === undefined ? {} : { adoptBooks: (poolId, held) => timed('adoptBooks', () => chain.adoptBooks!(poolId, held)) }),
    ...(chain.poolLiquidity === undefined ? {} : { poolLiquidity: (poolId) => timed('poolLiquidity', () => chain.poolLiquidity!(poolId)) }),
  };
}
