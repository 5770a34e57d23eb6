import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AbiCoder, getAddress, hexlify } from 'ethers';
import { Actions, V4Planner } from '@uniswap/v4-sdk';
import {
  SwapEncodingError,
  UNIVERSAL_ROUTER_INTERFACE,
  UR_COMMANDS,
  V4_ROUTER_ACTIONS,
  encodeExecuteExactInSingle,
  encodeV4ExactInSingle,
  type ExactInSingleSwap,
} from '../../../src/adapters/chain/swap/universalRouterCommands.js';

const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
const poolKey = fc.record({ currency0: address, currency1: address, fee: fc.integer({ min: 0, max: (1 << 24) - 1 }), tickSpacing: fc.integer({ min: 1, max: 32767 }), hooks: address });
const swapArb: fc.Arbitrary<ExactInSingleSwap> = fc.record({ poolKey, zeroForOne: fc.boolean(), amountIn: u128, amountOutMinimum: u128, hookData: fc.uint8Array({ maxLength: 70 }).map((b) => hexlify(b)) });

/** The same three actions through the Uniswap v4-sdk planner (the reference encoder, UR 2.0 struct layout). */
function plannerEncoding(s: ExactInSingleSwap): string {
  const currencyIn = s.zeroForOne ? s.poolKey.currency0 : s.poolKey.currency1;
  const currencyOut = s.zeroForOne ? s.poolKey.currency1 : s.poolKey.currency0;
  const p = new V4Planner();
  p.addAction(Actions.SWAP_EXACT_IN_SINGLE, [{ poolKey: s.poolKey, zeroForOne: s.zeroForOne, amountIn: s.amountIn.toString(), amountOutMinimum: s.amountOutMinimum.toString(), hookData: s.hookData ?? '0x' }]);
  p.addAction(Actions.SETTLE_ALL, [currencyIn, s.amountIn.toString()]);
  p.addAction(Actions.TAKE_ALL, [currencyOut, s.amountOutMinimum.toString()]);
  return p.finalize();
}

describe('Universal Router V4_SWAP encoding', () => {
  it('action codes match v4-periphery Actions.sol (as the v4-sdk numbers them); V4_SWAP is 0x10', () => {
    for (const [name, code] of Object.entries(V4_ROUTER_ACTIONS)) expect(Actions[name as keyof typeof Actions]).toBe(code);
    expect(UR_COMMANDS.V4_SWAP).toBe(0x10);
  });

  it('the V4_SWAP input is byte-identical to the v4-sdk V4Planner for random swaps', () => {
    fc.assert(fc.property(swapArb, (s) => {
      expect(encodeV4ExactInSingle(s)).toBe(plannerEncoding(s));
    }), { numRuns: 300 });
  });

  it('execute calldata decodes back to one V4_SWAP command, its input and the deadline', () => {
    fc.assert(fc.property(swapArb, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (s, deadline) => {
      const [commands, inputs, d] = UNIVERSAL_ROUTER_INTERFACE.decodeFunctionData('execute', encodeExecuteExactInSingle(s, deadline));
      expect(commands).toBe('0x10');
      expect(inputs).toEqual([encodeV4ExactInSingle(s)]);
      expect(d).toBe(deadline);
      const [actions, params] = AbiCoder.defaultAbiCoder().decode(['bytes', 'bytes[]'], (inputs as string[])[0]!);
      expect(actions).toBe('0x060c0f');
      const [take] = [AbiCoder.defaultAbiCoder().decode(['address', 'uint256'], (params as string[])[2]!)];
      expect(take.toArray()).toEqual([s.zeroForOne ? s.poolKey.currency1 : s.poolKey.currency0, s.amountOutMinimum]);
    }), { numRuns: 100 });
  });

  it('rejects values outside their Solidity types with the field and value', () => {
    const key = { currency0: getAddress('0x' + '11'.repeat(20)), currency1: getAddress('0x' + '22'.repeat(20)), fee: 500, tickSpacing: 10, hooks: getAddress('0x' + '00'.repeat(20)) };
    expect(() => encodeV4ExactInSingle({ poolKey: key, zeroForOne: true, amountIn: 1n << 128n, amountOutMinimum: 0n })).toThrow(SwapEncodingError);
    expect(() => encodeV4ExactInSingle({ poolKey: key, zeroForOne: true, amountIn: 1n, amountOutMinimum: -1n })).toThrow(/amountOutMinimum = -1/);
    expect(() => encodeV4ExactInSingle({ poolKey: { ...key, hooks: '0x12' }, zeroForOne: true, amountIn: 1n, amountOutMinimum: 0n })).toThrow(/poolKey.hooks/);
    expect(() => encodeExecuteExactInSingle({ poolKey: key, zeroForOne: false, amountIn: 1n, amountOutMinimum: 0n }, -1n)).toThrow(/deadline/);
  });
});
