/**
 * fast-check arbitraries for the exact-math tests: values spread over the whole of their
 * Solidity type, log-uniformly (every bit length equally likely) so that both tiny and huge
 * magnitudes, and the overflow edges, are exercised.
 */
import fc from 'fast-check';
import { MAX_SQRT_PRICE, MAX_TICK, MIN_SQRT_PRICE, MIN_TICK, getSqrtPriceAtTick } from '../../../src/math/index.js';

/** A bigint in [min, 2^maxBits - 1] whose bit length is uniform in [0, maxBits]. */
export function logUniformBigInt(maxBits: number, min = 0n): fc.Arbitrary<bigint> {
  return fc
    .integer({ min: 0, max: maxBits })
    .chain((bits) => fc.bigInt({ min: bits === 0 ? 0n : 1n << BigInt(bits - 1), max: (1n << BigInt(bits)) - 1n }))
    .map((x) => (x < min ? min : x));
}

/** A valid tick. */
export const tickArb = fc.integer({ min: MIN_TICK, max: MAX_TICK });

/**
 * A sqrt price in [MIN_SQRT_PRICE, MAX_SQRT_PRICE): exactly at a tick, next to a tick
 * (±1 wei), uniform over the whole range, or log-uniform.
 */
export const sqrtPriceArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.integer({ min: MIN_TICK, max: MAX_TICK - 1 }).map(getSqrtPriceAtTick),
  fc.tuple(fc.integer({ min: MIN_TICK + 1, max: MAX_TICK - 1 }), fc.constantFrom(-1n, 1n)).map(([t, d]) => getSqrtPriceAtTick(t) + d),
  fc.bigInt({ min: MIN_SQRT_PRICE, max: MAX_SQRT_PRICE - 1n }),
  logUniformBigInt(160).filter((x) => x >= MIN_SQRT_PRICE && x < MAX_SQRT_PRICE),
  // around price 1, where most real pools live
  fc.integer({ min: -200_000, max: 200_000 }).map(getSqrtPriceAtTick),
);

/** A uint128 liquidity, log-uniform, at least `min`. */
export const liquidityArb = (min = 0n): fc.Arbitrary<bigint> => logUniformBigInt(128, min);

/** A swap fee in pips: the usual tiers, or anything below 100%. */
export const feePipsArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 100, 500, 3000, 10_000),
  fc.integer({ min: 0, max: 999_999 }),
);
