import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pool } from '../../../src/math/pool/index.js';
import { liquidityProfile, MAX_ASYMMETRY, type InitializedTickInfo } from '../../../src/math/liquidityProfile.js';
import { sqrtPriceX96ToPrice } from '../../../src/math/priceTick.js';
import { newChain, poolDescriptor } from '../../actors/support/fixture.js';

const Q128 = 2 ** 128;

describe('liquidity profile from initialized ticks', () => {
  it("gives each band the liquidity of the LPs covering it and the fees Uniswap's fee growth inside says were paid there", async () => {
    const pool = poolDescriptor();
    const chain = newChain([pool]);
    // trade the pool around so fee growth is spread over several bands
    for (const p of [3050, 2900, 3120, 2980, 3010, 2870, 3000]) chain.setPrice(pool.poolId, p);
    const liq = await chain.poolLiquidity(pool.poolId);
    const model = Pool.fromSnapshot(chain.poolState(pool.poolId));
    const price = sqrtPriceX96ToPrice(liq.sqrtPriceX96);
    const profile = liquidityProfile({
      tick: liq.tick, liquidity: liq.liquidity, feeGrowthGlobal0X128: liq.feeGrowthGlobal0X128, feeGrowthGlobal1X128: liq.feeGrowthGlobal1X128,
      price, ticks: liq.ticks, knownLower: liq.knownLower, knownUpper: liq.knownUpper, windowLower: liq.tick - 3000, windowUpper: liq.tick + 3000,
    });
    const background = chain.backgroundPositions(pool.poolId);
    // only the bands the window overlaps are described
    for (const b of profile.bands) expect(b.tickUpper > profile.windowLower && b.tickLower < profile.windowUpper).toBe(true);
    const inner = profile.bands.filter((b) => b.feesToken1 !== null);
    expect(inner.length).toBeGreaterThan(3);
    let someFees = 0;
    for (const band of inner) {
      const covering = background.filter((p) => p.tickLower <= band.tickLower && p.tickUpper >= band.tickUpper).reduce((a, p) => a + p.liquidity, 0n);
      expect(band.liquidity).toBe(Number(covering));
      const inside = model.getFeeGrowthInside(band.tickLower, band.tickUpper);
      const expected = ((Number(inside.feeGrowthInside0X128) / Q128) * price + Number(inside.feeGrowthInside1X128) / Q128) * Number(covering);
      expect(band.feesToken1!).toBeCloseTo(expected, 6);
      someFees += band.feesToken1!;
    }
    expect(someFees).toBeGreaterThan(0);
    // hotspots lie inside the window, and only where fees were paid
    for (const h of profile.hotspots) {
      expect(h.tick).toBeGreaterThanOrEqual(profile.windowLower);
      expect(h.tick).toBeLessThanOrEqual(profile.windowUpper);
      expect(h.weight).toBeGreaterThan(0);
    }
  });

  it('leans the range toward the thinner side and reports stretches below the gap level', () => {
    // L = 100 on [-600, 0), 1000 on [0, 600): thinner below
    const t = (tick: number, net: bigint): InitializedTickInfo => ({ tick, liquidityNet: net, feeGrowthOutside0X128: 0n, feeGrowthOutside1X128: 0n });
    const p = liquidityProfile({
      tick: 10, liquidity: 1000n, feeGrowthGlobal0X128: 0n, feeGrowthGlobal1X128: 0n, price: 1,
      ticks: [t(-600, 100n), t(0, 900n), t(600, -1000n)], knownLower: -1200, knownUpper: 1200, windowLower: -590, windowUpper: 610,
    });
    expect(p.depthBelow).toBeLessThan(p.depthAbove);
    expect(p.asymmetry).toBeGreaterThan(0); // more range below
    expect(p.asymmetry).toBeLessThanOrEqual(MAX_ASYMMETRY);
    expect(p.gaps).toEqual([{ tickLower: -590, tickUpper: 0, liquidity: 100 }, { tickLower: 600, tickUpper: 610, liquidity: 0 }]);
    expect(p.hotspots).toEqual([]);
  });

  it('keeps the asymmetry within ±MAX_ASYMMETRY and every hotspot inside the window for any tick layout', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.bigInt({ min: 1n, max: 10n ** 20n }), { minLength: 12, maxLength: 12 }),
      fc.integer({ min: -4990, max: 4990 }),
      fc.array(fc.bigInt({ min: 0n, max: (1n << 200n) }), { minLength: 24, maxLength: 24 }),
      (idx, sizes, cur, growth) => {
        // nested positions: each k adds liquidity on [-|i|·100, |i|·100 + 100)
        const ticks = new Map<number, bigint>();
        idx.forEach((i, k) => {
          const lo = -Math.abs(i) * 100 - 100;
          const hi = Math.abs(i) * 100 + 100;
          ticks.set(lo, (ticks.get(lo) ?? 0n) + sizes[k]!);
          ticks.set(hi, (ticks.get(hi) ?? 0n) - sizes[k]!);
        });
        const list = [...ticks.entries()].filter(([, n]) => n !== 0n).sort((a, b) => a[0] - b[0]).map(([tick, net], k) => ({ tick, liquidityNet: net, feeGrowthOutside0X128: growth[k % 24]!, feeGrowthOutside1X128: growth[(k + 7) % 24]! }));
        const active = list.filter((x) => x.tick <= cur).reduce((a, x) => a + x.liquidityNet, 0n);
        const p = liquidityProfile({
          tick: cur, liquidity: active, feeGrowthGlobal0X128: 1n << 210n, feeGrowthGlobal1X128: 1n << 205n, price: 2,
          ticks: list, knownLower: -6000, knownUpper: 6000, windowLower: cur - 1000, windowUpper: cur + 1000,
        });
        expect(Math.abs(p.asymmetry)).toBeLessThanOrEqual(MAX_ASYMMETRY + 1e-12);
        for (const b of p.bands) expect(b.liquidity).toBeGreaterThanOrEqual(0);
        for (const h of p.hotspots) {
          expect(h.tick).toBeGreaterThanOrEqual(cur - 1000);
          expect(h.tick).toBeLessThanOrEqual(cur + 1000);
        }
      },
    ), { numRuns: 300 });
  });

  it('property: the bands tile the window, each with the liquidity its crossed ticks give and fees exactly when both its edges are ticks read', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: -60, max: 59 }), { minLength: 0, maxLength: 20 }),
      fc.array(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), { minLength: 20, maxLength: 20 }),
      fc.integer({ min: -600, max: 599 }),
      fc.integer({ min: -700, max: 700 }), fc.integer({ min: 1, max: 900 }),
      (idx, nets, cur, from, width) => {
        const knownLower = -600;
        const knownUpper = 600;
        // ticks on multiples of 10 inside what was read (one may sit on knownLower), unsorted as given
        const list = idx.map((i, k) => ({ tick: i * 10, liquidityNet: nets[k]!, feeGrowthOutside0X128: BigInt(k) << 128n, feeGrowthOutside1X128: 0n }));
        const liquidity = 10n ** 19n;
        const windowLower = Math.max(from, knownLower - 50);
        const windowUpper = windowLower + width;
        if (Math.min(windowUpper, knownUpper) <= Math.max(windowLower, knownLower)) return;
        const p = liquidityProfile({
          tick: cur, liquidity, feeGrowthGlobal0X128: 1n << 200n, feeGrowthGlobal1X128: 0n, price: 1,
          ticks: list, knownLower, knownUpper, windowLower, windowUpper,
        });
        // contiguous, covering [windowLower, windowUpper) as clipped, edges at ticks read or at the bounds of what was read
        expect(p.bands[0]!.tickLower).toBeLessThanOrEqual(p.windowLower);
        expect(p.bands[p.bands.length - 1]!.tickUpper).toBeGreaterThanOrEqual(p.windowUpper);
        const isTick = (t: number): boolean => list.some((x) => x.tick === t);
        p.bands.forEach((b, k) => {
          if (k > 0) expect(b.tickLower).toBe(p.bands[k - 1]!.tickUpper);
          expect(b.tickLower === knownLower || isTick(b.tickLower)).toBe(true);
          expect(b.tickUpper === knownUpper || isTick(b.tickUpper)).toBe(true);
          // the active liquidity, plus each tick crossed going up to the band, minus each crossed going down
          let l = liquidity;
          for (const x of list) {
            if (x.tick > cur && x.tick <= b.tickLower) l += x.liquidityNet;
            if (x.tick <= cur && x.tick >= b.tickUpper) l -= x.liquidityNet;
          }
          // below a tick at knownLower nothing was read: that band does not exist
          expect(b.liquidity).toBe(Number(l));
          expect(b.feesToken1 !== null).toBe(isTick(b.tickLower) && isTick(b.tickUpper));
        });
      },
    ), { numRuns: 500 });
  });
});

