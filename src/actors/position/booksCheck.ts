/**
 * What a PositionActor must never act on: books that cannot be right. A negative held amount, a
 * wallet holding less of a pool token than the pools' books say (funds left it outside the agent,
 * or gas paid from a native-ETH pool's float), a value, delta or price that is
 * not a finite number, or a value of zero or less while a position is live. Each is answered by a
 * halt with this reason and an alert, never by a throw (a throw restarts the actor from the same
 * books and crashes it again: a crash loop).
 */

/** The fields of a PositionState the check reads. */
export interface CheckedBooks {
  held: { amount0: string; amount1: string };
  /** How much less of each token the wallet holds than the books say (absent or '0': enough). */
  walletShortfall?: { amount0: string; amount1: string };
  valueUsd: number;
  delta: number;
  price: number;
  position: { liquidity: string } | null;
}

/** The reason the books are impossible, or null when they are plausible. */
export function impossibleBooks(s: CheckedBooks, token0: string, token1: string): string | null {
  const h0 = BigInt(s.held.amount0);
  const h1 = BigInt(s.held.amount1);
  if (h0 < 0n) return `books: the strategy holds a negative amount of ${token0} (${h0} raw units): the books went below zero`;
  if (h1 < 0n) return `books: the strategy holds a negative amount of ${token1} (${h1} raw units): the books went below zero`;
  const short0 = BigInt(s.walletShortfall?.amount0 ?? '0');
  const short1 = BigInt(s.walletShortfall?.amount1 ?? '0');
  if (short0 > 0n) return `books: the wallet holds ${short0} raw units of ${token0} less than the books say: funds left it outside the agent`;
  if (short1 > 0n) return `books: the wallet holds ${short1} raw units of ${token1} less than the books say: funds left it outside the agent`;
  if (!(s.price > 0)) return null; // nothing measured yet
  if (!Number.isFinite(s.valueUsd)) return `books: position value is not a number (${s.valueUsd})`;
  if (!Number.isFinite(s.delta)) return `books: delta is not a number (${s.delta})`;
  if (s.position !== null && BigInt(s.position.liquidity) > 0n && s.valueUsd <= 0) return `books: position value is ${s.valueUsd} USD with a live position`;
  return null;
}
