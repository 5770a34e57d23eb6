/**
 * The backtester's input readers: the shipped example day reads as documented, and each kind of
 * bad input is one clear error naming file, line and field (never a silent wrong result).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventsJsonl, parseEventsJsonl } from '../../src/backtest/eventsJsonl.js';
import { BacktestInputError } from '../../src/backtest/inputError.js';
import { readMinuteBarsCsv } from '../../src/backtest/minuteBarsCsv.js';
import { readPoolEventsCsv } from '../../src/backtest/poolEventsCsv.js';
import { readReferencePricesCsv } from '../../src/backtest/referencePricesCsv.js';
import { parseTimestamp } from '../../src/backtest/timestamp.js';
import { EXAMPLE_MINUTE_BARS } from '../support/sharedData.js';

const dir = mkdtempSync(join(tmpdir(), 'rk-backtest-inputs-'));
let n = 0;
function file(text: string, ext = 'csv'): string {
  const f = join(dir, `f${n++}.${ext}`);
  writeFileSync(f, text);
  return f;
}

/** The error a reader throws, checked to be a BacktestInputError. */
async function inputError(p: Promise<unknown>): Promise<BacktestInputError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(BacktestInputError);
  return err as BacktestInputError;
}

const BAR_HEADER = 'timestamp,netAmount0,netAmount1,closeTick,openTick,lowestTick,highestTick,inAmount0,inAmount1,currentLiquidity';
const bar = (time: string, tick = 201101, liquidity = '1000'): string => `${time},-5,3,${tick},${tick},${tick},${tick},0,3,${liquidity}`;

describe('minute bars', () => {
  it('reads the shipped day: 1440 bars, one per minute, in time order, as in the file', async () => {
    const bars = await readMinuteBarsCsv([EXAMPLE_MINUTE_BARS]);
    expect(bars).toHaveLength(1440);
    expect(bars[0]!.time).toBe(Date.UTC(2023, 7, 17));
    expect(bars.every((b, i) => i === 0 || b.time - bars[i - 1]!.time === 60_000)).toBe(true);
    expect(bars.some((b) => b.filled)).toBe(false);
    // the first data row, column by column
    const first = readFileSync(EXAMPLE_MINUTE_BARS, 'utf8').split('\n')[1]!.split(',');
    expect(bars[0]).toMatchObject({
      netAmount0: BigInt(first[1]!), netAmount1: BigInt(first[2]!), closeTick: Number(first[3]), openTick: Number(first[4]),
      lowestTick: Number(first[5]), highestTick: Number(first[6]), inAmount0: BigInt(first[7]!), inAmount1: BigInt(first[8]!), liquidity: BigInt(first[9]!),
    });
  });

  it('fills a missing minute from the bar before it, as documented', async () => {
    const f = file([BAR_HEADER, bar('2023-08-14 00:00:00', 10, '7'), bar('2023-08-14 00:03:00', 20, '9')].join('\n'));
    const bars = await readMinuteBarsCsv([f]);
    expect(bars.map((b) => [b.closeTick, b.liquidity, b.filled, b.inAmount1])).toEqual([
      [10, 7n, false, 3n], [10, 7n, true, 0n], [10, 7n, true, 0n], [20, 9n, false, 3n],
    ]);
  });

  it('accepts ticks written as floats (the 2024 and 2025 files)', async () => {
    const f = file([BAR_HEADER, '2024-02-15 00:00:00,-9,3,197030.0,197026.0,197026.0,197030.0,4,3,714'].join('\n'));
    expect((await readMinuteBarsCsv([f]))[0]).toMatchObject({ closeTick: 197030, openTick: 197026 });
  });

  it('names the file, line and column of each bad input', async () => {
    const missing = await inputError(readMinuteBarsCsv([file('timestamp,netAmount0\n2023-08-14 00:00:00,1')]));
    expect(missing.line).toBe(1);
    expect(missing.field).toBe('netAmount1');
    expect(missing.message).toContain('missing column');

    const unsorted = await inputError(readMinuteBarsCsv([file([BAR_HEADER, bar('2023-08-14 00:05:00'), bar('2023-08-14 00:04:00')].join('\n'))]));
    expect([unsorted.line, unsorted.field]).toEqual([3, 'timestamp']);
    expect(unsorted.message).toMatch(/f\d+\.csv:3: timestamp: .* is not after/);

    const duplicate = await inputError(readMinuteBarsCsv([file([BAR_HEADER, bar('2023-08-14 00:05:00'), bar('2023-08-14 00:05:00')].join('\n'))]));
    expect(duplicate.line).toBe(3);

    const gap = await inputError(readMinuteBarsCsv([file([BAR_HEADER, bar('2023-08-14 00:00:00'), bar('2023-08-14 02:00:00')].join('\n'))]));
    expect(gap.message).toContain('119 minutes are missing');

    const notInt = await inputError(readMinuteBarsCsv([file([BAR_HEADER, bar('2023-08-14 00:00:00').replace('201101,', 'abc,')].join('\n'))]));
    expect([notInt.line, notInt.field]).toEqual([2, 'closeTick']);

    const offMinute = await inputError(readMinuteBarsCsv([file([BAR_HEADER, bar('2023-08-14 00:00:30')].join('\n'))]));
    expect(offMinute.message).toContain('not the start of a minute');

    const negative = await inputError(readMinuteBarsCsv([file([BAR_HEADER, '2023-08-14 00:00:00,0,0,5,5,5,5,-1,0,1'].join('\n'))]));
    expect([negative.line, negative.field]).toEqual([2, 'inAmount0']);

    const absent = await inputError(readMinuteBarsCsv([join(dir, 'no-such.csv')]));
    expect(absent.message).toContain('ENOENT');
  });

  it('joins consecutive files, filling the gap between them (2023-08-14 lacks 00:00)', async () => {
    const a = file([BAR_HEADER, bar('2023-08-13 23:59:00', 1)].join('\n'));
    const b = file([BAR_HEADER, bar('2023-08-14 00:01:00', 2)].join('\n'));
    const bars = await readMinuteBarsCsv([a, b]);
    expect(bars.map((x) => [x.closeTick, x.filled])).toEqual([[1, false], [1, true], [2, false]]);
  });
});

const TICK_HEADER = 'block_number,block_timestamp,tx_type,transaction_hash,pool_tx_index,pool_log_index,proxy_log_index,sender,receipt,amount0,amount1,total_liquidity,total_liquidity_delta,sqrtPriceX96,current_tick,position_id,tick_lower,tick_upper,liquidity';
const swapRow = (block: number, log: number): string => `${block},2024-01-05 00:00:23,SWAP,0xaa,33,${log},,0xs,0xr,-22686110,10000000000000000,12453647101533358277,0,1662995104975155420368771254341874,199045.0,,,,`;

describe('pool events (.tick.csv)', () => {
  it('reads swaps and liquidity events, direct mints owned as the positions file says', async () => {
    const tick = file([
      TICK_HEADER,
      swapRow(1, 5),
      '2,2024-01-05 00:44:59,MINT,0xbb,4,36,,0xcaller,,7589,7389,0,0,0,199061.0,,199060.0,199070.0,389',
      '3,2024-01-05 00:45:59,BURN,0xcc,4,1,,0xOwner,,7000,7000,0,0,0,199061.0,,199060.0,199070.0,389',
      '3,2024-01-05 00:45:59,COLLECT,0xcc,4,2,,0xOwner,0xOwner,7100,7100,0,0,0,199061.0,,199060.0,199070.0,',
      '4,2024-01-05 00:46:59,MINT,0xdd,4,3,206.0,0xnft,,17,10,0,0,0,199061.0,621101.0,197070.0,200490.0,52',
    ].join('\n'));
    const positions = file('position_id,tx_type,owner,tick_lower,tick_upper,liquidity,block_number,block_timestamp,transaction_hash,pool_tx_index,pool_log_index\n0xowner-199060-199070,MINT,0xowner,199060.0,199070.0,389,2,x,0xbb,4,36');
    const events = await readPoolEventsCsv(tick, { positionsFile: positions });
    expect(events.map((e) => [e.kind, 'position' in e ? e.position : ''])).toEqual([
      ['swap', ''], ['mint', '0xowner-199060-199070'], ['burn', '0xowner-199060-199070'], ['collect', '0xowner-199060-199070'], ['mint', '621101'],
    ]);
    expect(events[0]).toMatchObject({ kind: 'swap', amount0: -22686110n, tick: 199045, liquidity: 12453647101533358277n, time: Date.UTC(2024, 0, 5, 0, 0, 23) });
    expect(events[1]).toMatchObject({ kind: 'mint', liquidity: 389n, amount0: 7589n, tickLower: 199060, tickUpper: 199070 });
  });

  it('rejects rows out of chain order and unknown event types with file, line and column', async () => {
    const order = await inputError(readPoolEventsCsv(file([TICK_HEADER, swapRow(5, 2), swapRow(5, 1)].join('\n'))));
    expect([order.line, order.field]).toEqual([3, 'pool_log_index']);
    const type = await inputError(readPoolEventsCsv(file([TICK_HEADER, swapRow(5, 2).replace('SWAP', 'FLASH')].join('\n'))));
    expect([type.line, type.field]).toEqual([2, 'tx_type']);
    const price = await inputError(readPoolEventsCsv(file([TICK_HEADER, swapRow(5, 2).replace('1662995104975155420368771254341874', '')].join('\n'))));
    expect([price.line, price.field]).toEqual([2, 'sqrtPriceX96']);
  });
});

describe('reference prices', () => {
  it('reads timestamp,price[,fundingRate], carrying an empty funding cell forward', async () => {
    const f = file('timestamp,price,fundingRate\n2024-01-05 00:00:00,2250.5,0.0001\n1704413000,2251,\n1704413060000,2252,-0.0002');
    const rows = await readReferencePricesCsv(f);
    expect(rows).toEqual([
      { time: Date.UTC(2024, 0, 5), price: 2250.5, fundingRate: 0.0001 },
      { time: 1704413000_000, price: 2251, fundingRate: 0.0001 },
      { time: 1704413060000, price: 2252, fundingRate: -0.0002 },
    ]);
    expect((await readReferencePricesCsv(file('timestamp,price\n2024-01-05,1')))[0]!.fundingRate).toBeUndefined();
  });

  it('rejects a non-positive price, time going backwards, a missing price column', async () => {
    expect((await inputError(readReferencePricesCsv(file('timestamp,price\n2024-01-05,0')))).field).toBe('price');
    const back = await inputError(readReferencePricesCsv(file('timestamp,price\n2024-01-05 00:01:00,1\n2024-01-05 00:00:00,1')));
    expect([back.line, back.field]).toEqual([3, 'timestamp']);
    expect((await inputError(readReferencePricesCsv(file('timestamp,close\n2024-01-05,1')))).field).toBe('price');
  });
});

describe('events JSON lines (rangekeeper events)', () => {
  const swap = (log: number, key = `k${log}`): string => JSON.stringify({
    kind: 'event', key,
    event: { type: 'Swap', poolId: '0xP', blockNumber: 10, blockHash: '0xh', transactionHash: '0xt', logIndex: log, address: '0xpm', sender: '0xs', amount0: '-100', amount1: '95', sqrtPriceX96: '79228162514264337593543950336', liquidity: '1000', tick: 0, fee: 500 },
  });
  const modify = JSON.stringify({
    kind: 'event', key: 'm',
    event: { type: 'ModifyLiquidity', poolId: '0xP', blockNumber: 11, blockHash: '0xh', transactionHash: '0xt', logIndex: 0, address: '0xpm', sender: '0xPM', tickLower: -60, tickUpper: 60, liquidityDelta: '-5', salt: '0x01' },
  });

  it('reads events, flips v4 swap amounts to the pool side, drops a retracted event', async () => {
    const retraction = JSON.stringify({ ...JSON.parse(swap(2)), kind: 'retraction', forkBlock: 9 });
    const events = await readEventsJsonl(file([swap(1), swap(2), retraction, modify].join('\n'), 'jsonl'));
    expect(events.map((e) => e.kind)).toEqual(['swap', 'burn']);
    expect(events[0]).toMatchObject({ amount0: 100n, amount1: -95n, liquidity: 1000n, block: 10, logIndex: 1, time: undefined });
    expect(events[1]).toMatchObject({ position: '0xpm--60-60-0x01', liquidity: 5n, tickLower: -60 });
  });

  it('names the line and JSON field of a bad event', () => {
    const bad = swap(1).replace('"-100"', '"lots"');
    const err = (() => { try { parseEventsJsonl('ev.jsonl', `${swap(0)}\n${bad}`); } catch (e) { return e as BacktestInputError; } })()!;
    expect(err).toBeInstanceOf(BacktestInputError);
    expect([err.line, err.field]).toEqual([2, 'event.amount0']);
    expect(() => parseEventsJsonl('ev.jsonl', `${swap(2)}\n${swap(1)}`)).toThrow(/ev\.jsonl:2: event\.logIndex/);
    expect(() => parseEventsJsonl('ev.jsonl', 'not json')).toThrow(/ev\.jsonl:1: not a JSON object/);
    const other = swap(3).replace('"0xP"', '"0xQ"');
    expect(() => parseEventsJsonl('ev.jsonl', `${swap(1)}\n${other}`)).toThrow(/second pool/);
    expect(parseEventsJsonl('ev.jsonl', `${swap(1)}\n${other}`, { poolId: '0xq' })).toHaveLength(1);
  });
});

describe('timestamps', () => {
  it('reads a zoneless date-time as UTC, whatever the machine zone', () => {
    expect(parseTimestamp('2024-01-05 00:00:23')).toBe(Date.UTC(2024, 0, 5, 0, 0, 23));
    expect(parseTimestamp('2024-01-05T01:00:00+01:00')).toBe(Date.UTC(2024, 0, 5));
    expect(parseTimestamp('1704412800')).toBe(Date.UTC(2024, 0, 5));
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});
