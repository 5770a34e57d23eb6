import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AbiCoder, getAddress, hexlify } from 'ethers';
import { Actions, V4Planner } from '@uniswap/v4-sdk';
import {
  ACTIONS,
  ActionEncodingError,
  MODIFY_LIQUIDITIES_INTERFACE,
  encodeModifyLiquidities,
  encodeUnlockData,
  type PositionAction,
} from '../../../src/adapters/chain/positions/actions.js';

const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
const int24 = fc.integer({ min: -(1 << 23), max: (1 << 23) - 1 });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
const bytes = fc.uint8Array({ maxLength: 70 }).map((b) => hexlify(b));
const poolKey = fc.record({ currency0: address, currency1: address, fee: fc.integer({ min: 0, max: (1 << 24) - 1 }), tickSpacing: fc.integer({ min: 1, max: 32767 }), hooks: address });

const action: fc.Arbitrary<PositionAction> = fc.oneof(
  fc.record({ type: fc.constant('MINT_POSITION' as const), poolKey, tickLower: int24, tickUpper: int24, liquidity: u256, amount0Max: u128, amount1Max: u128, owner: address, hookData: bytes }),
  fc.record({ type: fc.constant('INCREASE_LIQUIDITY' as const), tokenId: u256, liquidity: u256, amount0Max: u128, amount1Max: u128, hookData: bytes }),
  fc.record({ type: fc.constant('DECREASE_LIQUIDITY' as const), tokenId: u256, liquidity: u256, amount0Min: u128, amount1Min: u128, hookData: bytes }),
  fc.record({ type: fc.constant('BURN_POSITION' as const), tokenId: u256, amount0Min: u128, amount1Min: u128, hookData: bytes }),
  fc.record({ type: fc.constant('SETTLE_PAIR' as const), currency0: address, currency1: address }),
  fc.record({ type: fc.constant('TAKE_PAIR' as const), currency0: address, currency1: address, recipient: address }),
  fc.record({ type: fc.constant('CLOSE_CURRENCY' as const), currency: address }),
  fc.record({ type: fc.constant('SWEEP' as const), currency: address, recipient: address }),
);

/** The same action through the Uniswap v4-sdk planner (the reference encoder). */
function addToPlanner(p: V4Planner, a: PositionAction): void {
  const s = (v: bigint): string => v.toString();
  switch (a.type) {
    case 'MINT_POSITION': p.addAction(Actions.MINT_POSITION, [a.poolKey, a.tickLower, a.tickUpper, s(a.liquidity), s(a.amount0Max), s(a.amount1Max), a.owner, a.hookData ?? '0x']); break;
    case 'INCREASE_LIQUIDITY': p.addAction(Actions.INCREASE_LIQUIDITY, [s(a.tokenId), s(a.liquidity), s(a.amount0Max), s(a.amount1Max), a.hookData ?? '0x']); break;
    case 'DECREASE_LIQUIDITY': p.addAction(Actions.DECREASE_LIQUIDITY, [s(a.tokenId), s(a.liquidity), s(a.amount0Min), s(a.amount1Min), a.hookData ?? '0x']); break;
    case 'BURN_POSITION': p.addAction(Actions.BURN_POSITION, [s(a.tokenId), s(a.amount0Min), s(a.amount1Min), a.hookData ?? '0x']); break;
    case 'SETTLE_PAIR': p.addAction(Actions.SETTLE_PAIR, [a.currency0, a.currency1]); break;
    case 'TAKE_PAIR': p.addAction(Actions.TAKE_PAIR, [a.currency0, a.currency1, a.recipient]); break;
    case 'CLOSE_CURRENCY': p.addAction(Actions.CLOSE_CURRENCY, [a.currency]); break;
    case 'SWEEP': p.addAction(Actions.SWEEP, [a.currency, a.recipient]); break;
  }
}

describe('PositionManager action encoding', () => {
  it('action codes match v4-periphery Actions.sol (as the v4-sdk numbers them)', () => {
    for (const [name, code] of Object.entries(ACTIONS)) expect(Actions[name as keyof typeof Actions]).toBe(code);
  });

  it('unlockData is byte-identical to the v4-sdk V4Planner for random action lists', () => {
    fc.assert(fc.property(fc.array(action, { minLength: 1, maxLength: 6 }), (actions) => {
      const planner = new V4Planner();
      for (const a of actions) addToPlanner(planner, a);
      expect(encodeUnlockData(actions)).toBe(planner.finalize());
    }), { numRuns: 300 });
  });

  it('modifyLiquidities calldata decodes back to the actions and deadline', () => {
    const key = { currency0: getAddress('0x' + '11'.repeat(20)), currency1: getAddress('0x' + '22'.repeat(20)), fee: 500, tickSpacing: 10, hooks: getAddress('0x' + '00'.repeat(20)) };
    const actions: PositionAction[] = [
      { type: 'DECREASE_LIQUIDITY', tokenId: 7n, liquidity: 1000n, amount0Min: 1n, amount1Min: 2n },
      { type: 'BURN_POSITION', tokenId: 7n, amount0Min: 0n, amount1Min: 0n },
      { type: 'MINT_POSITION', poolKey: key, tickLower: -200, tickUpper: 100, liquidity: 999n, amount0Max: 5n, amount1Max: 6n, owner: key.currency1 },
      { type: 'CLOSE_CURRENCY', currency: key.currency0 },
      { type: 'CLOSE_CURRENCY', currency: key.currency1 },
    ];
    const data = encodeModifyLiquidities(actions, 1_700_000_000n);
    const [unlockData, deadline] = MODIFY_LIQUIDITIES_INTERFACE.decodeFunctionData('modifyLiquidities', data);
    expect(deadline).toBe(1_700_000_000n);
    const [codes, params] = AbiCoder.defaultAbiCoder().decode(['bytes', 'bytes[]'], unlockData as string);
    expect(codes).toBe('0x0103021212');
    const mint = AbiCoder.defaultAbiCoder().decode(['tuple(address,address,uint24,int24,address)', 'int24', 'int24', 'uint256', 'uint128', 'uint128', 'address', 'bytes'], (params as string[])[2]!);
    expect(mint.toArray().slice(1, 7)).toEqual([-200n, 100n, 999n, 5n, 6n, key.currency1]);
  });

  it('rejects values outside their Solidity types with the field and value', () => {
    const bad: PositionAction = { type: 'INCREASE_LIQUIDITY', tokenId: 1n, liquidity: 1n, amount0Max: 1n << 128n, amount1Max: 0n };
    expect(() => encodeUnlockData([bad])).toThrow(ActionEncodingError);
    try { encodeUnlockData([bad]); } catch (e) {
      expect(e).toMatchObject({ action: 'INCREASE_LIQUIDITY', field: 'amount0Max', value: 1n << 128n });
    }
    expect(() => encodeUnlockData([{ type: 'SWEEP', currency: 'nope', recipient: '0x' + '00'.repeat(20) }])).toThrow(/SWEEP.currency/);
    expect(() => encodeUnlockData([{ type: 'BURN_POSITION', tokenId: -1n, amount0Min: 0n, amount1Min: 0n }])).toThrow(ActionEncodingError);
    expect(() => encodeUnlockData([])).toThrow(ActionEncodingError);
  });
});
