/**
 * A small seeded pseudo-random generator (mulberry32) for reproducible bootstraps, simulations
 * and tests. Not for anything secret.
 */
import { requireInteger, requirePositive } from './analyticsInput.js';

/** A deterministic random source. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n), n a positive integer. */
  nextInt(n: number): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  nextNormal(): number;
}

/** Creates a generator from a 32-bit integer seed; the same seed gives the same sequence. */
export function createSeededRandom(seed: number): SeededRandom {
  requireInteger('seed', seed);
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt(n: number): number {
      requireInteger('n', n);
      requirePositive('n', n);
      return Math.floor(next() * n);
    },
    nextNormal(): number {
      const u1 = 1 - next(); // (0, 1]
      const u2 = next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
  };
}
