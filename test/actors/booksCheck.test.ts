import { describe, expect, it } from 'vitest';
import { impossibleBooks, type CheckedBooks } from '../../src/actors/position/booksCheck.js';

const ok: CheckedBooks = { held: { amount0: '5', amount1: '0' }, valueUsd: 1000, delta: 0.3, price: 3000, position: { liquidity: '100' } };

describe('impossible books', () => {
  it('are plausible books: no reason', () => {
    expect(impossibleBooks(ok, 'USDC', 'WETH')).toBeNull();
  });
  it.each([
    ['a negative held token0', { ...ok, held: { amount0: '-1', amount1: '0' } }, /negative amount of USDC/],
    ['a negative held token1', { ...ok, held: { amount0: '0', amount1: '-7' } }, /negative amount of WETH/],
    ['a wallet short of token1', { ...ok, walletShortfall: { amount0: '0', amount1: '3' } }, /wallet holds 3 raw units of WETH less than the books/],
    ['a value that is not a number', { ...ok, valueUsd: Number.NaN }, /value is not a number/],
    ['an infinite delta', { ...ok, delta: Number.POSITIVE_INFINITY }, /delta is not a number/],
    ['a value of zero with a live position', { ...ok, valueUsd: 0 }, /value is 0 USD with a live position/],
    ['a negative value with a live position', { ...ok, valueUsd: -12 }, /value is -12 USD/],
  ])('%s has a reason', (_what, books, reason) => {
    expect(impossibleBooks(books, 'USDC', 'WETH')).toMatch(reason);
  });
  it('a value of zero without a position, or before the first price, is not impossible', () => {
    expect(impossibleBooks({ ...ok, valueUsd: 0, position: null }, 'USDC', 'WETH')).toBeNull();
    expect(impossibleBooks({ ...ok, valueUsd: Number.NaN, price: 0 }, 'USDC', 'WETH')).toBeNull();
  });
});
