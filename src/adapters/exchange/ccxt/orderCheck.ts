/**
 * Market limits from ccxt's loaded markets (lot size, minimum amount, minimum notional, price
 * tick) as MarketInfo, which the shared pre-flight check (../orderCheck.ts) tests orders against.
 */
import type { Market } from 'ccxt';
import type { MarketInfo } from '../venue.js';

/** MarketInfo of a ccxt market (precision in TICK_SIZE mode, as binanceusdm and bybit use). */
export function marketInfoOf(m: NonNullable<Market>, fallbackMaxLeverage: number): MarketInfo {
  const amountStep = m.precision.amount ?? 0;
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    amountStep,
    minAmount: m.limits.amount?.min ?? amountStep,
    minNotional: m.limits.cost?.min ?? 0,
    priceStep: m.precision.price ?? 0,
    maxLeverage: m.limits.leverage?.max ?? fallbackMaxLeverage,
    // ccxt's listed taker rate (the account's tier may pay less; the venue's fills say what was paid)
    takerFee: m.taker ?? 0,
  };
}
