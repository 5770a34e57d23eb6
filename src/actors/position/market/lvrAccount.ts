/**
 * Loss-versus-rebalancing of a position, in USD: the current rate (σ²·L·√P/4 per year in raw
 * token1, src/math/lvr.ts, while in range; 0 outside), per day, and its running sum since the
 * first deposit, accrued at the rate in force over each interval (left point: the rate set at one
 * observation holds until the next). fees/LVR is fees earned over the same span divided by that
 * sum: above 1 the pool's fees pay for what arbitrageurs take.
 */
import { lvrRate } from '../../../math/lvr.js';
import { tickToPrice } from '../../../math/priceTick.js';

export interface PositionLvr {
  rateUsdPerDay: number;
  cumulativeUsd: number;
  /** feesEarned / cumulativeUsd; null while nothing has accrued. */
  feesOverLvr: number | null;
  /** When the rate was last set (agent clock, ms). */
  at: number;
}

export interface LvrRateInput {
  liquidity: number;
  tickLower: number;
  tickUpper: number;
  /** Raw price, token1 per token0. */
  rawPrice: number;
  annualVolatility: number;
  /** USD of one raw unit of token1. */
  usdPerRawToken1: number;
}

/** The LVR rate in USD per day (0 out of range or without liquidity). */
export function lvrRateUsdPerDay(i: LvrRateInput): number {
  if (!(i.liquidity > 0) || !(i.rawPrice > 0)) return 0;
  const perYear = lvrRate({ liquidity: i.liquidity, priceLower: tickToPrice(i.tickLower), priceUpper: tickToPrice(i.tickUpper), price: i.rawPrice, sigma: i.annualVolatility });
  return (perYear / 365) * i.usdPerRawToken1;
}

/** Accrues the previous rate up to `now` and sets the new one. */
export function accrueLvr(prev: PositionLvr | undefined | null, rateUsdPerDay: number, now: number, feesEarnedUsd: number): PositionLvr {
  const cumulativeUsd = prev === undefined || prev === null ? 0 : prev.cumulativeUsd + prev.rateUsdPerDay * Math.max(0, now - prev.at) / 86_400_000;
  return { rateUsdPerDay, cumulativeUsd, feesOverLvr: cumulativeUsd > 0 ? feesEarnedUsd / cumulativeUsd : null, at: now };
}
