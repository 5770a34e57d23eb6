import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UINT256, MathDomainError, Q128, feesOwed, getFeeGrowthInside, type FeeGrowthOutside } from '../../../src/math/index.js';
import { liquidityArb, logUniformBigInt } from './arbitraries.js';

const wrap = (x: bigint): bigint => x & MAX_UINT256;

type Step = { kind: 'fees'; amount0: bigint; amount1: bigint } | { kind: 'move'; tick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('fees' as const), amount0: logUniformBigInt(200), amount1: logUniformBigInt(200) }),
  fc.record({ kind: fc.constant('move' as const), tick: fc.integer({ min: -60, max: 60 }) }),
);

describe('fee growth', () => {
  it('getFeeGrowthInside tracks exactly the growth accrued while the price was inside the range, across tick crossings and uint256 wrap-around', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 49 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: -60, max: 60 }),
        // global growth starts near 2^256 so that it wraps during the walk
        logUniformBigInt(210).map((d) => MAX_UINT256 - d),
        logUniformBigInt(256),
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        (tickLower, width, tick0, g0Start, g1Start, steps) => {
          const tickUpper = tickLower + width;
          let tickCurrent = tick0;
          let g0 = g0Start;
          let g1 = g1Start;
          // Pool.updateTick: all growth before a tick was initialized is assumed below it
          const init = (t: number): FeeGrowthOutside =>
            t <= tickCurrent ? { feeGrowthOutside0X128: g0, feeGrowthOutside1X128: g1 } : { feeGrowthOutside0X128: 0n, feeGrowthOutside1X128: 0n };
          const lower = init(tickLower);
          const upper = init(tickUpper);
          const inside = () => getFeeGrowthInside({ tickLower, tickUpper, tickCurrent, feeGrowthGlobal0X128: g0, feeGrowthGlobal1X128: g1, lower, upper });
          const start = inside();
          let true0 = 0n;
          let true1 = 0n;
          let previous = start;
          for (const step of steps) {
            if (step.kind === 'fees') {
              g0 = wrap(g0 + step.amount0);
              g1 = wrap(g1 + step.amount1);
              if (tickLower <= tickCurrent && tickCurrent < tickUpper) {
                true0 += step.amount0;
                true1 += step.amount1;
              }
            } else {
              // Pool.crossTick: feeGrowthOutside = global - feeGrowthOutside for every tick crossed
              for (const [t, info] of [
                [tickLower, lower],
                [tickUpper, upper],
              ] as const) {
                const crossedUp = tickCurrent < t && step.tick >= t;
                const crossedDown = step.tick < t && tickCurrent >= t;
                if (crossedUp || crossedDown) {
                  info.feeGrowthOutside0X128 = wrap(g0 - info.feeGrowthOutside0X128);
                  info.feeGrowthOutside1X128 = wrap(g1 - info.feeGrowthOutside1X128);
                }
              }
              tickCurrent = step.tick;
            }
            const now = inside();
            expect(wrap(now.feeGrowthInside0X128 - start.feeGrowthInside0X128)).toBe(wrap(true0));
            expect(wrap(now.feeGrowthInside1X128 - start.feeGrowthInside1X128)).toBe(wrap(true1));
            // fee growth inside never decreases (modulo 2^256, by at most what was accrued)
            expect(wrap(now.feeGrowthInside0X128 - previous.feeGrowthInside0X128) <= wrap(true0)).toBe(true);
            previous = now;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('feesOwed = floor(liquidity · (now − last mod 2^256) / 2^128), wrap-around included', () => {
    fc.assert(
      fc.property(liquidityArb(), logUniformBigInt(256), logUniformBigInt(200), (l, last, accrued) => {
        const now = wrap(last + accrued);
        expect(feesOwed(l, now, last)).toBe((accrued * l) / Q128);
      }),
      { numRuns: 2000 },
    );
    // one full unit of fee growth per liquidity is one token
    expect(feesOwed(10n ** 18n, 5n * Q128, 4n * Q128)).toBe(10n ** 18n);
    expect(feesOwed(10n ** 18n, 3n, MAX_UINT256 - Q128 + 4n)).toBe(10n ** 18n);
  });

  it('rejects misordered ticks and values outside uint256', () => {
    const zero = { feeGrowthOutside0X128: 0n, feeGrowthOutside1X128: 0n };
    const base = { tickLower: 10, tickUpper: 10, tickCurrent: 0, feeGrowthGlobal0X128: 0n, feeGrowthGlobal1X128: 0n, lower: zero, upper: zero };
    expect(() => getFeeGrowthInside(base)).toThrow(MathDomainError);
    expect(() => getFeeGrowthInside({ ...base, tickUpper: 20, feeGrowthGlobal0X128: -1n })).toThrow(/OUT_OF_RANGE/);
    expect(() => feesOwed(-1n, 0n, 0n)).toThrow(/OUT_OF_RANGE/);
  });
});
