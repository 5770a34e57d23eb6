import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hexlify } from 'ethers';
import { decodePositionInfo, encodePositionInfo, poolIdMatchesPrefix, PositionInfoDecodeError } from '../../../src/adapters/chain/positions/positionInfo.js';

const int24 = fc.integer({ min: -(1 << 23), max: (1 << 23) - 1 });
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hexlify(b));

describe('PositionInfo packing', () => {
  it('decodes what PositionInfoLibrary.initialize packs, for any pool id and int24 ticks', () => {
    fc.assert(fc.property(bytes32, int24, int24, fc.boolean(), (poolId, tickLower, tickUpper, hasSubscriber) => {
      const info = encodePositionInfo({ poolId, tickLower, tickUpper, hasSubscriber });
      const d = decodePositionInfo(info);
      expect(d.tickLower).toBe(tickLower);
      expect(d.tickUpper).toBe(tickUpper);
      expect(d.hasSubscriber).toBe(hasSubscriber);
      expect(d.poolIdPrefix).toBe(poolId.slice(0, 52));
      expect(poolIdMatchesPrefix(poolId, d.poolIdPrefix)).toBe(true);
    }), { numRuns: 1000 });
  });

  it('reads the bit layout of the library: poolId | tickUpper | tickLower | subscriber', () => {
    // 200-bit prefix 0xab..ab, tickUpper = -1 (0xffffff), tickLower = 60 (0x00003c), subscriber = 1
    const info = BigInt('0x' + 'ab'.repeat(25) + 'ffffff' + '00003c' + '01');
    expect(decodePositionInfo(info)).toEqual({ poolIdPrefix: '0x' + 'ab'.repeat(25), tickUpper: -1, tickLower: 60, hasSubscriber: true });
    expect(decodePositionInfo(0n)).toEqual({ poolIdPrefix: '0x' + '00'.repeat(25), tickUpper: 0, tickLower: 0, hasSubscriber: false });
  });

  it('rejects values that are not a uint256', () => {
    expect(() => decodePositionInfo(-1n)).toThrow(PositionInfoDecodeError);
    expect(() => decodePositionInfo(1n << 256n)).toThrow(PositionInfoDecodeError);
  });
});
