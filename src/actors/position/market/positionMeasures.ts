/**
 * The market-dependent measures of a PositionActor's state, recomputed at each observation: LVR
 * (rate and running sum, lvrAccount.ts), gamma beside delta (assetGamma.ts), capital efficiency
 * (measured time in range and share of value earning, positionFeeYield.ts; until measured, the
 * current share) and the market summary. Pure apart from feeding `market` the position's sample.
 */
import type { PoolDescriptor } from '../../ports.js';
import { humanToRawPrice } from '../../../math/priceTick.js';
import { assetGamma } from './assetGamma.js';
import { accrueLvr, lvrRateUsdPerDay, type PositionLvr } from './lvrAccount.js';
import type { PositionMarket, PositionMarketState } from './positionMarket.js';

export interface PositionEfficiency {
  /** Share of the time since the range opened that the price was in it (null: not measured yet). */
  timeInRange: number | null;
  /** Share of the position's value in liquidity that earns fees now (0 out of range). */
  earningShare: number;
  /** Time-averaged earning share (measured), else the current one: what the capital-efficiency trigger compares. */
  capitalEfficiency: number;
  source: 'measured' | 'current';
}

export interface MeasuresInput {
  pool: PoolDescriptor;
  /** Human pool price and tick. */
  price: number;
  tick: number;
  position: { tokenId: string; tickLower: number; tickUpper: number; liquidity: string } | null;
  valueUsd: number;
  /** USD value of the liquidity itself (the position's amounts, no idle tokens or fees). */
  earningUsd: number;
  feesEarned: number;
  lvr: PositionLvr | null | undefined;
  now: number;
  annualVolatility: number;
  /** USD of one raw unit of token1 at the current price. */
  usdPerRawToken1: number;
  market: PositionMarket | null;
  /** The last decision's current-range APY. */
  apy: { value: number; source: 'measured' | 'configured' } | null;
}

export interface PositionMeasures {
  lvr: PositionLvr;
  gamma: number;
  efficiency: PositionEfficiency;
  market: PositionMarketState | null;
}

export function positionMeasures(i: MeasuresInput): PositionMeasures {
  const pos = i.position;
  const rawPrice = humanToRawPrice(i.price, i.pool.token0.decimals, i.pool.token1.decimals);
  const inRange = pos !== null && i.tick >= pos.tickLower && i.tick < pos.tickUpper;
  const L = pos === null ? 0 : Number(BigInt(pos.liquidity));
  const rate = pos === null ? 0 : lvrRateUsdPerDay({ liquidity: L, tickLower: pos.tickLower, tickUpper: pos.tickUpper, rawPrice, annualVolatility: i.annualVolatility, usdPerRawToken1: i.usdPerRawToken1 });
  const gamma = pos === null ? 0 : assetGamma({ liquidity: L, tickLower: pos.tickLower, tickUpper: pos.tickUpper, rawPrice, assetIsToken0: i.pool.assetIsToken0, decimals0: i.pool.token0.decimals, decimals1: i.pool.token1.decimals });
  const earningShare = inRange && i.valueUsd > 0 ? Math.min(1, i.earningUsd / i.valueUsd) : 0;
  if (pos !== null && i.market !== null) {
    i.market.observePosition(pos.tokenId, { at: i.now, feesUsd: i.feesEarned, valueUsd: i.valueUsd, earningUsd: i.earningUsd, inRange });
  }
  const own = i.market?.positionYield() ?? null;
  return {
    lvr: accrueLvr(i.lvr, rate, i.now, i.feesEarned),
    gamma,
    efficiency: own === null
      ? { timeInRange: null, earningShare, capitalEfficiency: earningShare, source: 'current' }
      : { timeInRange: own.timeInRange, earningShare, capitalEfficiency: own.capitalEfficiency, source: 'measured' },
    market: i.market?.summary(i.apy) ?? null,
  };
}
