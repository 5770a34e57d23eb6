/**
 * Configuration of the paper exchange, validated with zod at construction. Numbers only: the
 * reference price stream, the clock and a time-varying funding rate are passed beside it
 * (see PaperExchangeDeps in paperExchange.ts).
 */
import { z } from 'zod';

export const PaperMarketSchema = z.object({
  /** Unified symbol, e.g. "ETH/USDT:USDT". */
  symbol: z.string().min(1),
  base: z.string().min(1),
  quote: z.string().min(1).default('USDT'),
  /** Optional starting mark price (quote per base); without one, orders wait for a price. */
  price: z.number().positive().optional(),
  amountStep: z.number().positive().default(0.001),
  minAmount: z.number().nonnegative().default(0.001),
  minNotional: z.number().nonnegative().default(5),
  priceStep: z.number().positive().default(0.01),
  maxLeverage: z.number().positive().default(50),
  /** Funding rate per interval for this symbol (overrides the venue default). */
  fundingRate: z.number().finite().optional(),
});
export type PaperMarketConfig = z.input<typeof PaperMarketSchema>;

export const PaperExchangeOptionsSchema = z.object({
  /** Venue account id reported by `venue.id`. */
  id: z.string().min(1).default('paper'),
  /** Starting cash, quote units (USDT). */
  balance: z.number().finite().nonnegative(),
  currency: z.string().min(1).default('USDT'),
  symbols: z.array(PaperMarketSchema).min(1),
  /** Taker fee in basis points of the fill notional. */
  takerFeeBps: z.number().nonnegative().default(5),
  /** Slippage in basis points against the taker (buys fill above, sells below the reference). */
  slippageBps: z.number().nonnegative().default(2),
  /** Leverage of a symbol until setLeverage is called. */
  defaultLeverage: z.number().positive().default(3),
  /** Maintenance margin rate used only for the liquidation price estimate. */
  maintenanceMarginRate: z.number().nonnegative().lt(1).default(0.005),
  /** Funding interval in ms (default 8 h); funding settles at every multiple of it since the epoch. */
  fundingIntervalMs: z.number().int().positive().default(8 * 3600 * 1000),
  /** Default funding rate per interval (0.0001 = 0.01%), positive: longs pay shorts. */
  fundingRate: z.number().finite().default(0.0001),
});
export type PaperExchangeOptions = z.input<typeof PaperExchangeOptionsSchema>;
export type PaperExchangeConfig = z.output<typeof PaperExchangeOptionsSchema>;
