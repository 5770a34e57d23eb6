/**
 * PositionManager's packed PositionInfo (PositionInfoLibrary.sol), a uint256:
 * 200 bits poolId (the top 200 bits of the PoolId) | 24 bits tickUpper | 24 bits tickLower | 8 bits hasSubscriber.
 */

/** The fields of a packed PositionInfo. */
export interface PositionInfoFields {
  /** bytes25: the PoolId truncated to its most significant 25 bytes, lowercase 0x-hex (50 hex digits). */
  poolIdPrefix: string;
  tickLower: number;
  tickUpper: number;
  hasSubscriber: boolean;
}

/** A value that is not a uint256 PositionInfo. */
export class PositionInfoDecodeError extends Error {
  override readonly name = 'PositionInfoDecodeError';
  constructor(readonly value: unknown) {
    super(`positions: ${String(value)} is not a packed uint256 PositionInfo`);
  }
}

const MASK_24 = 0xffffffn;

function signExtend24(v: bigint): number {
  const n = Number(v & MASK_24);
  return n >= 0x800000 ? n - 0x1000000 : n;
}

/** Unpacks a PositionInfo uint256 exactly as PositionInfoLibrary's getters do (signextend for ticks). */
export function decodePositionInfo(info: bigint): PositionInfoFields {
  if (typeof info !== 'bigint' || info < 0n || info >= 1n << 256n) throw new PositionInfoDecodeError(info);
  return {
    poolIdPrefix: '0x' + (info >> 56n).toString(16).padStart(50, '0'),
    tickUpper: signExtend24(info >> 32n),
    tickLower: signExtend24(info >> 8n),
    hasSubscriber: (info & 0xffn) !== 0n,
  };
}

/** Packs fields the way PositionInfoLibrary.initialize does (hasSubscriber sets the low byte to 1). */
export function encodePositionInfo(fields: { poolId: string; tickLower: number; tickUpper: number; hasSubscriber?: boolean }): bigint {
  const id = BigInt(fields.poolId);
  const top200 = (id >> 56n) << 56n;
  return top200 | ((BigInt(fields.tickUpper) & MASK_24) << 32n) | ((BigInt(fields.tickLower) & MASK_24) << 8n) | (fields.hasSubscriber === true ? 1n : 0n);
}

/** True when `poolId` (bytes32) truncates to `poolIdPrefix` (bytes25). */
export function poolIdMatchesPrefix(poolId: string, poolIdPrefix: string): boolean {
  return BigInt(poolId) >> 56n === BigInt(poolIdPrefix);
}
