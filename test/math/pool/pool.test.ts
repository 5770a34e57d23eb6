/**
 * Unit tests of the pool model: every revert as a typed PoolError with its value, atomicity,
 * modifyLiquidity amounts and fee crediting, donate, protocol and dynamic fees, and the v4-only
 * behaviour checked directly against the Solidity's formulas (the SDK differential cannot see it).
 */
import { keccak256 } from 'ethers';
import { describe, expect, it } from 'vitest';
import { MathDomainError } from '../../../src/math/errors.js';
import { Q128, Q96 } from '../../../src/math/fixedPoint.js';
import { mulDiv, mulDivRoundingUp } from '../../../src/math/fullMath.js';
import {
  DYNAMIC_FEE_FLAG,
  OVERRIDE_FEE_FLAG,
  Pool,
  PoolError,
  type PoolErrorCode,
  calculatePositionKey,
  calculateSwapFee,
  parsePoolSnapshot,
  snapshotToJson,
  tickSpacingToMaxLiquidityPerTick,
} from '../../../src/math/pool/index.js';
import { getAmount0Delta, getAmount1Delta, getNextSqrtPriceFromInput } from '../../../src/math/sqrtPriceMath.js';
import { MAX_SQRT_PRICE, MAX_TICK, MIN_SQRT_PRICE, MIN_TICK, getSqrtPriceAtTick } from '../../../src/math/tickMath.js';

const ALICE = '0x00000000000000000000000000000000000000a1';
const BOB = '0x00000000000000000000000000000000000000b0';
const MIN_LIMIT = MIN_SQRT_PRICE + 1n;
const MAX_LIMIT = MAX_SQRT_PRICE - 1n;

function expectPoolError(fn: () => unknown, code: PoolErrorCode, value?: unknown): PoolError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PoolError);
    expect(e).toBeInstanceOf(MathDomainError);
    expect((e as PoolError).code).toBe(code);
    if (value !== undefined) expect((e as PoolError).value).toEqual(value);
    return e as PoolError;
  }
  throw new Error(`expected PoolError ${code}`);
}

/** A spacing-60 pool at price 1 with one position [-600, 600) of `liquidity` (default 1e18). */
function simplePool(fee = 3000, liquidity = 10n ** 18n): Pool {
  const pool = new Pool({ tickSpacing: 60, fee });
  pool.initialize(Q96);
  pool.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: liquidity });
  return pool;
}

function snapshot(pool: Pool): unknown {
  return {
    slot0: pool.getSlot0(),
    liquidity: pool.getLiquidity(),
    growth: pool.getFeeGrowthGlobals(),
    ticks: pool.initializedTicks(),
    words: [-1, 0].map((w) => pool.getTickBitmap(w)),
    alice: pool.getPosition(ALICE, -600, 600),
  };
}

describe('Pool: reverts as typed errors', () => {
  it('refuses bad tick spacings and fees at construction', () => {
    expectPoolError(() => new Pool({ tickSpacing: 0, fee: 500 }), 'TickSpacingTooSmall', 0);
    expectPoolError(() => new Pool({ tickSpacing: 32768, fee: 500 }), 'TickSpacingTooLarge', 32768);
    expectPoolError(() => new Pool({ tickSpacing: 10, fee: 1_000_001 }), 'LPFeeTooLarge', 1_000_001);
  });

  it('needs initialize before anything, and only once', () => {
    const pool = new Pool({ tickSpacing: 10, fee: 500 });
    expectPoolError(() => pool.swap({ zeroForOne: true, amountSpecified: -1n, sqrtPriceLimitX96: MIN_LIMIT }), 'PoolNotInitialized');
    expectPoolError(() => pool.modifyLiquidity({ owner: ALICE, tickLower: -10, tickUpper: 10, liquidityDelta: 1n }), 'PoolNotInitialized');
    expectPoolError(() => pool.donate(1n, 1n), 'PoolNotInitialized');
    expect(pool.initialize(Q96)).toBe(0);
    expectPoolError(() => pool.initialize(Q96), 'PoolAlreadyInitialized', Q96);
    expect(() => new Pool({ tickSpacing: 10, fee: 500 }).initialize(MIN_SQRT_PRICE - 1n)).toThrow(MathDomainError);
  });

  it('checks ticks like Pool.checkTicks and TickBitmap.flipTick', () => {
    const pool = simplePool();
    expectPoolError(() => pool.modifyLiquidity({ owner: ALICE, tickLower: 60, tickUpper: 60, liquidityDelta: 1n }), 'TicksMisordered', {
      tickLower: 60,
      tickUpper: 60,
    });
    expectPoolError(() => pool.modifyLiquidity({ owner: ALICE, tickLower: MIN_TICK - 1, tickUpper: 0, liquidityDelta: 1n }), 'TickLowerOutOfBounds', MIN_TICK - 1);
    expectPoolError(() => pool.modifyLiquidity({ owner: ALICE, tickLower: 0, tickUpper: MAX_TICK + 1, liquidityDelta: 1n }), 'TickUpperOutOfBounds', MAX_TICK + 1);
    expectPoolError(() => pool.modifyLiquidity({ owner: ALICE, tickLower: 0.5, tickUpper: 60, liquidityDelta: 1n }), 'TickLowerOutOfBounds', 0.5);
    expectPoolError(() => pool.modifyLiquidity({ owner: ALICE, tickLower: -30, tickUpper: 60, liquidityDelta: 1n }), 'TickMisaligned', {
      tick: -30,
      tickSpacing: 60,
    });
  });

  it('caps liquidity per tick (TickLiquidityOverflow) and leaves the pool unchanged', () => {
    const pool = simplePool();
    const before = snapshot(pool);
    const max = tickSpacingToMaxLiquidityPerTick(60);
    // Pool.t.sol: for spacing 60 the cap is type(uint128).max / 29_576 usable ticks
    expect(max).toBe(((1n << 128n) - 1n) / 29_576n);
    expectPoolError(() => pool.modifyLiquidity({ owner: BOB, tickLower: -600, tickUpper: 1200, liquidityDelta: max }), 'TickLiquidityOverflow', -600);
    expect(snapshot(pool)).toEqual(before);
  });

  it('refuses to remove more than a position holds and to poke an empty position, changing nothing', () => {
    const pool = simplePool();
    const before = snapshot(pool);
    expect(() => pool.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: -(10n ** 18n) - 1n })).toThrow(MathDomainError);
    expectPoolError(() => pool.modifyLiquidity({ owner: BOB, tickLower: -600, tickUpper: 600, liquidityDelta: 0n }), 'CannotUpdateEmptyPosition', 0n);
    expectPoolError(() => pool.modifyLiquidity({ owner: BOB, tickLower: -600, tickUpper: 600, liquidityDelta: 1n << 127n }), 'SafeCastOverflow', 1n << 127n);
    expect(snapshot(pool)).toEqual(before);
  });

  it('checks swap amount, price limits and exact-output fee like PoolManager/Pool.swap', () => {
    const pool = simplePool();
    expectPoolError(() => pool.swap({ zeroForOne: true, amountSpecified: 0n, sqrtPriceLimitX96: MIN_LIMIT }), 'SwapAmountCannotBeZero', 0n);
    expectPoolError(() => pool.swap({ zeroForOne: true, amountSpecified: -1n, sqrtPriceLimitX96: Q96 }), 'PriceLimitAlreadyExceeded', {
      sqrtPriceCurrentX96: Q96,
      sqrtPriceLimitX96: Q96,
    });
    expectPoolError(() => pool.swap({ zeroForOne: false, amountSpecified: -1n, sqrtPriceLimitX96: Q96 - 1n }), 'PriceLimitAlreadyExceeded', {
      sqrtPriceCurrentX96: Q96,
      sqrtPriceLimitX96: Q96 - 1n,
    });
    expectPoolError(() => pool.swap({ zeroForOne: true, amountSpecified: -1n, sqrtPriceLimitX96: MIN_SQRT_PRICE }), 'PriceLimitOutOfBounds', MIN_SQRT_PRICE);
    expectPoolError(() => pool.swap({ zeroForOne: false, amountSpecified: -1n, sqrtPriceLimitX96: MAX_SQRT_PRICE }), 'PriceLimitOutOfBounds', MAX_SQRT_PRICE);

    const dynamic = new Pool({ tickSpacing: 60, fee: DYNAMIC_FEE_FLAG });
    dynamic.initialize(Q96);
    dynamic.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 10n ** 18n });
    expectPoolError(
      () => dynamic.swap({ zeroForOne: true, amountSpecified: 5n, sqrtPriceLimitX96: MIN_LIMIT, lpFeeOverride: 1_000_000 | OVERRIDE_FEE_FLAG }),
      'InvalidFeeForExactOut',
      1_000_000,
    );
    expectPoolError(() => dynamic.swap({ zeroForOne: true, amountSpecified: -5n, sqrtPriceLimitX96: MIN_LIMIT, lpFeeOverride: 1_000_001 | OVERRIDE_FEE_FLAG }), 'LPFeeTooLarge', 1_000_001);
  });

  it('refuses a donation with no liquidity in range', () => {
    const pool = new Pool({ tickSpacing: 60, fee: 500 });
    pool.initialize(Q96);
    pool.modifyLiquidity({ owner: ALICE, tickLower: 600, tickUpper: 1200, liquidityDelta: 10n ** 18n });
    expectPoolError(() => pool.donate(1n, 1n), 'NoLiquidityToReceiveFees', 0n);
  });
});

describe('Pool: liquidity and fees', () => {
  it('charges amounts rounded up on add and pays them rounded down on remove, per range side', () => {
    const pool = new Pool({ tickSpacing: 10, fee: 500 });
    const sqrtP = getSqrtPriceAtTick(5) + 12345n;
    pool.initialize(sqrtP);
    const L = 123_456_789_012_345_678n;
    const inRange = pool.modifyLiquidity({ owner: ALICE, tickLower: -100, tickUpper: 100, liquidityDelta: L });
    expect(inRange.principalDelta).toEqual({
      amount0: -getAmount0Delta(sqrtP, getSqrtPriceAtTick(100), L, true),
      amount1: -getAmount1Delta(getSqrtPriceAtTick(-100), sqrtP, L, true),
    });
    expect(pool.getLiquidity()).toBe(L);
    const above = pool.modifyLiquidity({ owner: ALICE, tickLower: 100, tickUpper: 200, liquidityDelta: L });
    expect(above.principalDelta).toEqual({ amount0: -getAmount0Delta(getSqrtPriceAtTick(100), getSqrtPriceAtTick(200), L, true), amount1: 0n });
    const below = pool.modifyLiquidity({ owner: ALICE, tickLower: -200, tickUpper: -100, liquidityDelta: L });
    expect(below.principalDelta).toEqual({ amount0: 0n, amount1: -getAmount1Delta(getSqrtPriceAtTick(-200), getSqrtPriceAtTick(-100), L, true) });
    expect(pool.getLiquidity()).toBe(L);
    const out = pool.modifyLiquidity({ owner: ALICE, tickLower: -100, tickUpper: 100, liquidityDelta: -L });
    expect(out.principalDelta).toEqual({
      amount0: getAmount0Delta(sqrtP, getSqrtPriceAtTick(100), L, false),
      amount1: getAmount1Delta(getSqrtPriceAtTick(-100), sqrtP, L, false),
    });
    expect(pool.getLiquidity()).toBe(0n);
    expect(pool.getTick(-100)).toMatchObject({ liquidityGross: L, liquidityNet: -L });
    // ticks 100 and -100 stay initialized: the other positions still reference them
    expect(pool.initializedTicks().map((t) => t.tick)).toEqual([-200, -100, 100, 200]);
  });

  it('credits fees on every modify, split by liquidity, and collect is a poke', () => {
    const pool = simplePool(3000);
    pool.modifyLiquidity({ owner: BOB, tickLower: -600, tickUpper: 600, liquidityDelta: 3n * 10n ** 18n });
    const swap = pool.swap({ zeroForOne: true, amountSpecified: -(10n ** 15n), sqrtPriceLimitX96: MIN_LIMIT });
    expect(swap.amount0).toBe(-(10n ** 15n));
    // one step that stops short of its target: fee = amountRemaining - amountRemainingLessFee (v4)
    const fee = 10n ** 15n - mulDiv(10n ** 15n, 1_000_000n - 3000n, 1_000_000n);
    expect(swap.feeAmount).toBe(fee);
    expect(pool.getFeeGrowthGlobals().feeGrowthGlobal0X128).toBe((fee * Q128) / (4n * 10n ** 18n));
    const aliceFees = pool.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 0n });
    const bobFees = pool.modifyLiquidity({ owner: BOB, tickLower: -600, tickUpper: 600, liquidityDelta: 0n });
    const growth = pool.getFeeGrowthGlobals().feeGrowthGlobal0X128;
    expect(aliceFees.feesAccrued).toEqual({ amount0: mulDiv(growth, 10n ** 18n, Q128), amount1: 0n });
    expect(bobFees.feesAccrued).toEqual({ amount0: mulDiv(growth, 3n * 10n ** 18n, Q128), amount1: 0n });
    expect(aliceFees.callerDelta).toEqual(aliceFees.feesAccrued);
    expect(aliceFees.feesAccrued.amount0 + bobFees.feesAccrued.amount0).toBeLessThanOrEqual(fee);
    expect(aliceFees.feesAccrued.amount0 + bobFees.feesAccrued.amount0).toBeGreaterThanOrEqual(fee - 2n);
    // a second poke pays nothing more
    expect(pool.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 0n }).feesAccrued).toEqual({ amount0: 0n, amount1: 0n });
    expect(pool.getPosition(ALICE, -600, 600).feeGrowthInside0LastX128).toBe(growth);
  });

  it('donate adds to fee growth of in-range liquidity and owes the donor both amounts', () => {
    const pool = simplePool();
    const d = pool.donate(1000n, 2000n);
    expect(d).toEqual({ amount0: -1000n, amount1: -2000n });
    expect(pool.getFeeGrowthGlobals()).toEqual({ feeGrowthGlobal0X128: (1000n * Q128) / 10n ** 18n, feeGrowthGlobal1X128: (2000n * Q128) / 10n ** 18n });
    const fees = pool.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 0n }).feesAccrued;
    expect(fees).toEqual({ amount0: 999n, amount1: 1999n });
  });

  it('lets fee growth wrap around 2^256 as the unchecked Solidity does, and still pays the right fees', () => {
    const pool = simplePool(3000, 1n);
    const amount = 1n << 126n;
    for (let i = 1; i <= 5; i++) {
      pool.donate(amount, 0n);
      // growth += 2^126 * 2^128 / 1 = 2^254 per donation, mod 2^256
      expect(pool.getFeeGrowthGlobals().feeGrowthGlobal0X128).toBe((BigInt(i) << 254n) % (1n << 256n));
      expect(pool.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 0n }).feesAccrued.amount0).toBe(amount);
    }
    // fees beyond int128 in one modify revert (SafeCast), as on chain
    pool.donate(amount, 0n);
    pool.donate(amount, 0n);
    expectPoolError(() => pool.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 0n }), 'SafeCastOverflow', amount * 2n);
  });

  it('keys positions by owner, range and salt, with the on-chain bytes32 key', () => {
    const pool = simplePool();
    const salt = `0x${'0'.repeat(63)}7`;
    pool.modifyLiquidity({ owner: ALICE.toUpperCase().replace('0X', '0x'), tickLower: -600, tickUpper: 600, liquidityDelta: 5n, salt });
    expect(pool.getPosition(ALICE, -600, 600, salt).liquidity).toBe(5n);
    expect(pool.getPosition(ALICE, -600, 600).liquidity).toBe(10n ** 18n);
    // keccak256(abi.encodePacked(address(0xa1), int24(-600), int24(600), bytes32(7)))
    expect(calculatePositionKey(ALICE, -600, 600, salt)).toBe(keccak256(`${ALICE}fffda8000258${salt.slice(2)}`));
    expect(calculatePositionKey(ALICE, -600, 600, salt)).not.toBe(calculatePositionKey(ALICE, -600, 600));
  });

  it('clone is independent', () => {
    const pool = simplePool();
    const copy = pool.clone();
    copy.swap({ zeroForOne: true, amountSpecified: -(10n ** 16n), sqrtPriceLimitX96: MIN_LIMIT });
    copy.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: -1n });
    expect(pool.getSlot0().sqrtPriceX96).toBe(Q96);
    expect(pool.getPosition(ALICE, -600, 600).liquidity).toBe(10n ** 18n);
    expect(copy.getSlot0().sqrtPriceX96 < Q96).toBe(true);
  });
});

describe('Pool: v4-only behaviour, from the Solidity logic', () => {
  it('an exact-input step that stops short takes amountIn = amountRemainingLessFee (v3 recomputes it from the price)', () => {
    // over many amounts, v4's split (amountIn = remainingLessFee) must be what the pool applies,
    // and it must differ from v3's recomputed amountIn for some of them (else this proves nothing)
    // (liquidity above 2^96, so one unit of sqrt price is worth more than one wei of token1)
    let differsFromV3 = 0;
    for (let k = 1n; k <= 200n; k++) {
      const pool = simplePool(3000, 10n ** 30n + k);
      const amount = k * 7_919_000_003n;
      const L = pool.getLiquidity();
      const r = pool.swap({ zeroForOne: false, amountSpecified: -amount, sqrtPriceLimitX96: MAX_LIMIT });
      const lessFee = mulDiv(amount, 997_000n, 1_000_000n);
      const next = getNextSqrtPriceFromInput(Q96, L, lessFee, false);
      expect(r.sqrtPriceX96).toBe(next);
      expect(r.amount1).toBe(-amount);
      expect(r.amount0).toBe(getAmount0Delta(Q96, next, L, false));
      expect(r.feeAmount).toBe(amount - lessFee);
      expect(pool.getFeeGrowthGlobals().feeGrowthGlobal1X128).toBe(((amount - lessFee) * Q128) / L);
      const v3AmountIn = getAmount1Delta(Q96, next, L, true);
      if (v3AmountIn !== lessFee) differsFromV3++;
    }
    expect(differsFromV3).toBeGreaterThan(0);
  });

  it('ending exactly on a tick in a zeroForOne swap leaves slot0.tick one below it (preemptive decrement)', () => {
    const pool = simplePool();
    // the limit is the next initialized tick's price: the step reaches sqrtPriceNext, crosses -600
    const r = pool.swap({ zeroForOne: true, amountSpecified: -(10n ** 20n), sqrtPriceLimitX96: getSqrtPriceAtTick(-600) });
    expect(r.sqrtPriceX96).toBe(getSqrtPriceAtTick(-600));
    expect(r.tick).toBe(-601);
    expect(r.liquidity).toBe(0n);
    expect(r.ticksCrossed).toBe(1);
    expect(pool.getSlot0().tick).toBe(-601);
    // a limit that is not a bitmap tick: the tick is recomputed from the price (no decrement)
    const pool2 = simplePool();
    const r2 = pool2.swap({ zeroForOne: true, amountSpecified: -(10n ** 20n), sqrtPriceLimitX96: getSqrtPriceAtTick(-120) });
    expect(r2.tick).toBe(-120);
    // going up across both initialized ticks
    const up = pool.swap({ zeroForOne: false, amountSpecified: -(10n ** 20n), sqrtPriceLimitX96: getSqrtPriceAtTick(660) });
    expect(up.tick).toBe(660);
    expect(up.liquidity).toBe(0n);
    expect(up.ticksCrossed).toBe(2);
  });
});

describe('Pool: protocol and dynamic fees', () => {
  it('takes the protocol share first and the LP fee from the rest, per direction', () => {
    const pool = simplePool(3000);
    pool.setProtocolFee(1000 | (250 << 12));
    expect(() => pool.setProtocolFee(1001)).toThrow(PoolError);
    const amount = 10n ** 15n;
    const r = pool.swap({ zeroForOne: true, amountSpecified: -amount, sqrtPriceLimitX96: MIN_LIMIT });
    expect(r.swapFee).toBe(calculateSwapFee(1000, 3000));
    expect(r.swapFee).toBe(3997);
    expect(r.amountToProtocol).toBe((amount * 1000n) / 1_000_000n);
    const lessFee = mulDiv(amount, BigInt(1_000_000 - 3997), 1_000_000n);
    expect(r.feeAmount).toBe(amount - lessFee);
    expect(pool.getFeeGrowthGlobals().feeGrowthGlobal0X128).toBe(((amount - lessFee - r.amountToProtocol) * Q128) / 10n ** 18n);
    const back = pool.swap({ zeroForOne: false, amountSpecified: -amount, sqrtPriceLimitX96: MAX_LIMIT });
    expect(back.swapFee).toBe(calculateSwapFee(250, 3000));
    expect(back.amountToProtocol).toBe((amount * 250n) / 1_000_000n);
  });

  it('gives the whole fee to the protocol when the LP fee is 0', () => {
    const pool = simplePool(0);
    pool.setProtocolFee(1000);
    const r = pool.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT });
    expect(r.swapFee).toBe(1000);
    expect(r.amountToProtocol).toBe(r.feeAmount);
    expect(pool.getFeeGrowthGlobals().feeGrowthGlobal0X128).toBe(0n);
  });

  it('uses a per-swap fee override only on a dynamic-fee pool', () => {
    const dynamic = new Pool({ tickSpacing: 60, fee: DYNAMIC_FEE_FLAG });
    dynamic.initialize(Q96);
    expect(dynamic.getSlot0().lpFee).toBe(0);
    dynamic.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 10n ** 18n });
    expect(dynamic.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT }).swapFee).toBe(0);
    const over = dynamic.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT, lpFeeOverride: 4321 | OVERRIDE_FEE_FLAG });
    expect(over.swapFee).toBe(4321);
    expect(over.feeAmount).toBe(10n ** 12n - mulDiv(10n ** 12n, BigInt(1_000_000 - 4321), 1_000_000n));
    dynamic.setLPFee(777);
    expect(dynamic.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT }).swapFee).toBe(777);

    const fixed = simplePool(500);
    expect(fixed.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT, lpFeeOverride: 4321 }).swapFee).toBe(500);
  });

  it('ignores a hook fee without OVERRIDE_FEE_FLAG, as Pool.sol does (regression: it was applied)', () => {
    // found by test/chain/dynamicFeeDifferential.test.ts: DynamicFeesTestHook returns 0 without the
    // flag and PoolManager charges the stored fee; the model charged 0
    const dynamic = new Pool({ tickSpacing: 60, fee: DYNAMIC_FEE_FLAG });
    dynamic.initialize(Q96);
    dynamic.modifyLiquidity({ owner: ALICE, tickLower: -600, tickUpper: 600, liquidityDelta: 10n ** 18n });
    dynamic.setLPFee(3000);
    expect(dynamic.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT, lpFeeOverride: 0 }).swapFee).toBe(3000);
    expect(dynamic.swap({ zeroForOne: false, amountSpecified: 10n ** 9n, sqrtPriceLimitX96: MAX_LIMIT, lpFeeOverride: 4321 }).swapFee).toBe(3000);
    // a flagless fee is not validated either: no LPFeeTooLarge
    expect(dynamic.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT, lpFeeOverride: 1_000_001 }).swapFee).toBe(3000);
    expect(dynamic.swap({ zeroForOne: true, amountSpecified: -(10n ** 12n), sqrtPriceLimitX96: MIN_LIMIT, lpFeeOverride: 0 | OVERRIDE_FEE_FLAG }).swapFee).toBe(0);
  });

  it('charges exact-output fees rounded up on the input', () => {
    const pool = simplePool(3000);
    const L = pool.getLiquidity();
    const r = pool.swap({ zeroForOne: true, amountSpecified: 10n ** 12n, sqrtPriceLimitX96: MIN_LIMIT });
    expect(r.amount1).toBe(10n ** 12n);
    const amountIn = getAmount0Delta(r.sqrtPriceX96, Q96, L, true);
    expect(r.feeAmount).toBe(mulDivRoundingUp(amountIn, 3000n, 997_000n));
    expect(r.amount0).toBe(-(amountIn + r.feeAmount));
  });
});

describe('Pool: snapshots', () => {
  it('round-trips through toSnapshot / JSON / fromSnapshot and swaps identically afterwards', () => {
    const pool = simplePool(3000);
    pool.modifyLiquidity({ owner: BOB, tickLower: -120, tickUpper: 240, liquidityDelta: 7n * 10n ** 17n, salt: `0x${'ab'.repeat(32)}` });
    pool.setProtocolFee(300 | (200 << 12));
    pool.swap({ zeroForOne: true, amountSpecified: -(10n ** 17n), sqrtPriceLimitX96: getSqrtPriceAtTick(-180) });
    pool.donate(5n, 7n);
    const json = JSON.stringify(snapshotToJson(pool.toSnapshot()));
    const copy = Pool.fromSnapshot(parsePoolSnapshot(JSON.parse(json)));
    expect(copy.toSnapshot()).toEqual(pool.toSnapshot());
    for (const [zeroForOne, amount] of [[false, -(10n ** 18n)], [true, 3n * 10n ** 17n]] as const) {
      const params = { zeroForOne, amountSpecified: amount, sqrtPriceLimitX96: zeroForOne ? MIN_LIMIT : MAX_LIMIT };
      expect(copy.swap(params)).toEqual(pool.swap(params));
    }
    expect(copy.modifyLiquidity({ owner: BOB, tickLower: -120, tickUpper: 240, liquidityDelta: 0n, salt: `0x${'ab'.repeat(32)}` })).toEqual(
      pool.modifyLiquidity({ owner: BOB, tickLower: -120, tickUpper: 240, liquidityDelta: 0n, salt: `0x${'ab'.repeat(32)}` }),
    );
  });

  it('accepts the preemptively decremented tick and rejects inconsistent snapshots with the reason', () => {
    const pool = simplePool();
    pool.swap({ zeroForOne: true, amountSpecified: -(10n ** 20n), sqrtPriceLimitX96: getSqrtPriceAtTick(-600) });
    const s = pool.toSnapshot();
    expect(s.tick).toBe(-601);
    expect(Pool.fromSnapshot(s).getSlot0()).toEqual(pool.getSlot0());
    const e1 = expectPoolError(() => Pool.fromSnapshot({ ...s, tick: -700 }), 'InvalidSnapshot');
    expect(e1.message).toContain('tick does not match sqrtPriceX96');
    expectPoolError(() => Pool.fromSnapshot({ ...s, ticks: s.ticks.slice(1) }), 'InvalidSnapshot');
    expectPoolError(() => Pool.fromSnapshot({ ...s, liquidity: s.liquidity + 1n }), 'InvalidSnapshot');
    expectPoolError(() => Pool.fromSnapshot({ ...s, ticks: [{ ...s.ticks[0]!, tick: s.ticks[0]!.tick + 1 }, ...s.ticks.slice(1)] }), 'InvalidSnapshot');
    expect(() => parsePoolSnapshot({ ...snapshotToJson(s) as object, sqrtPriceX96: '1.5' })).toThrow(/sqrtPriceX96/);
  });
});
