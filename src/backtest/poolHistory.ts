/**
 * The event-level history of one pool as the backtester replays it, whatever file it came from
 * (a demeter-fetch `.tick.csv`, or the JSON lines of `rangekeeper events`). Amounts are integers
 * in token atomic units, signed from the POOL's side as v3 logs write them: positive = paid into
 * the pool (the opposite of v4's swapper-side BalanceDelta, which the JSON lines reader flips).
 */

/** Where an event sits in the history: events replay in (block, logIndex) order. */
export interface HistoryPosition {
  block: number;
  logIndex: number;
  /** ms since the Unix epoch, when the source gives it (our JSON lines carry blocks only). */
  time: number | undefined;
}

/** A swap: the price, tick and in-range liquidity the pool had right after it. */
export interface HistorySwap extends HistoryPosition {
  kind: 'swap';
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96: bigint;
  liquidity: bigint;
  tick: number;
}

/** Liquidity added (mint) or removed (burn) by one position; `liquidity` is the size of the change, >= 0. */
export interface HistoryLiquidityChange extends HistoryPosition {
  kind: 'mint' | 'burn';
  /** Who owns it: an NFT token id, or `owner-tickLower-tickUpper` (and a salt on v4). */
  position: string;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  /** Principal paid in (mint) or released (burn); undefined when the source does not say (v4 logs). */
  amount0: bigint | undefined;
  amount1: bigint | undefined;
}

/** Tokens a position took out of the pool: principal released by earlier burns plus its fees. */
export interface HistoryCollect extends HistoryPosition {
  kind: 'collect';
  position: string;
  tickLower: number;
  tickUpper: number;
  amount0: bigint;
  amount1: bigint;
}

/** The pool's creation (v4 Initialize). */
export interface HistoryInitialize extends HistoryPosition {
  kind: 'initialize';
  sqrtPriceX96: bigint;
  tick: number;
  fee: number;
  tickSpacing: number;
}

/** A donation to the in-range liquidity (v4 Donate). */
export interface HistoryDonate extends HistoryPosition {
  kind: 'donate';
  amount0: bigint;
  amount1: bigint;
}

export type HistoryEvent = HistorySwap | HistoryLiquidityChange | HistoryCollect | HistoryInitialize | HistoryDonate;

/** Whether `a` comes strictly before `b` in the chain's order. */
export function isBefore(a: HistoryPosition, b: HistoryPosition): boolean {
  return a.block < b.block || (a.block === b.block && a.logIndex < b.logIndex);
}
