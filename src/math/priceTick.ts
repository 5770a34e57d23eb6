/**
 * Price <-> tick conversions in float64, for analytics and policies (not for on-chain values:
 * the exact bigint TickMath lives beside this file).
 *
 * Conventions: the raw price P is token1 per token0 in raw (smallest) units, P = 1.0001^tick.
 * The human price applies the decimals: human = raw * 10^(decimals0 - decimals1), i.e. whole
 * token1 per whole token0.
 */
import { AnalyticsInputError, requireFinite, requireInteger, requireInRange, requirePositive } from './analyticsInput.js';
import { MAX_SQRT_PRICE, MAX_TICK, MIN_SQRT_PRICE, MIN_TICK } from './tickMath.js';

const Q96 = 2 ** 96;
/** ln(1.0001), correctly rounded (Math.log(1.0001) is ~1e-13 off: the literal 1.0001 is not exact). */
export const LOG_TICK_BASE = 9.999500033330834e-5;
/**
 * ln(1.0001 / b) where b is the double nearest 1.0001 (b = 1.0001 - 1.1e-17): pow(b, tick) alone
 * drifts by tick * 1.1e-17 relative (1e-11 at the extreme ticks); multiplying by
 * exp(tick * this) corrects it to a few ulps.
 */
const TICK_BASE_CORRECTION = 1.1012311173164237e-17;

/** Raw price (token1 raw units per token0 raw unit) at `tick`: 1.0001^tick. */
export function tickToPrice(tick: number): number {
  requireInteger('tick', tick);
  requireInRange('tick', tick, MIN_TICK, MAX_TICK);
  return powTickBase(tick);
}

/** 1.0001^tick to a few ulps, for any finite tick (also fractional tick differences). */
function powTickBase(tick: number): number {
  return Math.pow(1.0001, tick) * Math.exp(tick * TICK_BASE_CORRECTION);
}

/** Price ratio 1.0001^ticks for a (possibly fractional or out-of-bounds) tick distance. */
export function tickDistanceToPriceRatio(ticks: number): number {
  requireFinite('ticks', ticks);
  return powTickBase(ticks);
}

/**
 * The tick whose price range contains `price`: the largest tick t with tickToPrice(t) <= price
 * (floor, as Uniswap's getTickAtSqrtPrice). Throws if the price lies outside the valid ticks.
 */
export function priceToTick(price: number): number {
  requirePositive('price', price);
  let tick = Math.floor(Math.log(price) / LOG_TICK_BASE);
  // The logarithm may land one tick off when price sits on a tick boundary: fix against
  // tickToPrice itself, so the two functions are consistent.
  if (powTickBase(tick + 1) <= price) tick += 1;
  else if (powTickBase(tick) > price) tick -= 1;
  if (tick < MIN_TICK || tick > MAX_TICK) {
    throw new AnalyticsInputError('OUT_OF_RANGE', 'price', price, 'lies outside the valid tick range');
  }
  return tick;
}

function requireDecimals(field: string, decimals: number): number {
  requireInteger(field, decimals);
  return requireInRange(field, decimals, 0, 255);
}

/** Human price (whole token1 per whole token0) from a raw price: raw * 10^(decimals0 - decimals1). */
export function rawToHumanPrice(rawPrice: number, decimals0: number, decimals1: number): number {
  requirePositive('rawPrice', rawPrice);
  requireDecimals('decimals0', decimals0);
  requireDecimals('decimals1', decimals1);
  return rawPrice * Math.pow(10, decimals0 - decimals1);
}

/** Raw price from a human price: human * 10^(decimals1 - decimals0). */
export function humanToRawPrice(humanPrice: number, decimals0: number, decimals1: number): number {
  requirePositive('humanPrice', humanPrice);
  requireDecimals('decimals0', decimals0);
  requireDecimals('decimals1', decimals1);
  return humanPrice * Math.pow(10, decimals1 - decimals0);
}

/** Human price at `tick` for tokens with the given decimals. */
export function tickToHumanPrice(tick: number, decimals0: number, decimals1: number): number {
  return rawToHumanPrice(tickToPrice(tick), decimals0, decimals1);
}

/** Tick (floor) containing a human price for tokens with the given decimals. */
export function humanPriceToTick(humanPrice: number, decimals0: number, decimals1: number): number {
  return priceToTick(humanToRawPrice(humanPrice, decimals0, decimals1));
}

/**
 * Raw price from a pool's sqrtPriceX96 (Q64.96): (sqrtPriceX96 / 2^96)^2, in float64 (relative
 * error ~1e-16). Throws if sqrtPriceX96 lies outside v4's [MIN_SQRT_PRICE, MAX_SQRT_PRICE].
 */
export function sqrtPriceX96ToPrice(sqrtPriceX96: bigint): number {
  if (typeof sqrtPriceX96 !== 'bigint' || sqrtPriceX96 < MIN_SQRT_PRICE || sqrtPriceX96 > MAX_SQRT_PRICE) {
    throw new AnalyticsInputError(
      'OUT_OF_RANGE', 'sqrtPriceX96', sqrtPriceX96, 'must be a bigint within [MIN_SQRT_PRICE, MAX_SQRT_PRICE]');
  }
  const sqrtPrice = Number(sqrtPriceX96) / Q96;
  return sqrtPrice * sqrtPrice;
}

/** The lowest and highest initializable ticks for a pool's tickSpacing. */
export interface UsableTickBounds {
  minUsableTick: number;
  maxUsableTick: number;
}

/** Usable tick bounds for `tickSpacing` (1..32767): multiples of the spacing inside [MIN_TICK, MAX_TICK]. */
export function usableTickBounds(tickSpacing: number): UsableTickBounds {
  requireInteger('tickSpacing', tickSpacing);
  requireInRange('tickSpacing', tickSpacing, 1, 32767);
  return {
    minUsableTick: Math.ceil(MIN_TICK / tickSpacing) * tickSpacing,
    maxUsableTick: Math.floor(MAX_TICK / tickSpacing) * tickSpacing,
  };
}
