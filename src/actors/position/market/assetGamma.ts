/**
 * Gamma of a position in the units its delta is reported in: how many whole units of the asset
 * the position gains per unit rise of the asset's human price (quote per asset). With Q the
 * asset's raw price (raw quote per raw asset) and the range in those terms [Qa, Qb):
 *
 *   gamma_raw = −L / (2·Q^{3/2})  in range, 0 outside     (src/math/greeks.ts)
 *   gamma     = gamma_raw / 10^(2·decAsset − decQuote)
 *
 * (asset amount whole = raw / 10^decAsset; human price = Q · 10^(decAsset − decQuote)). For a pool
 * whose asset is token1, Q = 1/P and the range is [1/Pb, 1/Pa). Always <= 0: an LP is short gamma.
 */
import { positionGamma } from '../../../math/greeks.js';
import { tickToPrice } from '../../../math/priceTick.js';

export interface AssetGammaInput {
  liquidity: number;
  tickLower: number;
  tickUpper: number;
  /** Raw pool price, token1 per token0. */
  rawPrice: number;
  assetIsToken0: boolean;
  decimals0: number;
  decimals1: number;
}

/** d(asset held)/d(asset price), whole asset units per quote unit (see the module comment). */
export function assetGamma(i: AssetGammaInput): number {
  if (!(i.liquidity > 0) || !(i.rawPrice > 0)) return 0;
  const pa = tickToPrice(i.tickLower);
  const pb = tickToPrice(i.tickUpper);
  const [q, qa, qb, decAsset, decQuote] = i.assetIsToken0
    ? [i.rawPrice, pa, pb, i.decimals0, i.decimals1]
    : [1 / i.rawPrice, 1 / pb, 1 / pa, i.decimals1, i.decimals0];
  const g = positionGamma({ liquidity: i.liquidity, priceLower: qa, priceUpper: qb, price: q });
  return (g / Math.pow(10, 2 * decAsset - decQuote)) + 0;
}
