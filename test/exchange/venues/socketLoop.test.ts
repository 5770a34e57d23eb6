import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, socketLoop } from '../../../src/adapters/exchange/ccxt/socketLoop.js';

const HOUR = 3_600_000;

/** A loop that emits once, then sleeps an hour per round until stopped; `ended` resolves when it returns. */
function hourlyLoop(): { loop: Parameters<typeof socketLoop<number>>[0]['loop']; ended: Promise<void> } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    ended,
    loop: async ({ subscriber, stopped, sleep }) => {
      subscriber.next(1);
      while (!stopped()) await sleep(HOUR);
      end();
    },
  };
}

describe('socketLoop', () => {
  it('unsubscribing wakes the sleeping loop, which returns, and closes the socket once', async () => {
    const { loop, ended } = hourlyLoop();
    let closes = 0;
    const seen: number[] = [];
    const sub = socketLoop<number>({ signal: new AbortController().signal, loop, close: async () => void (closes += 1) }).subscribe((v) => seen.push(v));
    sub.unsubscribe();
    await ended;
    expect(seen).toEqual([1]);
    expect(closes).toBe(1);
  });

  it('a venue close (abort) wakes the loop, and the socket is not closed again on unsubscribe', async () => {
    const { loop, ended } = hourlyLoop();
    const lifetime = new AbortController();
    let closes = 0;
    const sub = socketLoop<number>({ signal: lifetime.signal, loop, close: async () => void (closes += 1) }).subscribe();
    lifetime.abort();
    await ended;
    sub.unsubscribe();
    expect(closes).toBe(0);
  });

  it('a loop that throws errors the stream', async () => {
    const boom = new Error('boom');
    const failed = await new Promise<unknown>((resolve) => {
      socketLoop<number>({
        signal: new AbortController().signal,
        loop: async () => {
          await Promise.resolve();
          throw boom;
        },
      }).subscribe({ error: resolve });
    });
    expect(failed).toBe(boom);
  });

  it('reconnect delay doubles from the base per failure and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => reconnectDelayMs(100, 1_000, n))).toEqual([100, 200, 400, 800, 1_000]);
    expect(reconnectDelayMs(1, Number.POSITIVE_INFINITY, 10_000)).toBe(2 ** 20);
  });
});
