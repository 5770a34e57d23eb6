import { createRequire } from 'node:module';
import fc from 'fast-check';
import { getAddress, ZeroAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { InvalidPoolKeyError } from '../../../src/adapters/chain/errors.js';
import { makePoolKey, poolIdOf, sortCurrencies } from '../../../src/adapters/chain/poolId.js';

// The v4-sdk ESM build does not load under Node ESM; its CJS build does.
const require = createRequire(import.meta.url);
const { Pool } = require('@uniswap/v4-sdk') as { Pool: { getPoolId(a: unknown, b: unknown, fee: number, ts: number, hooks: string): string } };
const { Token, Ether } = require('@uniswap/sdk-core') as { Token: new (chain: number, addr: string, dec: number) => unknown; Ether: { onChain(c: number): unknown } };

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress('0x' + Buffer.from(b).toString('hex')));

describe('poolIdOf', () => {
  it('equals the v4-sdk PoolId for random keys, whatever order the currencies come in', () => {
    fc.assert(fc.property(address, address, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 32767 }), address, (a, b, fee, ts, hooks) => {
      fc.pre(a.toLowerCase() !== b.toLowerCase());
      const ours = poolIdOf(makePoolKey(b, a, fee, ts, hooks));
      const sdk = Pool.getPoolId(new Token(1, a, 18), new Token(1, b, 18), fee, ts, hooks);
      expect(ours).toBe(sdk.toLowerCase());
    }), { numRuns: 300 });
  });

  it('puts native ETH (address 0) first, as the SDK does', () => {
    const usdc = getAddress('0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48');
    const key = makePoolKey(usdc, ZeroAddress, 500, 10);
    expect(key.currency0).toBe(ZeroAddress);
    expect(poolIdOf(key)).toBe(Pool.getPoolId(Ether.onChain(1), new Token(1, usdc, 6), 500, 10, ZeroAddress).toLowerCase());
  });

  it('rejects unsorted or equal currencies and out-of-range fee / tick spacing', () => {
    const a = getAddress('0x' + '11'.repeat(20));
    const b = getAddress('0x' + '22'.repeat(20));
    expect(() => poolIdOf({ currency0: b, currency1: a, fee: 500, tickSpacing: 10, hooks: ZeroAddress })).toThrow(InvalidPoolKeyError);
    expect(() => sortCurrencies(a, a.toLowerCase())).toThrow(InvalidPoolKeyError);
    expect(() => makePoolKey(a, b, 1_000_001, 10)).toThrow(InvalidPoolKeyError);
    expect(() => makePoolKey(a, b, 500, 0)).toThrow(InvalidPoolKeyError);
    expect(makePoolKey(a, b, 0x800000, 60).fee).toBe(0x800000);
  });
});
