/**
 * Amounts a position of liquidity L holds on a tick range at a raw price: the shared float
 * analytics (src/math positionAmounts) addressed by ticks, as positions and the chain name them.
 * Analytics only; the chain adapter computes transaction amounts exactly in bigint.
 */
import { positionAmounts, type PositionAmounts } from '../../math/positionValue.js';
import { tickToPrice } from '../../math/priceTick.js';

/** Amounts (raw units, float) held by `liquidity` on [tickLower, tickUpper] at raw `price`. */
export function rangeAmounts(liquidity: number, tickLower: number, tickUpper: number, price: number): PositionAmounts {
  return positionAmounts({ liquidity, priceLower: tickToPrice(tickLower), priceUpper: tickToPrice(tickUpper), price });
}
