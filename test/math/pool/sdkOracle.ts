/**
 * The reference for differential tests and benchmarks: @uniswap/v4-sdk's Pool (whose swap is
 * @uniswap/v3-sdk's v3Swap with JSBI), built from our pool model's state.
 */
import { CurrencyAmount, Token } from '@uniswap/sdk-core';
import { TickListDataProvider, v3Swap } from '@uniswap/v3-sdk';
import { Pool as SdkPool } from '@uniswap/v4-sdk';
import jsbiModule from 'jsbi';
import type { Pool } from '../../../src/math/pool/index.js';

export const SDK_TOKEN0 = new Token(1, '0x0000000000000000000000000000000000000001', 18, 'T0');
export const SDK_TOKEN1 = new Token(1, '0x0000000000000000000000000000000000000002', 18, 'T1');
// jsbi is CommonJS whose typings declare an ES default export: depending on the loader the
// default import is the class itself or a namespace holding it.
type JsbiClass = typeof jsbiModule.default;
const JSBI: JsbiClass = (jsbiModule as unknown as { default?: JsbiClass }).default ?? (jsbiModule as unknown as JsbiClass);
const NO_HOOKS = '0x0000000000000000000000000000000000000000';

/** A v4-sdk Pool with the same price, tick, liquidity, fee and initialized ticks as `pool`. */
export function toSdkPool(pool: Pool, ticks = sdkTicks(pool)): SdkPool {
  const slot0 = pool.getSlot0();
  return new SdkPool(
    SDK_TOKEN0,
    SDK_TOKEN1,
    slot0.lpFee,
    pool.tickSpacing,
    NO_HOOKS,
    slot0.sqrtPriceX96.toString(),
    pool.getLiquidity().toString(),
    slot0.tick,
    ticks,
  );
}

/** The pool's initialized ticks in the SDK's form. */
export function sdkTicks(pool: Pool): { index: number; liquidityGross: string; liquidityNet: string }[] {
  return pool.initializedTicks().map(({ tick, info }) => ({
    index: tick,
    liquidityGross: info.liquidityGross.toString(),
    liquidityNet: info.liquidityNet.toString(),
  }));
}

/** What the SDK reports for one swap. amountIn is only known for exact output, amountOut only for exact input. */
export interface SdkSwapOutcome {
  amountIn: bigint | null;
  amountOut: bigint | null;
  sqrtPriceX96: bigint;
  tick: number;
  liquidity: bigint;
}

/**
 * Runs a swap (v4 sign convention: negative amountSpecified = exact input) through the SDK's
 * Pool.getOutputAmount / getInputAmount.
 */
export async function sdkSwap(
  sdkPool: SdkPool,
  zeroForOne: boolean,
  amountSpecified: bigint,
  sqrtPriceLimitX96: bigint,
): Promise<SdkSwapOutcome> {
  const limit = JSBI.BigInt(sqrtPriceLimitX96.toString());
  if (amountSpecified < 0n) {
    const input = CurrencyAmount.fromRawAmount(zeroForOne ? SDK_TOKEN0 : SDK_TOKEN1, (-amountSpecified).toString());
    const [out, after] = await sdkPool.getOutputAmount(input, limit);
    return {
      amountIn: null,
      amountOut: BigInt(out.quotient.toString()),
      sqrtPriceX96: BigInt(after.sqrtRatioX96.toString()),
      tick: after.tickCurrent,
      liquidity: BigInt(after.liquidity.toString()),
    };
  }
  const output = CurrencyAmount.fromRawAmount(zeroForOne ? SDK_TOKEN1 : SDK_TOKEN0, amountSpecified.toString());
  const [inp, after] = await sdkPool.getInputAmount(output, limit);
  return {
    amountIn: BigInt(inp.quotient.toString()),
    amountOut: null,
    sqrtPriceX96: BigInt(after.sqrtRatioX96.toString()),
    tick: after.tickCurrent,
    liquidity: BigInt(after.liquidity.toString()),
  };
}

/**
 * The same swap through v3Swap, the function v4-sdk's Pool.swap calls, without the Pool and
 * CurrencyAmount wrappers (which cost most of the SDK's time). `provider` is built once per set
 * of ticks with sdkTickProvider.
 */
export async function sdkV3Swap(
  pool: Pool,
  provider: TickListDataProvider,
  zeroForOne: boolean,
  amountSpecified: bigint,
  sqrtPriceLimitX96: bigint,
): Promise<SdkSwapOutcome> {
  const slot0 = pool.getSlot0();
  const r = await v3Swap(
    JSBI.BigInt(slot0.lpFee),
    JSBI.BigInt(slot0.sqrtPriceX96.toString()),
    slot0.tick,
    JSBI.BigInt(pool.getLiquidity().toString()),
    pool.tickSpacing,
    provider,
    zeroForOne,
    JSBI.BigInt((-amountSpecified).toString()), // v3 sign: positive = exact input
    JSBI.BigInt(sqrtPriceLimitX96.toString()),
  );
  const calculated = BigInt(r.amountCalculated.toString());
  return {
    amountIn: amountSpecified < 0n ? null : calculated,
    amountOut: amountSpecified < 0n ? -calculated : null,
    sqrtPriceX96: BigInt(r.sqrtRatioX96.toString()),
    tick: r.tickCurrent,
    liquidity: BigInt(r.liquidity.toString()),
  };
}

/** A v3-sdk tick provider over the pool's initialized ticks. */
export function sdkTickProvider(pool: Pool): TickListDataProvider {
  return new TickListDataProvider(sdkTicks(pool), pool.tickSpacing);
}
