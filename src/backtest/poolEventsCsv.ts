/**
 * Reads a pool's decoded event log in demeter-fetch's `.tick.csv` format (as in
 * ../shared/data/eth-usdc-weth-005-events-20240105/, see its README), one event per row:
 *
 * | column | meaning |
 * |---|---|
 * | block_number, pool_log_index | where the event is; rows must be in this order, no repeats |
 * | block_timestamp | `YYYY-MM-DD HH:MM:SS`, UTC |
 * | tx_type | SWAP, MINT, BURN or COLLECT |
 * | amount0, amount1 | atomic units, pool side (positive = into the pool) |
 * | sqrtPriceX96, total_liquidity, current_tick | SWAP: the pool's price, in-range L and tick after it |
 * | position_id, sender, tick_lower, tick_upper, liquidity | MINT/BURN/COLLECT: the position (NFT id, else sender-tickLower-tickUpper), its range and L change |
 *
 * On MINT/BURN/COLLECT rows, sqrtPriceX96 and total_liquidity are ignored: demeter-fetch filled
 * them in and some are stale. A MINT row's `sender` is the Mint event's caller, not the owner
 * (BURN and COLLECT rows do carry the owner), so a direct (non-NFT) mint needs the owner from
 * demeter-fetch's `.positions.csv` (option `positionsFile`): its MINT rows name each mint's
 * position_id at the same (block_number, pool_log_index). Without it, such mints are keyed by
 * their caller and will not match their burns. Bad rows throw BacktestInputError (file, line, column).
 */
import { BacktestInputError } from './inputError.js';
import { readCsvTable, type CsvRow, type CsvTable } from './csvTable.js';
import { isBefore, type HistoryEvent, type HistoryPosition } from './poolHistory.js';

const COLUMNS = [
  'block_number', 'block_timestamp', 'tx_type', 'pool_log_index', 'sender', 'amount0', 'amount1',
  'total_liquidity', 'sqrtPriceX96', 'current_tick', 'position_id', 'tick_lower', 'tick_upper', 'liquidity',
] as const;

/** Mint owners by `block:logIndex`, from a `.positions.csv`. */
type MintOwners = ReadonlyMap<string, string>;

function positionId(row: CsvRow, tickLower: number, tickUpper: number, owners: MintOwners): string {
  const id = row.optionalBigint('position_id');
  if (id !== undefined) return id.toString();
  if (row.text('tx_type') === 'MINT') {
    const owned = owners.get(`${row.int('block_number')}:${row.int('pool_log_index')}`);
    if (owned !== undefined) return owned;
  }
  const sender = row.text('sender');
  if (sender === '') throw row.error('sender', 'empty: a position without position_id needs its owner here');
  return `${sender.toLowerCase()}-${tickLower}-${tickUpper}`;
}

function eventOf(row: CsvRow, owners: MintOwners): HistoryEvent {
  const at: HistoryPosition = { block: row.int('block_number'), logIndex: row.int('pool_log_index'), time: row.time('block_timestamp') };
  const type = row.text('tx_type');
  if (type === 'SWAP') {
    return {
      kind: 'swap', ...at, amount0: row.bigint('amount0'), amount1: row.bigint('amount1'),
      sqrtPriceX96: row.bigint('sqrtPriceX96'), liquidity: row.bigint('total_liquidity'), tick: row.int('current_tick'),
    };
  }
  if (type !== 'MINT' && type !== 'BURN' && type !== 'COLLECT') throw row.error('tx_type', `"${type}" is not SWAP, MINT, BURN or COLLECT`);
  const tickLower = row.int('tick_lower');
  const tickUpper = row.int('tick_upper');
  if (tickLower >= tickUpper) throw row.error('tick_upper', `${tickUpper} is not above tick_lower ${tickLower}`);
  const position = positionId(row, tickLower, tickUpper, owners);
  const amount0 = row.bigint('amount0');
  const amount1 = row.bigint('amount1');
  if (type === 'COLLECT') return { kind: 'collect', ...at, position, tickLower, tickUpper, amount0, amount1 };
  const liquidity = row.bigint('liquidity');
  if (liquidity < 0n) throw row.error('liquidity', `${liquidity} is negative (the size of the change is expected)`);
  return { kind: type === 'MINT' ? 'mint' : 'burn', ...at, position, tickLower, tickUpper, liquidity, amount0, amount1 };
}

/** The events of a parsed table, checked to be in chain order. */
export function poolEventsOf(table: CsvTable, mintOwners: MintOwners = new Map()): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const row of table.rows) {
    const e = eventOf(row, mintOwners);
    const prev = events[events.length - 1];
    if (prev !== undefined && !isBefore(prev, e)) {
      throw new BacktestInputError(table.file, row.line, 'pool_log_index', `event (block ${e.block}, log ${e.logIndex}) is not after the previous row's (block ${prev.block}, log ${prev.logIndex}): rows must be in chain order`);
    }
    events.push(e);
  }
  if (events.length === 0) throw new BacktestInputError(table.file, 0, '', 'no event rows');
  return events;
}

/** The position_id of each direct mint of a `.positions.csv` table, by `block:logIndex`. */
export function mintOwnersOf(table: CsvTable): Map<string, string> {
  const owners = new Map<string, string>();
  for (const row of table.rows) {
    if (row.text('tx_type') !== 'MINT') continue;
    const id = row.text('position_id');
    if (id === '') throw row.error('position_id', 'empty on a MINT row');
    owners.set(`${row.int('block_number')}:${row.int('pool_log_index')}`, /^\d+(\.0*)?$/.test(id) ? BigInt(id.replace(/\.0*$/, '')).toString() : id.toLowerCase());
  }
  return owners;
}

export interface PoolEventsCsvOptions {
  /** demeter-fetch's `.positions.csv` of the same history: the owners of direct mints. */
  positionsFile?: string;
}

/** Reads a `.tick.csv` file (see the module comment for the format). */
export async function readPoolEventsCsv(file: string, options: PoolEventsCsvOptions = {}): Promise<HistoryEvent[]> {
  const owners = options.positionsFile === undefined
    ? new Map<string, string>()
    : mintOwnersOf(await readCsvTable(options.positionsFile, ['position_id', 'tx_type', 'block_number', 'pool_log_index']));
  return poolEventsOf(await readCsvTable(file, COLUMNS), owners);
}
