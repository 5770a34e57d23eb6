/**
 * fast-check generators shared by the pool model's property and differential tests: a pool
 * (spacing, fee, price) with several positions around its price, and swaps against it.
 */
import fc from 'fast-check';
import { Pool } from '../../../src/math/pool/index.js';
import { MAX_SQRT_PRICE, MAX_TICK, MIN_SQRT_PRICE, MIN_TICK, getSqrtPriceAtTick } from '../../../src/math/tickMath.js';

export const OWNER = '0x00000000000000000000000000000000000000aa';

export interface PositionSpec {
  /** Offsets in units of tickSpacing from the compressed initial tick. */
  lowerOffset: number;
  width: number;
  liquidity: bigint;
  fullRange: boolean;
}

export interface PoolSpec {
  tickSpacing: number;
  fee: number;
  initialTick: number;
  /** Fraction of one tick's price step added to the initial price, in [0, 1). */
  priceFraction: number;
  positions: PositionSpec[];
}

/** Log-uniform positive bigint: mantissa 1..9999 times 10^0..10^maxExp. */
export function logAmount(maxExp: number): fc.Arbitrary<bigint> {
  return fc
    .tuple(fc.integer({ min: 0, max: maxExp }), fc.integer({ min: 1, max: 9999 }))
    .map(([e, m]) => BigInt(m) * 10n ** BigInt(e));
}


export const poolSpecArb: fc.Arbitrary<PoolSpec> = fc.record({
  tickSpacing: fc.constantFrom(1, 10, 60, 200),
  fee: fc.oneof(fc.constantFrom(0, 100, 500, 3000, 10000), fc.integer({ min: 0, max: 999_999 })),
  initialTick: fc.integer({ min: -300_000, max: 300_000 }),
  priceFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
  positions: fc.array(
    fc.record({
      lowerOffset: fc.integer({ min: -40, max: 30 }),
      width: fc.integer({ min: 1, max: 30 }),
      liquidity: logAmount(22).map((x) => x + 1_000_000n),
      fullRange: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
    { minLength: 4, maxLength: 16 },
  ),
});

/** Initial sqrt price between the initial tick's price and the next tick's. */
export function initialSqrtPrice(spec: PoolSpec): bigint {
  const a = getSqrtPriceAtTick(spec.initialTick);
  const b = getSqrtPriceAtTick(spec.initialTick + 1);
  return a + ((b - a) * BigInt(Math.floor(spec.priceFraction * 1e6))) / 1_000_000n;
}

/** The tick range a position spec stands for, aligned and clamped to usable ticks. */
export function positionRange(spec: PoolSpec, p: PositionSpec): { tickLower: number; tickUpper: number } {
  const s = spec.tickSpacing;
  const minUsable = Math.ceil(MIN_TICK / s) * s;
  const maxUsable = Math.floor(MAX_TICK / s) * s;
  if (p.fullRange) return { tickLower: minUsable, tickUpper: maxUsable };
  const center = Math.floor(spec.initialTick / s);
  const tickLower = Math.min(Math.max((center + p.lowerOffset) * s, minUsable), maxUsable - s);
  const tickUpper = Math.min(tickLower + p.width * s, maxUsable);
  return { tickLower, tickUpper };
}

/** Builds and funds the pool a spec describes. */
export function buildPool(spec: PoolSpec): Pool {
  const pool = new Pool({ tickSpacing: spec.tickSpacing, fee: spec.fee });
  pool.initialize(initialSqrtPrice(spec));
  spec.positions.forEach((p, i) => {
    const { tickLower, tickUpper } = positionRange(spec, p);
    pool.modifyLiquidity({ owner: OWNER, tickLower, tickUpper, liquidityDelta: p.liquidity, salt: saltOf(i) });
  });
  return pool;
}

/** bytes32 salt for the i-th position. */
export function saltOf(i: number): string {
  return `0x${i.toString(16).padStart(64, '0')}`;
}

export interface SwapSpec {
  zeroForOne: boolean;
  exactIn: boolean;
  amount: bigint;
  /**
   * A price limit this many tickSpacings away from the current tick (plus a fraction); null =
   * no limit (MIN_SQRT_PRICE + 1 / MAX_SQRT_PRICE - 1), kept rare because a swap that leaves the
   * positions walks every empty bitmap word to the end of the price range.
   */
  limitSpacings: number | null;
  limitFraction: number;
}

export const swapSpecArb: fc.Arbitrary<SwapSpec> = fc.record({
  zeroForOne: fc.boolean(),
  exactIn: fc.boolean(),
  // three in four swaps are "swap to the limit price" (an amount far beyond what the move needs)
  amount: fc.oneof({ weight: 1, arbitrary: logAmount(24) }, { weight: 3, arbitrary: fc.constant(10n ** 27n) }),
  limitSpacings: fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }) },
    { weight: 12, arbitrary: fc.integer({ min: 4, max: 80 }) },
    { weight: 6, arbitrary: fc.integer({ min: 41, max: 1500 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  limitFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
});

/**
 * Turns a swap spec into v4 swap params against the pool's current state. When the price has
 * wandered more than 60 spacings from where it started, the swap heads back, with its limit
 * inside the positions (which sit within about 40 spacings of the start), so that random walks
 * keep crossing initialized ticks.
 */
export function swapParams(
  pool: Pool,
  spec: PoolSpec,
  s: SwapSpec,
): { zeroForOne: boolean; amountSpecified: bigint; sqrtPriceLimitX96: bigint } {
  const { sqrtPriceX96, tick } = pool.getSlot0();
  const drift = (tick - spec.initialTick) / spec.tickSpacing;
  let zeroForOne = s.zeroForOne;
  let targetTick: number | null = null;
  if (Math.abs(drift) > 60) {
    zeroForOne = drift > 0;
    targetTick = spec.initialTick + (((s.limitSpacings ?? 0) % 61) - 30) * spec.tickSpacing;
  }
  if (zeroForOne && sqrtPriceX96 <= MIN_SQRT_PRICE + 1n) zeroForOne = false;
  if (!zeroForOne && sqrtPriceX96 >= MAX_SQRT_PRICE - 1n) zeroForOne = true;
  let limit = zeroForOne ? MIN_SQRT_PRICE + 1n : MAX_SQRT_PRICE - 1n;
  if (targetTick === null) {
    // with small spacings a walk to the end of the range is thousands of empty-word steps (slow in
    // the JSBI SDK): unlimited swaps only run on pools with spacing >= 60, others stop 5000 spacings away
    const spacings = s.limitSpacings ?? (spec.tickSpacing >= 60 ? null : 5000);
    if (spacings !== null) targetTick = zeroForOne ? tick - spacings * spec.tickSpacing : tick + (spacings + 1) * spec.tickSpacing;
  }
  if (targetTick !== null && targetTick > MIN_TICK && targetTick < MAX_TICK) {
    const a = getSqrtPriceAtTick(targetTick);
    const b = getSqrtPriceAtTick(Math.min(targetTick + 1, MAX_TICK));
    const candidate = a + ((b - a) * BigInt(Math.floor(s.limitFraction * 1e6))) / 1_000_000n;
    if (zeroForOne ? candidate < sqrtPriceX96 && candidate > MIN_SQRT_PRICE : candidate > sqrtPriceX96 && candidate < MAX_SQRT_PRICE) {
      limit = candidate;
    }
  }
  return { zeroForOne, amountSpecified: s.exactIn ? -s.amount : s.amount, sqrtPriceLimitX96: limit };
}
