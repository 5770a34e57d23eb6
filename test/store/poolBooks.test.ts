/**
 * The pools' books in a store: a saga that pays in more than the books hold takes the rest from
 * the wallet's float, recorded as `fromFloat`, and `held` stops at 0 instead of going below zero
 * (which the PositionActor halts on). `held − fromFloat` stays exactly the sum of every flow, and
 * records written before `fromFloat` existed read as none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { StorePoolBooks } from '../../src/adapters/chain/saga/poolBooks.js';
import { FileStore } from '../../src/adapters/store/fileStore.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';

const POOL = `0x${'ab'.repeat(32)}`;
const dirs: string[] = [];

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('StorePoolBooks', () => {
  it('takes an overrun from the float instead of going below zero, once per saga', async () => {
    const books = new StorePoolBooks(new MemoryStore(), 'b/', () => 1_000);
    await books.open(POOL, { amount0: 100n, amount1: 5n }, 'first deposit');
    // the roll's mint took 7 of token1 more than the books held
    expect(await books.apply(POOL, 'roll-1', { amount0: 40n, amount1: -12n })).toEqual({ amount0: 0n, amount1: 7n });
    expect(await books.held(POOL)).toEqual({ amount0: 140n, amount1: 0n });
    expect(await books.fromFloat(POOL)).toEqual({ amount0: 0n, amount1: 7n });
    // the same saga again (a resume after a kill): nothing moves
    expect(await books.apply(POOL, 'roll-1', { amount0: 40n, amount1: -12n })).toEqual({ amount0: 0n, amount1: 0n });
    expect(await books.held(POOL)).toEqual({ amount0: 140n, amount1: 0n });
    // a later inflow raises held; what came from the float stays on record (it is not paid back)
    await books.apply(POOL, 'roll-2', { amount0: -150n, amount1: 20n });
    expect(await books.held(POOL)).toEqual({ amount0: 0n, amount1: 20n });
    expect(await books.fromFloat(POOL)).toEqual({ amount0: 10n, amount1: 7n });
  });

  it('keeps held − fromFloat equal to the deposit plus every flow, and held never below zero', async () => {
    await fc.assert(fc.asyncProperty(
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.bigInt({ min: 0n, max: 10n ** 24n })),
      fc.array(fc.tuple(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n })), { maxLength: 12 }),
      async ([d0, d1], flows) => {
        const books = new StorePoolBooks(new MemoryStore());
        await books.open(POOL, { amount0: d0, amount1: d1 }, 'deposit');
        let sum0 = d0;
        let sum1 = d1;
        for (const [i, [f0, f1]] of flows.entries()) {
          await books.apply(POOL, `saga-${i}`, { amount0: f0, amount1: f1 });
          sum0 += f0;
          sum1 += f1;
          const held = (await books.held(POOL))!;
          const float = await books.fromFloat(POOL);
          expect(held.amount0).toBeGreaterThanOrEqual(0n);
          expect(held.amount1).toBeGreaterThanOrEqual(0n);
          expect(held.amount0 - float.amount0).toBe(sum0);
          expect(held.amount1 - float.amount1).toBe(sum1);
        }
      },
    ), { numRuns: 200 });
  });

  it('reads a record written before fromFloat existed as none taken, and keeps it across a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-books-'));
    dirs.push(dir);
    const a = await FileStore.open(dir);
    await a.put(`agent/books/${POOL}`, { amount0: '12', amount1: '3', lastSagaId: 'mint-1', updatedAt: 5, why: 'saga mint-1' });
    const books = new StorePoolBooks(a);
    expect(await books.held(POOL)).toEqual({ amount0: 12n, amount1: 3n });
    expect(await books.fromFloat(POOL)).toEqual({ amount0: 0n, amount1: 0n });
    await books.apply(POOL, 'roll-1', { amount0: -20n, amount1: 1n });
    await a.close();
    const b = await FileStore.open(dir);
    const again = new StorePoolBooks(b);
    expect(await again.held(POOL)).toEqual({ amount0: 0n, amount1: 4n });
    expect(await again.fromFloat(POOL)).toEqual({ amount0: 8n, amount1: 0n });
    await b.close();
  });
});
