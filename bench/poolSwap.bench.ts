/**
 * Pool model swap: ops/s of a swap crossing 10 initialized ticks through our in-memory v4 pool
 * (src/math/pool) next to @uniswap/v4-sdk's Pool doing the same swap (getOutputAmount, which
 * runs @uniswap/v3-sdk's v3Swap on JSBI and builds the resulting Pool), and next to v3Swap
 * alone (the SDK's swap loop without the Pool wrapper). Both directions alternate, so our
 * pool (which is mutable) returns to the same state every two swaps; the SDK pools are
 * immutable and prebuilt at those two states. Before timing, the results of both directions
 * are required to be identical (price, tick, liquidity, output amount); the suite throws otherwise.
 */
import { CurrencyAmount } from '@uniswap/sdk-core';
import { TickListDataProvider, v3Swap } from '@uniswap/v3-sdk';
import jsbiModule from 'jsbi';
import { Pool, getSqrtPriceAtTick } from '../src/math/index.js';
import { SDK_TOKEN0, SDK_TOKEN1, sdkTicks, toSdkPool } from '../test/math/pool/sdkOracle.js';
import { opsPerSecond, result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

type JsbiClass = typeof jsbiModule.default;
const JSBI: JsbiClass = (jsbiModule as unknown as { default?: JsbiClass }).default ?? (jsbiModule as unknown as JsbiClass);

const MS = 1000;
const OWNER = '0x00000000000000000000000000000000000000aa';
const AMOUNT = 10n ** 30n; // far more than the move needs: each swap stops at its price limit

/** Spacing 10, fee 0.3%, price at tick 55, ten nested positions: initialized ticks at ±100 … ±1000. */
function benchPool(): Pool {
  const pool = new Pool({ tickSpacing: 10, fee: 3000 });
  pool.initialize(getSqrtPriceAtTick(55));
  for (let k = 1; k <= 10; k++) {
    pool.modifyLiquidity({ owner: OWNER, tickLower: -100 * k, tickUpper: 100 * k, liquidityDelta: BigInt(k) * 10n ** 20n });
  }
  return pool;
}

async function run(emit: (r: BenchResult) => void): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  const pool = benchPool();
  const downLimit = getSqrtPriceAtTick(-1055);
  const upLimit = getSqrtPriceAtTick(55);
  const ticks = sdkTicks(pool);
  const sdkAtTop = toSdkPool(pool, ticks);

  // check: our down and up swaps against the SDK's, from the same states
  const down = pool.clone().swap({ zeroForOne: true, amountSpecified: -AMOUNT, sqrtPriceLimitX96: downLimit });
  if (down.ticksCrossed !== 10) throw new Error(`bench swap crosses ${down.ticksCrossed} ticks, not 10`);
  const [sdkDownOut, sdkAtBottom] = await sdkAtTop.getOutputAmount(CurrencyAmount.fromRawAmount(SDK_TOKEN0, AMOUNT.toString()), JSBI.BigInt(downLimit.toString()));
  const bottom = pool.clone();
  bottom.swap({ zeroForOne: true, amountSpecified: -AMOUNT, sqrtPriceLimitX96: downLimit });
  const up = bottom.clone().swap({ zeroForOne: false, amountSpecified: -AMOUNT, sqrtPriceLimitX96: upLimit });
  const [sdkUpOut, sdkBackAtTop] = await sdkAtBottom.getOutputAmount(CurrencyAmount.fromRawAmount(SDK_TOKEN1, AMOUNT.toString()), JSBI.BigInt(upLimit.toString()));
  const same = (a: bigint | number, b: { toString(): string } | number, what: string): void => {
    if (BigInt(a) !== BigInt(b.toString())) throw new Error(`pool swap bench: ${what} differs: ours ${a}, SDK ${b.toString()}`);
  };
  same(down.amount1, sdkDownOut.quotient, 'down amountOut');
  same(down.sqrtPriceX96, sdkAtBottom.sqrtRatioX96, 'down sqrtPriceX96');
  same(down.tick, sdkAtBottom.tickCurrent, 'down tick');
  same(down.liquidity, sdkAtBottom.liquidity, 'down liquidity');
  same(up.amount0, sdkUpOut.quotient, 'up amountOut');
  same(up.sqrtPriceX96, sdkBackAtTop.sqrtRatioX96, 'up sqrtPriceX96');
  same(up.tick, sdkBackAtTop.tickCurrent, 'up tick');
  same(up.liquidity, sdkBackAtTop.liquidity, 'up liquidity');

  // ours: alternate down and up on one mutable pool
  let flip = false;
  const ours = opsPerSecond(() => {
    flip = !flip;
    return flip
      ? pool.swap({ zeroForOne: true, amountSpecified: -AMOUNT, sqrtPriceLimitX96: downLimit })
      : pool.swap({ zeroForOne: false, amountSpecified: -AMOUNT, sqrtPriceLimitX96: upLimit });
  }, MS);

  // reference: the v4-sdk Pool, alternating from its two states (async: measured in batches)
  const in0 = CurrencyAmount.fromRawAmount(SDK_TOKEN0, AMOUNT.toString());
  const in1 = CurrencyAmount.fromRawAmount(SDK_TOKEN1, AMOUNT.toString());
  const downJ = JSBI.BigInt(downLimit.toString());
  const upJ = JSBI.BigInt(upLimit.toString());
  const sdkPoolOps = await asyncOpsPerSecond(async (i) => (i % 2 === 0 ? sdkAtTop.getOutputAmount(in0, downJ) : sdkAtBottom.getOutputAmount(in1, upJ)), MS);

  // reference without the wrapper: v3Swap itself
  const provider = new TickListDataProvider(ticks, 10);
  const fee = JSBI.BigInt(3000);
  const amountJ = JSBI.BigInt(AMOUNT.toString());
  const v3SwapOps = await asyncOpsPerSecond(async (i) =>
    i % 2 === 0
      ? v3Swap(fee, sdkAtTop.sqrtRatioX96, sdkAtTop.tickCurrent, sdkAtTop.liquidity, 10, provider, true, amountJ, downJ)
      : v3Swap(fee, sdkAtBottom.sqrtRatioX96, sdkAtBottom.tickCurrent, sdkAtBottom.liquidity, 10, provider, false, amountJ, upJ),
  MS);

  const a = result('pool swap, 10 ticks crossed (vs v4-sdk Pool)', ours, sdkPoolOps, 'ops/s', 'identical price/tick/liquidity/amounts');
  emit(a);
  rows.push(a);
  const b = result('pool swap, 10 ticks crossed (vs v3Swap loop)', ours, v3SwapOps, 'ops/s', 'SDK swap loop without Pool wrapper');
  emit(b);
  rows.push(b);
  return rows;
}

/** Like opsPerSecond for an async function: awaits each call, for about `ms` after a warm-up. */
async function asyncOpsPerSecond(fn: (i: number) => Promise<unknown>, ms: number): Promise<number> {
  const warmEnd = performance.now() + Math.min(200, ms / 4);
  let i = 0;
  while (performance.now() < warmEnd) await fn(i++);
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now < start + ms) {
    for (let k = 0; k < 8; k++) await fn(i++);
    calls += 8;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

export const poolSwapSuite: Suite = { name: 'pool model swap (src/math/pool vs @uniswap/v4-sdk)', run };
