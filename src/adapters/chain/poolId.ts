import { AbiCoder, getAddress, keccak256 } from 'ethers';
import { InvalidPoolKeyError } from './errors.js';

/** A Uniswap v4 PoolKey: currency0 < currency1 (address(0) is native ETH), fee, tickSpacing, hooks. */
export interface PoolKey {
  currency0: string;
  currency1: string;
  /** Pips (1e-6); 0x800000 marks a dynamic-fee pool. */
  fee: number;
  tickSpacing: number;
  hooks: string;
}

const DYNAMIC_FEE_FLAG = 0x800000;
const MAX_LP_FEE = 1_000_000;
const MAX_TICK_SPACING = 32767;
const coder = AbiCoder.defaultAbiCoder();

/**
 * Orders two currencies the way v4 requires (numerically ascending address) and returns
 * [currency0, currency1] checksummed. Equal currencies are rejected.
 */
export function sortCurrencies(a: string, b: string): [string, string] {
  const x = getAddress(a);
  const y = getAddress(b);
  const bx = BigInt(x);
  const by = BigInt(y);
  if (bx === by) throw new InvalidPoolKeyError('currency1', y, 'both currencies are the same');
  return bx < by ? [x, y] : [y, x];
}

/** Checks the PoolKey invariants PoolManager.initialize enforces; throws InvalidPoolKeyError. */
export function assertPoolKey(key: PoolKey): void {
  const c0 = BigInt(getAddress(key.currency0));
  const c1 = BigInt(getAddress(key.currency1));
  if (c0 >= c1) throw new InvalidPoolKeyError('currency0', key.currency0, 'currency0 must be below currency1 (sort them)');
  if (!Number.isInteger(key.fee) || key.fee < 0 || (key.fee > MAX_LP_FEE && key.fee !== DYNAMIC_FEE_FLAG)) {
    throw new InvalidPoolKeyError('fee', key.fee, 'must be 0..1000000 pips or the dynamic-fee flag 0x800000');
  }
  if (!Number.isInteger(key.tickSpacing) || key.tickSpacing < 1 || key.tickSpacing > MAX_TICK_SPACING) {
    throw new InvalidPoolKeyError('tickSpacing', key.tickSpacing, 'must be 1..32767');
  }
  getAddress(key.hooks);
}

/**
 * Returns the PoolId of `key`: keccak256(abi.encode(currency0, currency1, fee, tickSpacing,
 * hooks)), lowercase 0x-hex, exactly as PoolIdLibrary.toId computes it.
 */
export function poolIdOf(key: PoolKey): string {
  assertPoolKey(key);
  return keccak256(
    coder.encode(['address', 'address', 'uint24', 'int24', 'address'], [key.currency0, key.currency1, key.fee, key.tickSpacing, key.hooks]),
  );
}

/** Builds a PoolKey from two currencies in any order, sorting them; hooks default to none. */
export function makePoolKey(a: string, b: string, fee: number, tickSpacing: number, hooks = '0x0000000000000000000000000000000000000000'): PoolKey {
  const [currency0, currency1] = sortCurrencies(a, b);
  const key = { currency0, currency1, fee, tickSpacing, hooks: getAddress(hooks) };
  assertPoolKey(key);
  return key;
}
