import fc from 'fast-check';
import { Interface, getAddress, id, zeroPadValue, toBeHex } from 'ethers';
import { describe, expect, it } from 'vitest';
import { POOL_MANAGER_EVENTS_ABI, POOL_MANAGER_TOPICS } from '../../../src/adapters/chain/abi/poolManagerEvents.js';
import { LogDecodeError } from '../../../src/adapters/chain/errors.js';
import { decodePoolManagerLog, decodeSwapLog, type RawLog } from '../../../src/adapters/chain/swapLogDecoder.js';

const iface = new Interface(POOL_MANAGER_EVENTS_ABI);
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => '0x' + Buffer.from(b).toString('hex'));
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress('0x' + Buffer.from(b).toString('hex')));
const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const int = (bits: number) => fc.bigInt({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n });
const position = fc.record({
  blockNumber: fc.nat({ max: 50_000_000 }),
  blockHash: bytes32,
  transactionHash: bytes32,
  index: fc.nat({ max: 5000 }),
  address,
});

function rawLog(name: string, args: unknown[], pos: Omit<RawLog, 'topics' | 'data'>): RawLog {
  const ev = iface.getEvent(name)!;
  const { data, topics } = iface.encodeEventLog(ev, args);
  return { ...pos, data, topics };
}

/** What ethers' generic decoder says, normalized to our event shape. */
function viaEthers(log: RawLog): Record<string, unknown> {
  const parsed = iface.parseLog({ topics: [...log.topics], data: log.data })!;
  const out: Record<string, unknown> = { type: parsed.name };
  parsed.fragment.inputs.forEach((input, i) => {
    const v: unknown = parsed.args[i];
    const name = input.name === 'id' ? 'poolId' : input.name;
    out[name] = ['fee', 'tick', 'tickLower', 'tickUpper', 'tickSpacing'].includes(input.name) ? Number(v as bigint) : v;
  });
  return out;
}

const swapArgs = fc.tuple(bytes32, address, int(128), int(128), uint(160), uint(128), int(24), uint(24));
const modifyArgs = fc.tuple(bytes32, address, int(24), int(24), int(256), bytes32);
const initArgs = fc.tuple(bytes32, address, address, uint(24), int(24), address, uint(160), int(24));
const donateArgs = fc.tuple(bytes32, address, uint(256), uint(256));
const anyEvent = fc.oneof(
  swapArgs.map((a) => ['Swap', a] as const),
  modifyArgs.map((a) => ['ModifyLiquidity', a] as const),
  initArgs.map((a) => ['Initialize', a] as const),
  donateArgs.map((a) => ['Donate', a] as const),
);

describe('PoolManager log decoder', () => {
  it('topic constants are the keccak of the ABI signatures', () => {
    for (const [name, topic] of Object.entries(POOL_MANAGER_TOPICS)) expect(iface.getEvent(name)!.topicHash).toBe(topic);
  });

  it('agrees with ethers Interface.parseLog on random events of all four kinds', () => {
    fc.assert(fc.property(anyEvent, position, ([name, args], pos) => {
      const log = rawLog(name, [...args], pos);
      const ours = decodePoolManagerLog(log)!;
      const theirs = viaEthers(log);
      const { blockNumber, blockHash, transactionHash, logIndex, address: emitter, ...fields } = ours;
      expect({ blockNumber, blockHash, transactionHash, logIndex, address: emitter }).toEqual({ blockNumber: pos.blockNumber, blockHash: pos.blockHash, transactionHash: pos.transactionHash, logIndex: pos.index, address: pos.address });
      expect(fields).toEqual(theirs);
    }), { numRuns: 2000 });
  });

  it('gives the swapper-side signs and the charged fee of a Swap', () => {
    const pos = { blockNumber: 1, blockHash: '0x' + '11'.repeat(32), transactionHash: '0x' + '22'.repeat(32), index: 3, address: getAddress('0x' + '33'.repeat(20)) };
    const log = rawLog('Swap', ['0x' + 'ab'.repeat(32), pos.address, -1000n, 997n, 1n << 96n, 10n ** 18n, -887272, 500], pos);
    const e = decodeSwapLog(log);
    expect(e).toMatchObject({ type: 'Swap', amount0: -1000n, amount1: 997n, tick: -887272, fee: 500, logIndex: 3 });
  });

  it('returns null for other PoolManager events and rejects malformed logs with LogDecodeError', () => {
    const pos = { blockNumber: 1, blockHash: '0x' + '11'.repeat(32), transactionHash: '0x' + '22'.repeat(32), index: 0, address: getAddress('0x' + '33'.repeat(20)) };
    expect(decodePoolManagerLog({ ...pos, topics: [id('Transfer(address,address,address,uint256,uint256)')], data: '0x' })).toBeNull();
    const good = rawLog('Swap', ['0x' + 'ab'.repeat(32), pos.address, 5n, -5n, 1n, 1n, 1, 1], pos);
    const word = (i: number) => good.data.slice(2 + 64 * i, 66 + 64 * i);
    const withWord = (i: number, w: string) => '0x' + [0, 1, 2, 3, 4, 5].map((j) => (j === i ? w : word(j))).join('');
    const bad: [string, RawLog][] = [
      ['short data', { ...good, data: good.data.slice(0, -64) }],
      ['non-hex data', { ...good, data: good.data.slice(0, -1) + 'z' }],
      ['missing topic', { ...good, topics: good.topics.slice(0, 2) }],
      ['dirty uint24 fee', { ...good, data: withWord(5, zeroPadValue(toBeHex((1n << 30n) + 1n), 32).slice(2)) }],
      ['dirty int24 tick', { ...good, data: withWord(4, '00' + 'f'.repeat(62)) }],
      ['dirty int128 amount', { ...good, data: withWord(0, '1' + '0'.repeat(63)) }],
      ['dirty sender topic', { ...good, topics: [good.topics[0]!, good.topics[1]!, '0x' + 'ff'.repeat(32)] }],
    ];
    for (const [what, log] of bad) {
      expect(() => decodePoolManagerLog(log), what).toThrow(LogDecodeError);
    }
    expect(() => decodeSwapLog({ ...good, topics: [POOL_MANAGER_TOPICS.Donate, ...good.topics.slice(1)] })).toThrow(LogDecodeError);
  });
});
