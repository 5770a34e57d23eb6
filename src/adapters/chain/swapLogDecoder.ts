import { getAddress } from 'ethers';
import { POOL_MANAGER_TOPICS } from './abi/poolManagerEvents.js';
import { LogDecodeError } from './errors.js';
import type { DonateEvent, InitializeEvent, LogPosition, ModifyLiquidityEvent, PoolManagerEvent, SwapEvent } from './poolManagerEvents.js';

/**
 * A hand-written decoder of PoolManager Swap / ModifyLiquidity / Initialize / Donate logs.
 * It reads the 32-byte words of the log directly instead of going through ethers' generic ABI
 * coder, and it is strict: a word whose unused high bits are not a clean zero/sign extension
 * is rejected (ethers would silently mask it).
 */

/** The fields of a log this decoder needs; an ethers v6 `Log` satisfies it. */
export interface RawLog {
  topics: readonly string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  /** Position of the log in its block (ethers calls it `index`). */
  index: number;
  address: string;
}

const ZEROS = '0'.repeat(64);
const FFFFS = 'f'.repeat(64);
const HEX = /^0x(?:[0-9a-f]{64})*$/;
const TWO_127 = 1n << 127n;
const TWO_128 = 1n << 128n;
const TWO_255 = 1n << 255n;
const TWO_256 = 1n << 256n;

const checksummed = new Map<string, string>();
/** Checksums a 20-byte lowercase hex address, memoized (senders and currencies repeat). */
function address(lower: string): string {
  let a = checksummed.get(lower);
  if (a === undefined) {
    if (checksummed.size >= 10_000) checksummed.clear();
    a = getAddress(lower);
    checksummed.set(lower, a);
  }
  return a;
}

class Words {
  constructor(readonly data: string, readonly topics: readonly string[]) {}

  word(i: number): string {
    return this.data.slice(2 + 64 * i, 66 + 64 * i);
  }

  fail(reason: string): never {
    throw new LogDecodeError(reason, this.topics, this.data);
  }

  /** An unsigned integer of `bits` bits (multiple of 4) as a bigint. */
  uint(i: number, bits: number, field: string): bigint {
    const w = this.word(i);
    const pad = 64 - bits / 4;
    if (pad > 0 && w.slice(0, pad) !== ZEROS.slice(0, pad)) this.fail(`${field}: dirty high bits for uint${bits}`);
    return BigInt('0x' + w);
  }

  /** An unsigned integer of at most 24 bits as a number. */
  smallUint(i: number, field: string): number {
    const w = this.word(i);
    if (w.slice(0, 58) !== ZEROS.slice(0, 58)) this.fail(`${field}: dirty high bits for uint24`);
    return parseInt(w.slice(58), 16);
  }

  /** A signed int24 as a number. */
  int24(i: number, field: string): number {
    const w = this.word(i);
    let v = parseInt(w.slice(58), 16);
    const negative = v >= 0x800000;
    if (negative) v -= 0x1000000;
    if (w.slice(0, 58) !== (negative ? FFFFS : ZEROS).slice(0, 58)) this.fail(`${field}: not a clean int24 sign extension`);
    return v;
  }

  /** A signed int128 as a bigint. */
  int128(i: number, field: string): bigint {
    const w = this.word(i);
    let v = BigInt('0x' + w.slice(32));
    const negative = v >= TWO_127;
    if (negative) v -= TWO_128;
    if (w.slice(0, 32) !== (negative ? FFFFS : ZEROS).slice(0, 32)) this.fail(`${field}: not a clean int128 sign extension`);
    return v;
  }

  /** A signed int256 as a bigint. */
  int256(i: number): bigint {
    const v = BigInt('0x' + this.word(i));
    return v >= TWO_255 ? v - TWO_256 : v;
  }

  /** An address stored right-aligned in a word. */
  address(i: number, field: string): string {
    const w = this.word(i);
    if (w.slice(0, 24) !== ZEROS.slice(0, 24)) this.fail(`${field}: dirty high bits for address`);
    return address('0x' + w.slice(24));
  }
}

function prepare(log: RawLog, topicCount: number, wordCount: number): Words {
  const data = log.data.toLowerCase();
  if (log.topics.length !== topicCount) throw new LogDecodeError(`expected ${topicCount} topics, got ${log.topics.length}`, log.topics, log.data);
  if (data.length !== 2 + 64 * wordCount || !HEX.test(data)) {
    throw new LogDecodeError(`expected ${wordCount} data words of hex`, log.topics, log.data);
  }
  for (const t of log.topics) if (t.length !== 66) throw new LogDecodeError('topic is not 32 bytes', log.topics, log.data);
  return new Words(data, log.topics);
}

function position(log: RawLog): LogPosition {
  return { blockNumber: log.blockNumber, blockHash: log.blockHash, transactionHash: log.transactionHash, logIndex: log.index, address: log.address };
}

function topicAddress(w: Words, topic: string, field: string): string {
  const t = topic.toLowerCase();
  if (t.slice(2, 26) !== ZEROS.slice(0, 24)) w.fail(`${field}: dirty high bits in indexed address`);
  return address('0x' + t.slice(26));
}

/** Decodes a PoolManager Swap log. Throws LogDecodeError on any malformed field. */
export function decodeSwapLog(log: RawLog): SwapEvent {
  if (log.topics[0]?.toLowerCase() !== POOL_MANAGER_TOPICS.Swap) throw new LogDecodeError('not a Swap log', log.topics, log.data);
  const w = prepare(log, 3, 6);
  return {
    type: 'Swap',
    ...position(log),
    poolId: log.topics[1]!.toLowerCase(),
    sender: topicAddress(w, log.topics[2]!, 'sender'),
    amount0: w.int128(0, 'amount0'),
    amount1: w.int128(1, 'amount1'),
    sqrtPriceX96: w.uint(2, 160, 'sqrtPriceX96'),
    liquidity: w.uint(3, 128, 'liquidity'),
    tick: w.int24(4, 'tick'),
    fee: w.smallUint(5, 'fee'),
  };
}

/** Decodes a PoolManager ModifyLiquidity log. */
export function decodeModifyLiquidityLog(log: RawLog): ModifyLiquidityEvent {
  if (log.topics[0]?.toLowerCase() !== POOL_MANAGER_TOPICS.ModifyLiquidity) throw new LogDecodeError('not a ModifyLiquidity log', log.topics, log.data);
  const w = prepare(log, 3, 4);
  return {
    type: 'ModifyLiquidity',
    ...position(log),
    poolId: log.topics[1]!.toLowerCase(),
    sender: topicAddress(w, log.topics[2]!, 'sender'),
    tickLower: w.int24(0, 'tickLower'),
    tickUpper: w.int24(1, 'tickUpper'),
    liquidityDelta: w.int256(2),
    salt: '0x' + w.word(3),
  };
}

/** Decodes a PoolManager Initialize log. */
export function decodeInitializeLog(log: RawLog): InitializeEvent {
  if (log.topics[0]?.toLowerCase() !== POOL_MANAGER_TOPICS.Initialize) throw new LogDecodeError('not an Initialize log', log.topics, log.data);
  const w = prepare(log, 4, 5);
  return {
    type: 'Initialize',
    ...position(log),
    poolId: log.topics[1]!.toLowerCase(),
    currency0: topicAddress(w, log.topics[2]!, 'currency0'),
    currency1: topicAddress(w, log.topics[3]!, 'currency1'),
    fee: w.smallUint(0, 'fee'),
    tickSpacing: w.int24(1, 'tickSpacing'),
    hooks: w.address(2, 'hooks'),
    sqrtPriceX96: w.uint(3, 160, 'sqrtPriceX96'),
    tick: w.int24(4, 'tick'),
  };
}

/** Decodes a PoolManager Donate log. */
export function decodeDonateLog(log: RawLog): DonateEvent {
  if (log.topics[0]?.toLowerCase() !== POOL_MANAGER_TOPICS.Donate) throw new LogDecodeError('not a Donate log', log.topics, log.data);
  const w = prepare(log, 3, 2);
  return {
    type: 'Donate',
    ...position(log),
    poolId: log.topics[1]!.toLowerCase(),
    sender: topicAddress(w, log.topics[2]!, 'sender'),
    amount0: w.uint(0, 256, 'amount0'),
    amount1: w.uint(1, 256, 'amount1'),
  };
}

/**
 * Decodes any of the four PoolManager events we follow; returns null for a log whose topic0
 * is none of them (other PoolManager events), throws LogDecodeError for a malformed one.
 */
export function decodePoolManagerLog(log: RawLog): PoolManagerEvent | null {
  switch (log.topics[0]?.toLowerCase()) {
    case POOL_MANAGER_TOPICS.Swap: return decodeSwapLog(log);
    case POOL_MANAGER_TOPICS.ModifyLiquidity: return decodeModifyLiquidityLog(log);
    case POOL_MANAGER_TOPICS.Initialize: return decodeInitializeLog(log);
    case POOL_MANAGER_TOPICS.Donate: return decodeDonateLog(log);
    default: return null;
  }
}
