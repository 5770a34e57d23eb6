/**
 * What a PositionActor must never act on: books that cannot be right. A negative held amount (the
 * wallet holds less of a pool token than the pool's baseline: funds left the wallet outside the
 * agent, gas in a native-ETH pool, or two pools share a token), a value, delta or price that is
 * not a finite number, or a value of zero or less while a position is live. Each is answered by a
 * halt with this reason and an alert, never by a throw (a throw restarts the actor from the same
 * books and crashes it again: a crash loop).
 */

/** The fields of a PositionState the check reads. */
export interface CheckedBooks {
  held: { amount0: string; amount1: string };
  valueUsd: number;
  delta: number;
  price: number;
  position: { liquidity: string } | null;
}

/** The reason the books are impossible, or null when they are plausible. */
export function impossibleBooks(s: CheckedBooks, token0: string, token1: string): string | null {
  const h0 = BigInt(s.held.amount0);
  const h1 = BigInt(s.held.amount1);
  if (h0 < 0n) return `books: the strategy holds a negative amount of ${token0} (${h0} raw units): the wallet holds less than its baseline`;
  if (h1 < 0n) return `books: the strategy holds a negative amount of ${token1} (${h1} raw units): the wallet holds less than its baseline`;
  if (!(s.price > 0)) return null; // nothing measured yet
  if (!Number.isFinite(s.valueUsd)) return `books: position value is not a number (${s.valueUsd})`;
  if (!Number.isFinite(s.delta)) return `books: delta is not a number (${s.delta})`;
  if (s.position !== null && BigInt(s.position.liquidity) > 0n && s.valueUsd <= 0) return `books: position value is ${s.valueUsd} USD with a live position`;
  return null;
}
