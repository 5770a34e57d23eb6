import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../../src/math/pool/errors.js';
import {
  type TickBitmap,
  compress,
  flipTick,
  isInitialized,
  nextInitializedTickWithinOneWord,
  position,
} from '../../../src/math/pool/tickBitmap.js';

/**
 * Reference for nextInitializedTickWithinOneWord written from its specification (a sorted set
 * and explicit word bounds), not from the bit tricks: the nearest initialized tick at or below
 * (lte) / strictly above (!lte) the compressed tick inside its 256-tick word, else the word edge.
 */
function reference(initialized: Set<number>, tick: number, tickSpacing: number, lte: boolean): { next: number; initialized: boolean } {
  const c = Math.floor(tick / tickSpacing);
  if (lte) {
    const wordStart = Math.floor(c / 256) * 256;
    for (let t = c; t >= wordStart; t--) if (initialized.has(t)) return { next: t * tickSpacing, initialized: true };
    return { next: wordStart * tickSpacing, initialized: false };
  }
  const start = c + 1;
  const wordEnd = Math.floor(start / 256) * 256 + 255;
  for (let t = start; t <= wordEnd; t++) if (initialized.has(t)) return { next: t * tickSpacing, initialized: true };
  return { next: wordEnd * tickSpacing, initialized: false };
}

describe('TickBitmap', () => {
  it('compress rounds toward negative infinity and position splits word/bit like the Solidity', () => {
    expect(compress(-1, 10)).toBe(-1);
    expect(compress(-10, 10)).toBe(-1);
    expect(compress(-11, 10)).toBe(-2);
    expect(compress(19, 10)).toBe(1);
    expect(position(-1)).toEqual({ wordPos: -1, bitPos: 255 });
    expect(position(256)).toEqual({ wordPos: 1, bitPos: 0 });
    expect(position(-257)).toEqual({ wordPos: -2, bitPos: 255 });
  });

  it('flipTick toggles one bit and rejects a misaligned tick with its value', () => {
    const bm: TickBitmap = new Map();
    flipTick(bm, -230, 10);
    expect(isInitialized(bm, -230, 10)).toBe(true);
    expect(bm.get(-1)).toBe(1n << 233n);
    flipTick(bm, -230, 10);
    expect(isInitialized(bm, -230, 10)).toBe(false);
    expect(bm.size).toBe(0);
    try {
      flipTick(bm, 15, 10);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PoolError);
      expect((e as PoolError).code).toBe('TickMisaligned');
      expect((e as PoolError).value).toEqual({ tick: 15, tickSpacing: 10 });
    }
  });

  it('stops at the word boundary when the word holds no initialized tick (Solidity test vectors)', () => {
    // ticks -200, -55, -4, 70, 78, 84, 139, 240, 535 with spacing 1, as in v4-core's TickBitmap tests
    const bm: TickBitmap = new Map();
    for (const t of [-200, -55, -4, 70, 78, 84, 139, 240, 535]) flipTick(bm, t, 1);
    expect(nextInitializedTickWithinOneWord(bm, 78, 1, false)).toEqual({ next: 84, initialized: true });
    expect(nextInitializedTickWithinOneWord(bm, -55, 1, false)).toEqual({ next: -4, initialized: true });
    expect(nextInitializedTickWithinOneWord(bm, 77, 1, false)).toEqual({ next: 78, initialized: true });
    expect(nextInitializedTickWithinOneWord(bm, 255, 1, false)).toEqual({ next: 511, initialized: false });
    expect(nextInitializedTickWithinOneWord(bm, 383, 1, false)).toEqual({ next: 511, initialized: false });
    expect(nextInitializedTickWithinOneWord(bm, 78, 1, true)).toEqual({ next: 78, initialized: true });
    expect(nextInitializedTickWithinOneWord(bm, 79, 1, true)).toEqual({ next: 78, initialized: true });
    expect(nextInitializedTickWithinOneWord(bm, 258, 1, true)).toEqual({ next: 256, initialized: false });
    expect(nextInitializedTickWithinOneWord(bm, 256, 1, true)).toEqual({ next: 256, initialized: false });
    expect(nextInitializedTickWithinOneWord(bm, 72, 1, true)).toEqual({ next: 70, initialized: true });
    expect(nextInitializedTickWithinOneWord(bm, -257, 1, true)).toEqual({ next: -512, initialized: false });
    expect(nextInitializedTickWithinOneWord(bm, 1023, 1, true)).toEqual({ next: 768, initialized: false });
    expect(nextInitializedTickWithinOneWord(bm, 900, 1, true)).toEqual({ next: 768, initialized: false });
  });

  it('agrees with a sorted-set reference for random bitmaps, spacings and ticks (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 10, 60, 200),
        fc.uniqueArray(fc.integer({ min: -1500, max: 1500 }), { maxLength: 40 }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.boolean(),
        (spacing, compressedTicks, compressedQuery, lte) => {
          const bm: TickBitmap = new Map();
          const set = new Set<number>();
          for (const c of compressedTicks) {
            flipTick(bm, c * spacing, spacing);
            set.add(c);
          }
          // query ticks both on and between multiples of the spacing
          const tick = compressedQuery * spacing + (compressedQuery % 3 === 0 ? 0 : Math.floor(spacing / 2));
          expect(nextInitializedTickWithinOneWord(bm, tick, spacing, lte)).toEqual(reference(set, tick, spacing, lte));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
