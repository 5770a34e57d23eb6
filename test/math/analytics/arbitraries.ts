/** fast-check generators shared by the analytics tests: ranges and prices spread log-uniformly. */
import fc from 'fast-check';

/** A range [Pa, Pb], a price P (in, below or above it) and liquidity L, all log-uniform. */
export interface RangeCase {
  liquidity: number;
  priceLower: number;
  priceUpper: number;
  price: number;
}

const finite = { noNaN: true, noDefaultInfinity: true } as const;

/**
 * ln Pa in [-40, 40], ln(Pb/Pa) in [1e-3, 8], ln(P/Pa) in [-2w, 3w] (so about half the cases
 * are in range), ln L in [0, 60].
 */
export const rangeCase: fc.Arbitrary<RangeCase> = fc
  .record({
    logLower: fc.double({ min: -40, max: 40, ...finite }),
    logWidth: fc.double({ min: 1e-3, max: 8, ...finite }),
    where: fc.double({ min: -2, max: 3, ...finite }),
    logL: fc.double({ min: 0, max: 60, ...finite }),
  })
  .map(({ logLower, logWidth, where, logL }) => ({
    liquidity: Math.exp(logL),
    priceLower: Math.exp(logLower),
    priceUpper: Math.exp(logLower + logWidth),
    price: Math.exp(logLower + where * logWidth),
  }));

/** True when ln P is at least `margin` (in ln units) away from both bounds. */
export function awayFromBounds(c: RangeCase, margin: number): boolean {
  const lp = Math.log(c.price);
  return Math.abs(lp - Math.log(c.priceLower)) > margin && Math.abs(lp - Math.log(c.priceUpper)) > margin;
}
