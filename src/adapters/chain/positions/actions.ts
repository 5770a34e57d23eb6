/**
 * Encoders for v4 PositionManager.modifyLiquidities(bytes unlockData, uint256 deadline), where
 * unlockData = abi.encode(bytes actions, bytes[] params): one byte per action (Actions.sol) and
 * one ABI-encoded parameter blob per action, laid out as CalldataDecoder.sol reads them.
 */
import { AbiCoder, Interface, getAddress, hexlify } from 'ethers';
import type { PoolKey } from '../poolId.js';

/** Action codes of v4-periphery libraries/Actions.sol used by this adapter. */
export const ACTIONS = {
  INCREASE_LIQUIDITY: 0x00,
  DECREASE_LIQUIDITY: 0x01,
  MINT_POSITION: 0x02,
  BURN_POSITION: 0x03,
  SETTLE_PAIR: 0x0d,
  TAKE_PAIR: 0x11,
  CLOSE_CURRENCY: 0x12,
  SWEEP: 0x14,
} as const;

export type ActionName = keyof typeof ACTIONS;

/** One PositionManager action with its parameters (amounts are raw token units, uint128). */
export type PositionAction =
  | { type: 'MINT_POSITION'; poolKey: PoolKey; tickLower: number; tickUpper: number; liquidity: bigint; amount0Max: bigint; amount1Max: bigint; owner: string; hookData?: string }
  | { type: 'INCREASE_LIQUIDITY'; tokenId: bigint; liquidity: bigint; amount0Max: bigint; amount1Max: bigint; hookData?: string }
  | { type: 'DECREASE_LIQUIDITY'; tokenId: bigint; liquidity: bigint; amount0Min: bigint; amount1Min: bigint; hookData?: string }
  | { type: 'BURN_POSITION'; tokenId: bigint; amount0Min: bigint; amount1Min: bigint; hookData?: string }
  | { type: 'SETTLE_PAIR'; currency0: string; currency1: string }
  | { type: 'TAKE_PAIR'; currency0: string; currency1: string; recipient: string }
  | { type: 'CLOSE_CURRENCY'; currency: string }
  | { type: 'SWEEP'; currency: string; recipient: string };

/** An action whose parameters cannot be encoded (a value outside its Solidity type). */
export class ActionEncodingError extends Error {
  override readonly name = 'ActionEncodingError';
  constructor(readonly action: ActionName | 'modifyLiquidities', readonly field: string, readonly value: unknown, reason: string) {
    super(`positions: ${action}.${field} = ${String(value)}: ${reason}`);
  }
}

const coder = AbiCoder.defaultAbiCoder();
const POOL_KEY = 'tuple(address currency0, address currency1, uint24 fee, int24 tickSpacing, address hooks)';
const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;
const MIN_INT24 = -(1 << 23);
const MAX_INT24 = (1 << 23) - 1;

/** The modifyLiquidities entry point of PositionManager, for calldata encoding. */
export const MODIFY_LIQUIDITIES_INTERFACE = new Interface(['function modifyLiquidities(bytes unlockData, uint256 deadline) payable']);

function uint(action: ActionName | 'modifyLiquidities', field: string, v: bigint, max: bigint): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > max) throw new ActionEncodingError(action, field, v, `must be a bigint in [0, ${max}]`);
  return v;
}

function int24(action: ActionName, field: string, v: number): number {
  if (!Number.isInteger(v) || v < MIN_INT24 || v > MAX_INT24) throw new ActionEncodingError(action, field, v, 'must be an int24');
  return v;
}

function hookBytes(action: ActionName, v: string | undefined): string {
  if (v === undefined) return '0x';
  try {
    return hexlify(v);
  } catch {
    throw new ActionEncodingError(action, 'hookData', v, 'must be 0x-hex bytes');
  }
}

function addr(action: ActionName, field: string, v: string): string {
  try {
    return getAddress(v);
  } catch {
    throw new ActionEncodingError(action, field, v, 'must be an address');
  }
}

/** ABI-encodes one action's parameters as the PositionManager's CalldataDecoder expects them. */
export function encodeActionParams(a: PositionAction): string {
  switch (a.type) {
    case 'MINT_POSITION':
      return coder.encode(
        [POOL_KEY, 'int24', 'int24', 'uint256', 'uint128', 'uint128', 'address', 'bytes'],
        [
          [addr(a.type, 'poolKey.currency0', a.poolKey.currency0), addr(a.type, 'poolKey.currency1', a.poolKey.currency1), a.poolKey.fee, a.poolKey.tickSpacing, addr(a.type, 'poolKey.hooks', a.poolKey.hooks)],
          int24(a.type, 'tickLower', a.tickLower),
          int24(a.type, 'tickUpper', a.tickUpper),
          uint(a.type, 'liquidity', a.liquidity, MAX_UINT256),
          uint(a.type, 'amount0Max', a.amount0Max, MAX_UINT128),
          uint(a.type, 'amount1Max', a.amount1Max, MAX_UINT128),
          addr(a.type, 'owner', a.owner),
          hookBytes(a.type, a.hookData),
        ],
      );
    case 'INCREASE_LIQUIDITY':
      return coder.encode(
        ['uint256', 'uint256', 'uint128', 'uint128', 'bytes'],
        [uint(a.type, 'tokenId', a.tokenId, MAX_UINT256), uint(a.type, 'liquidity', a.liquidity, MAX_UINT256), uint(a.type, 'amount0Max', a.amount0Max, MAX_UINT128), uint(a.type, 'amount1Max', a.amount1Max, MAX_UINT128), hookBytes(a.type, a.hookData)],
      );
    case 'DECREASE_LIQUIDITY':
      return coder.encode(
        ['uint256', 'uint256', 'uint128', 'uint128', 'bytes'],
        [uint(a.type, 'tokenId', a.tokenId, MAX_UINT256), uint(a.type, 'liquidity', a.liquidity, MAX_UINT256), uint(a.type, 'amount0Min', a.amount0Min, MAX_UINT128), uint(a.type, 'amount1Min', a.amount1Min, MAX_UINT128), hookBytes(a.type, a.hookData)],
      );
    case 'BURN_POSITION':
      return coder.encode(
        ['uint256', 'uint128', 'uint128', 'bytes'],
        [uint(a.type, 'tokenId', a.tokenId, MAX_UINT256), uint(a.type, 'amount0Min', a.amount0Min, MAX_UINT128), uint(a.type, 'amount1Min', a.amount1Min, MAX_UINT128), hookBytes(a.type, a.hookData)],
      );
    case 'SETTLE_PAIR':
      return coder.encode(['address', 'address'], [addr(a.type, 'currency0', a.currency0), addr(a.type, 'currency1', a.currency1)]);
    case 'TAKE_PAIR':
      return coder.encode(['address', 'address', 'address'], [addr(a.type, 'currency0', a.currency0), addr(a.type, 'currency1', a.currency1), addr(a.type, 'recipient', a.recipient)]);
    case 'CLOSE_CURRENCY':
      return coder.encode(['address'], [addr(a.type, 'currency', a.currency)]);
    case 'SWEEP':
      return coder.encode(['address', 'address'], [addr(a.type, 'currency', a.currency), addr(a.type, 'recipient', a.recipient)]);
  }
}

/** Returns unlockData = abi.encode(bytes actions, bytes[] params) for a list of actions. */
export function encodeUnlockData(actions: readonly PositionAction[]): string {
  if (actions.length === 0) throw new ActionEncodingError('modifyLiquidities', 'actions', actions.length, 'at least one action is required');
  const codes = Uint8Array.from(actions.map((a) => ACTIONS[a.type]));
  return coder.encode(['bytes', 'bytes[]'], [codes, actions.map(encodeActionParams)]);
}

/** Returns the full calldata of modifyLiquidities(unlockData, deadline) for `actions`. */
export function encodeModifyLiquidities(actions: readonly PositionAction[], deadline: bigint): string {
  uint('modifyLiquidities', 'deadline', deadline, MAX_UINT256);
  return MODIFY_LIQUIDITIES_INTERFACE.encodeFunctionData('modifyLiquidities', [encodeUnlockData(actions), deadline]);
}
