/**
 * SeenTrades, the ledger the socket and polling paths of a fill stream share: whatever order and
 * however often trades are delivered (socket, catch-up, polls, ccxt's cache handed back after a
 * reconnect) and wherever pruning happens, no trade is admitted twice, and a trade delivered while
 * it is not older than every symbol's fetch start point is admitted.
 */
import type { Trade as CcxtTrade } from 'ccxt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEEN_TRADES_KEEP_MS, SeenTrades } from '../../../src/adapters/exchange/ccxt/seenTrades.js';

const SYMBOLS = ['ETH/USDT:USDT', 'BTC/USDT:USDT'];
const START = 1_800_000_000_000;

const trade = (id: number, symbol: string, timestamp: number): CcxtTrade => ({ id: String(id), symbol, timestamp }) as CcxtTrade;

/** Trades with distinct ids, spread over ~5 minutes around the start (some before it). */
const tradesArb = fc.uniqueArray(fc.record({ id: fc.nat(10_000), sym: fc.constantFrom(...SYMBOLS), dt: fc.integer({ min: -30_000, max: 5 * SEEN_TRADES_KEEP_MS }) }), {
  minLength: 1, maxLength: 40, selector: (t) => t.id,
});

describe('SeenTrades', () => {
  it('admits each trade at most once, and every trade not older than the oldest fetch start point', () => {
    fc.assert(fc.property(tradesArb, fc.array(fc.oneof(fc.nat(1_000).map((i) => ({ deliver: i })), fc.constant({ prune: true })), { maxLength: 200 }), (trades, steps) => {
      const seen = new SeenTrades(SYMBOLS, START);
      const admitted = new Map<string, number>();
      for (const step of steps) {
        if ('prune' in step) {
          seen.prune();
          continue;
        }
        const t = trades[step.deliver % trades.length];
        if (t === undefined) continue;
        const oldestStart = Math.min(...SYMBOLS.map((s) => seen.since(s)));
        const firstTime = !admitted.has(String(t.id));
        const ok = seen.admit(trade(t.id, t.sym, START + t.dt));
        if (ok) admitted.set(String(t.id), (admitted.get(String(t.id)) ?? 0) + 1);
        if (firstTime && START + t.dt >= oldestStart) expect(ok).toBe(true);
      }
      for (const n of admitted.values()) expect(n).toBe(1);
    }), { numRuns: 300 });
  });

  it('starts each symbol\'s next fetch at its newest trade seen, else at the start', () => {
    const seen = new SeenTrades(SYMBOLS, START);
    expect(seen.since('ETH/USDT:USDT')).toBe(START);
    expect(seen.admit(trade(1, 'ETH/USDT:USDT', START + 500))).toBe(true);
    expect(seen.admit(trade(2, 'ETH/USDT:USDT', START + 200))).toBe(true);
    expect(seen.since('ETH/USDT:USDT')).toBe(START + 500);
    expect(seen.since('BTC/USDT:USDT')).toBe(START);
  });

  it('refuses a forgotten trade handed back after pruning (a reconnected socket replaying its cache)', () => {
    const seen = new SeenTrades(SYMBOLS, START);
    const old = trade(1, 'ETH/USDT:USDT', START + 1_000);
    expect(seen.admit(old)).toBe(true);
    expect(seen.admit(trade(2, 'ETH/USDT:USDT', START + 10 * SEEN_TRADES_KEEP_MS))).toBe(true);
    expect(seen.admit(trade(3, 'BTC/USDT:USDT', START + 10 * SEEN_TRADES_KEEP_MS))).toBe(true);
    seen.prune();
    expect(seen.size).toBe(2);
    expect(seen.admit(old)).toBe(false);
  });
});
