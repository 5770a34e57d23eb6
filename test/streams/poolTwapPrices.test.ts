/**
 * The paper venue's mark under `run`: the pool's TWAP, not its spot price. Nothing until the
 * window is covered; then a push of the pool moves the mark by k^(d/W) at most.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { PoolDescriptor, PoolSnapshot } from '../../src/actors/ports.js';
import { poolTwapPrices$ } from '../../src/streams/poolTwapPrices.js';

const pool: PoolDescriptor = {
  poolId: '0x01', asset: 'ETH', assetIsToken0: false, hedgeSymbol: 'ETH/USDT:USDT',
  token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: 500, tickSpacing: 10,
};
const snap = (price: number, poolId = '0x01'): PoolSnapshot => ({ poolId, sqrtPriceX96: 0n, tick: 0, liquidity: 0n, price, blockNumber: 1, at: 0 });

describe('pool TWAP prices (the paper venue mark)', () => {
  it('emits nothing until the window is covered, then the asset-price TWAP; a push barely moves it', async () => {
    let now = 0;
    const snapshots = new Subject<PoolSnapshot>();
    const marks: { price: number; at: number }[] = [];
    const sub = poolTwapPrices$({ snapshots$: snapshots, pool, initial: snap(1 / 3000), windowSeconds: 10, intervalMs: 5, now: () => now }).subscribe((m) => marks.push(m));
    now = 5_000;
    await new Promise((r) => setTimeout(r, 30));
    expect(marks).toHaveLength(0); // 5 s of a 10 s window
    now = 10_000;
    await new Promise((r) => setTimeout(r, 30));
    expect(marks.at(-1)!.price).toBeCloseTo(3000, 6); // token1 is the asset: 1/price
    snapshots.next(snap(1 / 2000)); // pushed to 2000 ...
    snapshots.next(snap(1 / 9999, '0x02')); // (another pool: ignored)
    now = 11_000;
    snapshots.next(snap(1 / 3000)); // ... for 1 s, then back
    const mark = marks.at(-1)!.price;
    expect(mark).toBeLessThan(3000);
    expect(mark).toBeGreaterThanOrEqual(3000 * Math.pow(2000 / 3000, 1 / 10) * (1 - 1e-12));
    sub.unsubscribe();
  });
});
