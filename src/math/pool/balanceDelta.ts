import { toInt128 } from './safeCast.js';

/**
 * A BalanceDelta as PoolManager accounts it, from the caller's point of view: negative = the
 * caller owes (pays in) that amount, positive = the caller receives it. Both fields are int128.
 */
export interface BalanceDelta {
  readonly amount0: bigint;
  readonly amount1: bigint;
}

/** The zero delta. */
export const ZERO_DELTA: BalanceDelta = Object.freeze({ amount0: 0n, amount1: 0n });

/** toBalanceDelta: packs two int128 amounts, throwing PoolError('SafeCastOverflow') if either does not fit. */
export function toBalanceDelta(amount0: bigint, amount1: bigint): BalanceDelta {
  return { amount0: toInt128(amount0), amount1: toInt128(amount1) };
}

/** BalanceDelta `+`: checked int128 addition of each side, as the Solidity operator does. */
export function addBalanceDelta(a: BalanceDelta, b: BalanceDelta): BalanceDelta {
  return toBalanceDelta(a.amount0 + b.amount0, a.amount1 + b.amount1);
}
