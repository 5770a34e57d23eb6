import { MAX_INT128, MIN_INT128 } from '../fixedPoint.js';
import { PoolError } from './errors.js';

/**
 * SafeCast.toInt128: returns `x` if it fits an int128, otherwise throws
 * PoolError('SafeCastOverflow') carrying `x` (the chain reverts there).
 */
export function toInt128(x: bigint): bigint {
  if (x < MIN_INT128 || x > MAX_INT128) throw new PoolError('SafeCastOverflow', x, `${x} does not fit int128`);
  return x;
}
