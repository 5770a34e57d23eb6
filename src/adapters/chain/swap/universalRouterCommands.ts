/**
 * Encoders for Uniswap's Universal Router: execute(bytes commands, bytes[] inputs, uint256
 * deadline) with one V4_SWAP command whose input is abi.encode(bytes actions, bytes[] params),
 * the v4-periphery V4Router action list. An exact-input single-pool swap is the three actions
 * SWAP_EXACT_IN_SINGLE (the swap), SETTLE_ALL (pay the input from the caller through Permit2)
 * and TAKE_ALL (send the output to the caller, at least a minimum).
 *
 * ExactInputSingleParams is v4-periphery 1.0.3's IV4Router struct (poolKey, zeroForOne, amountIn,
 * amountOutMinimum, hookData), which is what the Universal Router 2.1.0 bytecode decodes (checked
 * on anvil: the later layout with a minHopPriceX36 field before hookData, v4-sdk's URVersion
 * 2.1.1, reverts there). The minimum output (amountOutMinimum, and TAKE_ALL's minAmount) bounds
 * the swap.
 */
import { AbiCoder, Interface, getAddress, hexlify } from 'ethers';
import type { PoolKey } from '../poolId.js';

/** Universal Router command bytes (universal-router contracts/libraries/Commands.sol). */
export const UR_COMMANDS = { V4_SWAP: 0x10 } as const;

/** V4Router action codes (v4-periphery src/libraries/Actions.sol). */
export const V4_ROUTER_ACTIONS = { SWAP_EXACT_IN_SINGLE: 0x06, SETTLE_ALL: 0x0c, TAKE_ALL: 0x0f } as const;

/** IV4Router.ExactInputSingleParams as the Universal Router 2.1.0 decodes it (see the module comment). */
export const EXACT_INPUT_SINGLE_PARAMS =
  'tuple(tuple(address currency0, address currency1, uint24 fee, int24 tickSpacing, address hooks) poolKey, bool zeroForOne, uint128 amountIn, uint128 amountOutMinimum, bytes hookData)';

/** The Universal Router's execute entry point with a deadline. */
export const UNIVERSAL_ROUTER_INTERFACE = new Interface(['function execute(bytes commands, bytes[] inputs, uint256 deadline) payable']);

/** An exact-input swap on one pool: pay `amountIn` of the input currency, receive at least `amountOutMinimum`. */
export interface ExactInSingleSwap {
  poolKey: PoolKey;
  /** true: pay currency0, receive currency1. */
  zeroForOne: boolean;
  amountIn: bigint;
  amountOutMinimum: bigint;
  hookData?: string;
}

/** A swap parameter outside its Solidity type. */
export class SwapEncodingError extends Error {
  override readonly name = 'SwapEncodingError';
  constructor(readonly field: string, readonly value: unknown, reason: string) {
    super(`universal router: ${field} = ${String(value)}: ${reason}`);
  }
}

const coder = AbiCoder.defaultAbiCoder();
const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

function uint(field: string, v: bigint, max: bigint): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > max) throw new SwapEncodingError(field, v, `must be a bigint in [0, ${max}]`);
  return v;
}

function addr(field: string, v: string): string {
  try {
    return getAddress(v);
  } catch {
    throw new SwapEncodingError(field, v, 'must be an address');
  }
}

/** The currencies a swap pays and receives. */
export function swapCurrencies(s: Pick<ExactInSingleSwap, 'poolKey' | 'zeroForOne'>): { currencyIn: string; currencyOut: string } {
  const c0 = addr('poolKey.currency0', s.poolKey.currency0);
  const c1 = addr('poolKey.currency1', s.poolKey.currency1);
  return s.zeroForOne ? { currencyIn: c0, currencyOut: c1 } : { currencyIn: c1, currencyOut: c0 };
}

/** The V4_SWAP input: abi.encode(bytes actions, bytes[] params) for SWAP_EXACT_IN_SINGLE, SETTLE_ALL, TAKE_ALL. */
export function encodeV4ExactInSingle(s: ExactInSingleSwap): string {
  const amountIn = uint('amountIn', s.amountIn, MAX_UINT128);
  const amountOutMinimum = uint('amountOutMinimum', s.amountOutMinimum, MAX_UINT128);
  let hookData = '0x';
  if (s.hookData !== undefined) {
    try {
      hookData = hexlify(s.hookData);
    } catch {
      throw new SwapEncodingError('hookData', s.hookData, 'must be 0x-hex bytes');
    }
  }
  const k = s.poolKey;
  const { currencyIn, currencyOut } = swapCurrencies(s);
  const swap = coder.encode(
    [EXACT_INPUT_SINGLE_PARAMS],
    [[[addr('poolKey.currency0', k.currency0), addr('poolKey.currency1', k.currency1), k.fee, k.tickSpacing, addr('poolKey.hooks', k.hooks)], s.zeroForOne, amountIn, amountOutMinimum, hookData]],
  );
  // SETTLE_ALL(currency, maxAmount): pay what the swap owes, at most amountIn
  const settle = coder.encode(['address', 'uint256'], [currencyIn, amountIn]);
  // TAKE_ALL(currency, minAmount): take all the swap's output, at least the minimum
  const take = coder.encode(['address', 'uint256'], [currencyOut, amountOutMinimum]);
  const actions = Uint8Array.from([V4_ROUTER_ACTIONS.SWAP_EXACT_IN_SINGLE, V4_ROUTER_ACTIONS.SETTLE_ALL, V4_ROUTER_ACTIONS.TAKE_ALL]);
  return coder.encode(['bytes', 'bytes[]'], [actions, [swap, settle, take]]);
}

/** Full calldata of execute(commands = [V4_SWAP], inputs = [the swap], deadline). */
export function encodeExecuteExactInSingle(s: ExactInSingleSwap, deadline: bigint): string {
  uint('deadline', deadline, MAX_UINT256);
  return UNIVERSAL_ROUTER_INTERFACE.encodeFunctionData('execute', [Uint8Array.from([UR_COMMANDS.V4_SWAP]), [encodeV4ExactInSingle(s)], deadline]);
}
