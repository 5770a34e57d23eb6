/**
 * The devnet's pool list for `devnet --pools N`: the default two first, then distinct fee × tick
 * spacing pairs (a v4 pool is its key: two pools of one pair over the same tokens cannot exist).
 */
import { describe, expect, it } from 'vitest';
import { DEVNET_POOLS, devnetPoolSpecs, MAX_DEVNET_POOLS } from '../../src/adapters/chain/devnet/pools.js';

describe('devnetPoolSpecs', () => {
  it('starts with the default pools and never repeats a key, up to the maximum', () => {
    expect(devnetPoolSpecs(2)).toEqual(DEVNET_POOLS);
    expect(devnetPoolSpecs(1)).toEqual(DEVNET_POOLS.slice(0, 1));
    const all = devnetPoolSpecs(MAX_DEVNET_POOLS);
    expect(all).toHaveLength(MAX_DEVNET_POOLS);
    expect(new Set(all.map((s) => `${s.fee}/${s.tickSpacing}`)).size).toBe(MAX_DEVNET_POOLS);
    expect(devnetPoolSpecs(30)).toEqual(all.slice(0, 30));
    for (const s of all) {
      expect(s.tickSpacing).toBeGreaterThanOrEqual(1);
      expect(s.tickSpacing).toBeLessThanOrEqual(60);
      expect(s.fee).toBeLessThan(1_000_000);
    }
  });

  it('refuses a count it cannot give', () => {
    for (const n of [0, -1, 1.5, MAX_DEVNET_POOLS + 1]) expect(() => devnetPoolSpecs(n)).toThrow(RangeError);
  });
});
