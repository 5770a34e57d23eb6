import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonRpcProvider, Network, NonceManager, Wallet, parseUnits } from 'ethers';
import { startAnvil, type TestAnvil } from '../support/anvil.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { GasPriceAboveCapError, ReceiptTimeoutError } from '../../../src/adapters/chain/tx/errors.js';
import { createLogger } from '../../../src/logging/logger.js';
import { LogCapture } from '../../support/venues/logCapture.js';
import { OWNER_KEY, OTHER_KEY, silentLogger } from './support/positionsDevnet.js';

let anvil: TestAnvil;
let provider: JsonRpcProvider;
let wallet: Wallet;
const SINK = '0x000000000000000000000000000000000000dEaD';

beforeAll(async () => {
  anvil = await startAnvil();
  const network = Network.from(31337);
  provider = new JsonRpcProvider(anvil.rpcUrl, network, { staticNetwork: network, pollingInterval: 50, cacheTimeout: -1 });
  wallet = new Wallet(OWNER_KEY, provider);
});
afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

const newSender = (config = {}): TxSender => new TxSender({ signer: wallet, provider, logger: silentLogger, config: { receiptTimeoutMs: 20_000, receiptPollMs: 20, ...config } });
const pay = (label: string, value = 1n) => ({ to: SINK, data: '0x', value, label });

describe('TxSender', () => {
  it('refuses to send when base fee + priority fee is above the cap, and sends under it', async () => {
    await provider.send('anvil_setNextBlockBaseFeePerGas', [parseUnits('150', 'gwei').toString()]);
    await provider.send('evm_mine', []);
    const nonceBefore = await provider.getTransactionCount(wallet.address, 'pending');
    const capped = newSender({ maxGasPriceGwei: 100, priorityFeeGwei: 2 });
    const err = await capped.send(pay('too expensive')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GasPriceAboveCapError);
    const e = err as GasPriceAboveCapError;
    expect(e.capWei).toBe(parseUnits('100', 'gwei'));
    expect(e.priorityFeeWei).toBe(parseUnits('2', 'gwei'));
    expect(e.requiredWei).toBe(e.baseFeeWei + e.priorityFeeWei);
    expect(e.baseFeeWei).toBeGreaterThan(parseUnits('98', 'gwei'));
    expect(await provider.getTransactionCount(wallet.address, 'pending')).toBe(nonceBefore);

    const roomy = newSender({ maxGasPriceGwei: 400, priorityFeeGwei: 2 });
    const r = await roomy.send(pay('affordable'));
    expect(r.nonce).toBe(nonceBefore);
    expect(r.effectiveGasPrice).toBeLessThanOrEqual(parseUnits('400', 'gwei'));
    const tx = await provider.getTransaction(r.hash);
    expect(tx!.maxFeePerGas).toBeLessThanOrEqual(parseUnits('400', 'gwei'));
    expect(tx!.maxPriorityFeePerGas).toBe(parseUnits('2', 'gwei'));
  });

  it('gives concurrent sends consecutive nonces, and a restarted sender continues from the chain', async () => {
    const sender = newSender({ maxGasPriceGwei: 1000 });
    const start = await provider.getTransactionCount(wallet.address, 'pending');
    const results = await Promise.all([1n, 2n, 3n, 4n, 5n].map((v) => sender.send(pay(`c${v}`, v))));
    expect(results.map((r) => r.nonce).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4].map((i) => start + i));
    const restarted = newSender({ maxGasPriceGwei: 1000 });
    expect((await restarted.send(pay('after restart'))).nonce).toBe(start + 5);
    // the first sender's local count is now stale: it resyncs instead of failing
    expect((await sender.send(pay('stale'))).nonce).toBe(start + 6);
  });

  it('several senders on one wallet (several processes of one agent) all get their transactions through, each nonce used once', async () => {
    // each sender's local count goes stale as the others send: a send may find its nonce taken
    // (mined, or pending) more than once before it gets one, and must still go through
    const senders = [newSender({ maxGasPriceGwei: 1000 }), newSender({ maxGasPriceGwei: 1000 }), newSender({ maxGasPriceGwei: 1000 })];
    const start = await provider.getTransactionCount(wallet.address, 'pending');
    for (const [i, s] of senders.entries()) await s.send(pay(`warm ${i}`));
    const results = [];
    for (let round = 0; round < 3; round++) {
      results.push(...await Promise.all(senders.flatMap((s, i) => [1n, 2n, 3n, 4n].map((v) => s.send(pay(`r${round} s${i} ${v}`, 100n * BigInt(round) + 10n * BigInt(i) + v))))));
    }
    const nonces = results.map((r) => r.nonce).sort((a, b) => a - b);
    expect(nonces).toEqual(nonces.map((_, k) => start + 3 + k));
    expect(await provider.getTransactionCount(wallet.address, 'latest')).toBe(start + 3 + results.length);
  });

  it('signs with its own nonce whatever the signer does with nonces: a NonceManager signer neither collides nor fails after a journaled send', async () => {
    // ethers' NonceManager counts nonces itself: it used to replace ours on plain sends, and its
    // count went stale once a journaled send (signed with our nonce) went out
    const managed = new NonceManager(new Wallet(OWNER_KEY, provider));
    const sender = new TxSender({ signer: managed, provider, logger: silentLogger, config: { maxGasPriceGwei: 1000, receiptTimeoutMs: 20_000, receiptPollMs: 20 } });
    const start = await provider.getTransactionCount(wallet.address, 'pending');
    const journaled: number[] = [];
    const a = await sender.send(pay('plain 1'));
    // a roll's two journaled steps (swap, roll transaction), then a plain send (an approval)
    const b1 = await sender.send({ ...pay('journaled swap'), beforeBroadcast: async (signed) => void journaled.push(signed.nonce) });
    const b2 = await sender.send({ ...pay('journaled roll'), beforeBroadcast: async (signed) => void journaled.push(signed.nonce) });
    const c = await sender.send(pay('plain 2'));
    expect([a.nonce, b1.nonce, b2.nonce, c.nonce]).toEqual([start, start + 1, start + 2, start + 3]);
    expect(journaled).toEqual([start + 1, start + 2]);
    // the nonce each result names is the one the chain mined
    for (const r of [a, b1, b2, c]) expect((await provider.getTransaction(r.hash))!.nonce).toBe(r.nonce);
  });

  it('times out waiting for a receipt with a typed error carrying the hash and nonce', async () => {
    const other = new Wallet(OTHER_KEY, provider);
    const sender = new TxSender({ signer: other, provider, logger: silentLogger, config: { maxGasPriceGwei: 1000, receiptTimeoutMs: 250, receiptPollMs: 20 } });
    await provider.send('evm_setAutomine', [false]);
    try {
      const err = await sender.send(pay('never mined')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReceiptTimeoutError);
      const e = err as ReceiptTimeoutError;
      expect(e.hash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(e.nonce).toBe(await provider.getTransactionCount(other.address, 'latest'));
      await provider.send('evm_mine', []);
      expect((await provider.getTransactionReceipt(e.hash))?.status).toBe(1);
    } finally {
      await provider.send('evm_setAutomine', [true]);
    }
  });

  /** The pending transactions of `address` in anvil's pool, by nonce. */
  async function pending(address: string): Promise<Map<number, { hash: string; maxPriorityFeePerGas: bigint; maxFeePerGas: bigint }>> {
    const pool = (await provider.send('txpool_content', [])) as { pending: Record<string, Record<string, { hash: string; maxPriorityFeePerGas: string; maxFeePerGas: string }>> };
    const mine = Object.entries(pool.pending).find(([a]) => a.toLowerCase() === address.toLowerCase())?.[1] ?? {};
    return new Map(Object.entries(mine).map(([n, t]) => [Number(n), { hash: t.hash, maxPriorityFeePerGas: BigInt(t.maxPriorityFeePerGas), maxFeePerGas: BigInt(t.maxFeePerGas) }]));
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('replaces a transaction that is not mined with raised fees (same nonce) and returns the version that was mined', async () => {
    const other = new Wallet(OTHER_KEY, provider);
    const capture = new LogCapture();
    const sender = new TxSender({
      signer: other, provider, logger: createLogger({ level: 'info', destination: capture }),
      config: { maxGasPriceGwei: 1000, priorityFeeGwei: 2, receiptTimeoutMs: 20_000, receiptPollMs: 20, replaceAfterMs: 150, feeBumpPct: 20, maxReplacements: 2 },
    });
    await provider.send('evm_setAutomine', [false]);
    try {
      const nonce = await provider.getTransactionCount(other.address, 'latest');
      const sent = sender.send(pay('stuck'));
      const sentLine = await until('the original sent', async () => capture.lines.map((l) => JSON.parse(l) as { msg: string; hash?: string; maxFeePerGas?: string }).find((l) => l.msg === 'tx sent'));
      const original = { hash: sentLine.hash!, maxFeePerGas: BigInt(sentLine.maxFeePerGas!) };
      // two replacements of 20% each: 2 → 2.4 → 2.88 gwei tip
      const last = await until('the second replacement', async () => {
        const t = (await pending(other.address)).get(nonce);
        return t !== undefined && t.maxPriorityFeePerGas === parseUnits('2.88', 'gwei') ? t : undefined;
      });
      expect(last.maxFeePerGas).toBeGreaterThanOrEqual((original.maxFeePerGas * 144n) / 100n);
      await provider.send('evm_mine', []);
      const r = await sent;
      expect(r.replacements).toBe(2);
      expect(r.nonce).toBe(nonce);
      expect(r.hash).toBe(last.hash);
      expect(r.receipt.status).toBe(1);
      expect(await provider.getTransactionReceipt(original.hash)).toBeNull();
      expect(await provider.getTransactionCount(other.address, 'latest')).toBe(nonce + 1);
    } finally {
      await provider.send('evm_setAutomine', [true]);
    }
  });

  it('does not replace when the raise would go above the gas cap, and says so', async () => {
    const other = new Wallet(OTHER_KEY, provider);
    const capture = new LogCapture();
    await provider.send('anvil_setNextBlockBaseFeePerGas', [parseUnits('1', 'gwei').toString()]);
    await provider.send('evm_mine', []);
    // first fees: tip 2, maxFee min(2·1 + 2, 4.5) = 4 gwei; +20% would be 4.8 > the 4.5 cap
    const sender = new TxSender({
      signer: other, provider, logger: createLogger({ level: 'info', destination: capture }),
      config: { maxGasPriceGwei: 4.5, priorityFeeGwei: 2, receiptTimeoutMs: 20_000, receiptPollMs: 20, replaceAfterMs: 100, feeBumpPct: 20, maxReplacements: 3 },
    });
    await provider.send('evm_setAutomine', [false]);
    try {
      const nonce = await provider.getTransactionCount(other.address, 'latest');
      const sent = sender.send(pay('at the cap'));
      await until('the cap warning', async () => (capture.text().includes('fees are at the cap') ? true : undefined));
      const t = (await pending(other.address)).get(nonce)!;
      expect(t.maxFeePerGas).toBe(parseUnits('4', 'gwei'));
      expect(t.maxPriorityFeePerGas).toBe(parseUnits('2', 'gwei'));
      await provider.send('evm_mine', []);
      const r = await sent;
      expect(r.replacements).toBe(0);
      expect(r.hash).toBe(t.hash);
    } finally {
      await provider.send('evm_setAutomine', [true]);
    }
  });
});
