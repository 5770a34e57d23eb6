/**
 * Capital efficiency of a concentrated position, measured against a full-range position that
 * provides the same active liquidity L at the current price P.
 *
 * A full-range position (Pa -> 0, Pb -> infinity) of liquidity L is worth V_full = 2 L sqrt(P);
 * the position on [Pa, Pb] is worth V = L (2 sqrt(P) - P/sqrt(Pb) - sqrt(Pa)). The full-range
 * position's capital splits into three slices: the part on [Pa, Pb] (exactly our position) and
 * the parts below Pa and above Pb, which sit idle while the price is inside [Pa, Pb].
 *
 *   capitalEfficiency = 1 - V / V_full = (sqrt(P/Pb) + sqrt(Pa/P)) / 2     for Pa <= P < Pb
 *                     = 0                                                  otherwise
 *
 * i.e. the share of an equal-liquidity full-range position's capital that would be idle, and
 * that this position does without. It lies in [0, 1): 0 for a full-range position or when the
 * position is out of range (its liquidity is not active), close to 1 for a narrow range in
 * range. Note it is lowest at the range's centre for a given width (= (Pa/Pb)^{1/4}) and rises
 * towards the bounds; nearness to a bound is the separate price-proximity trigger.
 *
 *   concentrationMultiplier = V_full / V = 1 / (1 - capitalEfficiency)
 *
 * is how many times more liquidity per unit of capital the position provides than full range
 * (0 when out of range).
 */
import { requirePositive } from './analyticsInput.js';
import { validatePriceRange } from './positionValue.js';

/** A range [Pa, Pb] and the current price P, raw prices. */
export interface CapitalEfficiencyInput {
  priceLower: number;
  priceUpper: number;
  price: number;
}

/** Capital efficiency (fraction in [0, 1)) and the equivalent concentration multiplier (>= 1 in range, 0 out). */
export interface CapitalEfficiency {
  capitalEfficiency: number;
  concentrationMultiplier: number;
  inRange: boolean;
}

/** Capital efficiency of a range at a price (see the module comment for the exact definition). */
export function capitalEfficiency(input: CapitalEfficiencyInput): CapitalEfficiency {
  validatePriceRange(input.priceLower, input.priceUpper);
  requirePositive('price', input.price);
  const { priceLower: pa, priceUpper: pb, price } = input;
  if (price < pa || price >= pb) return { capitalEfficiency: 0, concentrationMultiplier: 0, inRange: false };
  const ce = (Math.sqrt(price / pb) + Math.sqrt(pa / price)) / 2;
  return { capitalEfficiency: ce, concentrationMultiplier: 1 / (1 - ce), inRange: true };
}
