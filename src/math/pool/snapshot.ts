import { z } from 'zod';

/**
 * The complete state of one pool, as plain data: what Pool.toSnapshot() returns and
 * Pool.fromSnapshot() accepts. It can be filled from chain reads (StateView: slot0, liquidity,
 * fee growth globals, every initialized tick from the tick bitmap, and the positions of
 * interest), from a backtest file (parsePoolSnapshot), or from another Pool.
 */
export interface PoolSnapshot {
  tickSpacing: number;
  /** PoolKey.fee: pips, or DYNAMIC_FEE_FLAG. */
  fee: number;
  sqrtPriceX96: bigint;
  tick: number;
  protocolFee: number;
  lpFee: number;
  liquidity: bigint;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  /** Every initialized tick (liquidityGross > 0). */
  ticks: TickSnapshot[];
  /** Positions to carry over (may be a subset: swaps do not read positions). */
  positions: PositionSnapshot[];
}

/** One initialized tick of a snapshot. */
export interface TickSnapshot {
  tick: number;
  liquidityGross: bigint;
  liquidityNet: bigint;
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
}

/** One position of a snapshot. */
export interface PositionSnapshot {
  owner: string;
  tickLower: number;
  tickUpper: number;
  /** bytes32 hex. */
  salt: string;
  liquidity: bigint;
  feeGrowthInside0LastX128: bigint;
  feeGrowthInside1LastX128: bigint;
}

/** A bigint given as a bigint or as a decimal string (JSON has no bigints). */
const bigintish = z.union([z.bigint(), z.string().regex(/^-?\d+$/, 'a decimal integer string').transform((s) => BigInt(s))]);
const int = z.number().int();

/** zod schema of a PoolSnapshot whose bigints may be decimal strings (e.g. read from JSON). */
export const poolSnapshotSchema = z.object({
  tickSpacing: int,
  fee: int,
  sqrtPriceX96: bigintish,
  tick: int,
  protocolFee: int,
  lpFee: int,
  liquidity: bigintish,
  feeGrowthGlobal0X128: bigintish,
  feeGrowthGlobal1X128: bigintish,
  ticks: z.array(
    z.object({
      tick: int,
      liquidityGross: bigintish,
      liquidityNet: bigintish,
      feeGrowthOutside0X128: bigintish,
      feeGrowthOutside1X128: bigintish,
    }),
  ),
  positions: z
    .array(
      z.object({
        owner: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 20-byte hex address'),
        tickLower: int,
        tickUpper: int,
        salt: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a bytes32 hex string'),
        liquidity: bigintish,
        feeGrowthInside0LastX128: bigintish,
        feeGrowthInside1LastX128: bigintish,
      }),
    )
    .default([]),
});

/**
 * Parses untrusted data (e.g. JSON with decimal-string bigints) into a PoolSnapshot; throws a
 * ZodError naming every bad field. Pool.fromSnapshot then checks the pool invariants.
 */
export function parsePoolSnapshot(data: unknown): PoolSnapshot {
  return poolSnapshotSchema.parse(data);
}

/** A PoolSnapshot with bigints as decimal strings, ready for JSON.stringify. */
export function snapshotToJson(s: PoolSnapshot): unknown {
  return JSON.parse(JSON.stringify(s, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}
