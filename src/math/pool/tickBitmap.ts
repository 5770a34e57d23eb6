import { leastSignificantBit, mostSignificantBit } from '../bitMath.js';
import { PoolError } from './errors.js';

/**
 * TickBitmap.sol: one bit per tickSpacing-compressed tick, 256 ticks per word, words keyed by
 * int16 word position. An absent word is 0.
 */
export type TickBitmap = Map<number, bigint>;

const MASK_256 = (1n << 256n) - 1n;
/** LTE_MASKS[b] = all the 1s at or to the right of bit b = type(uint256).max >> (255 - b). */
const LTE_MASKS: readonly bigint[] = Array.from({ length: 256 }, (_, b) => (1n << BigInt(b + 1)) - 1n);
/** GT_MASKS[b] = all the 1s at or to the left of bit b = ~((1 << b) - 1). */
const GT_MASKS: readonly bigint[] = Array.from({ length: 256 }, (_, b) => MASK_256 ^ ((1n << BigInt(b)) - 1n));
const BITS: readonly bigint[] = Array.from({ length: 256 }, (_, b) => 1n << BigInt(b));

/** TickBitmap.compress: tick / tickSpacing rounded toward negative infinity. */
export function compress(tick: number, tickSpacing: number): number {
  return Math.floor(tick / tickSpacing);
}

/** TickBitmap.position: the word (tick >> 8, arithmetic) and bit (tick & 0xff) of a compressed tick. */
export function position(tick: number): { wordPos: number; bitPos: number } {
  return { wordPos: tick >> 8, bitPos: tick & 0xff };
}

/**
 * TickBitmap.flipTick: toggles the bit of `tick`. Throws PoolError('TickMisaligned') with the
 * tick and spacing when the tick is not a multiple of tickSpacing.
 */
export function flipTick(self: TickBitmap, tick: number, tickSpacing: number): void {
  if (tick % tickSpacing !== 0) throw new PoolError('TickMisaligned', { tick, tickSpacing });
  const compressed = tick / tickSpacing;
  const wordPos = compressed >> 8;
  const word = (self.get(wordPos) ?? 0n) ^ BITS[compressed & 0xff]!;
  if (word === 0n) self.delete(wordPos);
  else self.set(wordPos, word);
}

/** Whether `tick` (a multiple of tickSpacing) has its bit set. */
export function isInitialized(self: TickBitmap, tick: number, tickSpacing: number): boolean {
  const compressed = compress(tick, tickSpacing);
  const word = self.get(compressed >> 8);
  return word !== undefined && (word & BITS[compressed & 0xff]!) !== 0n;
}

/** Result of nextInitializedTickWithinOneWord: the next tick and whether its bit is set. */
export interface NextInitializedTick {
  next: number;
  initialized: boolean;
}

/**
 * TickBitmap.nextInitializedTickWithinOneWord: the next initialized tick at or left of `tick`
 * (lte) or strictly right of it (!lte), looking only inside one 256-bit word; when none is
 * there it returns the word's boundary tick with initialized = false. Swaps step through these
 * boundaries, which is why a swap's steps (and its rounding) depend on the word layout.
 */
export function nextInitializedTickWithinOneWord(
  self: TickBitmap,
  tick: number,
  tickSpacing: number,
  lte: boolean,
): NextInitializedTick {
  let compressed = compress(tick, tickSpacing);
  if (lte) {
    const wordPos = compressed >> 8;
    const bitPos = compressed & 0xff;
    const word = self.get(wordPos);
    const masked = word === undefined ? 0n : word & LTE_MASKS[bitPos]!;
    if (masked !== 0n) {
      return { next: (compressed - (bitPos - mostSignificantBit(masked))) * tickSpacing, initialized: true };
    }
    return { next: (compressed - bitPos) * tickSpacing, initialized: false };
  }
  compressed += 1;
  const wordPos = compressed >> 8;
  const bitPos = compressed & 0xff;
  const word = self.get(wordPos);
  const masked = word === undefined ? 0n : word & GT_MASKS[bitPos]!;
  if (masked !== 0n) {
    return { next: (compressed + (leastSignificantBit(masked) - bitPos)) * tickSpacing, initialized: true };
  }
  return { next: (compressed + (255 - bitPos)) * tickSpacing, initialized: false };
}
