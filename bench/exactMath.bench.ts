/**
 * Exact on-chain math: ops/s of our bigint TickMath, SqrtPriceMath, SwapMath and LiquidityAmounts
 * next to @uniswap/v3-sdk (JSBI) doing the same work on the same inputs, in the same run.
 * Before timing, every input is run through both and the results are required to be identical
 * (the suite throws otherwise). SDK inputs are converted to JSBI up front, so the reference is
 * timed on its own number type, conversions excluded.
 */
import { SqrtPriceMath, SwapMath, TickMath, maxLiquidityForAmounts } from '@uniswap/v3-sdk';
import jsbiModule from 'jsbi';
import {
  MAX_SQRT_PRICE,
  MAX_TICK,
  MIN_TICK,
  computeSwapStep,
  getAmount0Delta,
  getAmount1Delta,
  getLiquidityForAmounts,
  getSqrtPriceAtTick,
  getTickAtSqrtPrice,
} from '../src/math/index.js';
import { opsPerSecond, result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const INPUTS = 1024; // a power of two: inputs are cycled with a mask
const MS = 250;

/** mulberry32: a small deterministic PRNG so every run benchmarks the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// jsbi is CommonJS whose typings declare an ES default export: depending on the loader the
// default import is the class itself or a namespace holding it.
type JsbiClass = typeof jsbiModule.default;
const JSBI: JsbiClass = (jsbiModule as unknown as { default?: JsbiClass }).default ?? (jsbiModule as unknown as JsbiClass);
type Jsbi = ReturnType<JsbiClass['BigInt']>;
const J = (x: bigint): Jsbi => JSBI.BigInt(x.toString());
const B = (x: Jsbi): bigint => BigInt(x.toString());

/**
 * ops/s of `ours` and `reference`, measured alternately in ROUNDS short rounds, keeping each
 * side's best round: on a shared, loaded machine this keeps a burst of load from landing on
 * one side only.
 */
const ROUNDS = 3;
function measurePair(ours: () => unknown, reference: () => unknown): [number, number] {
  let bestOurs = 0;
  let bestRef = 0;
  for (let k = 0; k < ROUNDS; k++) {
    bestOurs = Math.max(bestOurs, opsPerSecond(ours, MS));
    bestRef = Math.max(bestRef, opsPerSecond(reference, MS));
  }
  return [bestOurs, bestRef];
}

function same(what: string, ours: unknown, sdk: unknown): void {
  if (JSON.stringify(ours, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) !== JSON.stringify(sdk, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) {
    throw new Error(`bench ${what}: results differ from the SDK (ours ${String(ours)}, sdk ${String(sdk)})`);
  }
}

/** Builds the inputs, checks both sides agree on all of them, and returns the figures. */
async function run(emit: (r: BenchResult) => void): Promise<BenchResult[]> {
  const rand = prng(0x5eed);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const big = (digits: number) => BigInt(Math.floor(rand() * 1e15)) * 10n ** BigInt(Math.max(0, digits - 15)) + 1n;
  const rows: BenchResult[] = [];
  const record = (name: string, ours: number, reference: number) => {
    const r = result(name, ours, reference, 'ops/s', 'identical results checked');
    rows.push(r);
    emit(r);
  };

  // --- TickMath.getSqrtPriceAtTick
  const ticks = Array.from({ length: INPUTS }, () => int(MIN_TICK, MAX_TICK));
  for (const t of ticks) same('getSqrtPriceAtTick', getSqrtPriceAtTick(t), B(TickMath.getSqrtRatioAtTick(t)));
  {
    let i = 0;
    let j = 0;
    const [ours, ref] = measurePair(
      () => getSqrtPriceAtTick(ticks[i++ & (INPUTS - 1)]!),
      () => TickMath.getSqrtRatioAtTick(ticks[j++ & (INPUTS - 1)]!),
    );
    record('getSqrtPriceAtTick', ours, ref);
  }

  // --- TickMath.getTickAtSqrtPrice
  const prices = ticks.map((t) => {
    const p = getSqrtPriceAtTick(t) + BigInt(int(0, 2 ** 31));
    return p < MAX_SQRT_PRICE ? p : MAX_SQRT_PRICE - 1n;
  });
  const pricesJ = prices.map(J);
  for (let k = 0; k < INPUTS; k++) same('getTickAtSqrtPrice', getTickAtSqrtPrice(prices[k]!), TickMath.getTickAtSqrtRatio(pricesJ[k]!));
  {
    let i = 0;
    let j = 0;
    const [ours, ref] = measurePair(
      () => getTickAtSqrtPrice(prices[i++ & (INPUTS - 1)]!),
      () => TickMath.getTickAtSqrtRatio(pricesJ[j++ & (INPUTS - 1)]!),
    );
    record('getTickAtSqrtPrice', ours, ref);
  }

  // --- SqrtPriceMath.getAmount0Delta / getAmount1Delta on realistic ranges (price ~ ticks ±200k, L ~ 1e18)
  const deltas = Array.from({ length: INPUTS }, () => {
    const t = int(-200_000, 200_000);
    const a = getSqrtPriceAtTick(t);
    const b = getSqrtPriceAtTick(Math.min(MAX_TICK, t + int(1, 4000)));
    return { a, b, l: big(int(12, 24)), roundUp: rand() < 0.5 };
  });
  const deltasJ = deltas.map((d) => ({ a: J(d.a), b: J(d.b), l: J(d.l), roundUp: d.roundUp }));
  for (let k = 0; k < INPUTS; k++) {
    const d = deltas[k]!;
    const j = deltasJ[k]!;
    same('getAmount0Delta', getAmount0Delta(d.a, d.b, d.l, d.roundUp), B(SqrtPriceMath.getAmount0Delta(j.a, j.b, j.l, j.roundUp)));
    same('getAmount1Delta', getAmount1Delta(d.a, d.b, d.l, d.roundUp), B(SqrtPriceMath.getAmount1Delta(j.a, j.b, j.l, j.roundUp)));
  }
  {
    let i = 0;
    let j = 0;
    const [ours0, ref0] = measurePair(
      () => {
        const d = deltas[i++ & (INPUTS - 1)]!;
        return getAmount0Delta(d.a, d.b, d.l, d.roundUp);
      },
      () => {
        const d = deltasJ[j++ & (INPUTS - 1)]!;
        return SqrtPriceMath.getAmount0Delta(d.a, d.b, d.l, d.roundUp);
      },
    );
    record('getAmount0Delta', ours0, ref0);
    const [ours1, ref1] = measurePair(
      () => {
        const d = deltas[i++ & (INPUTS - 1)]!;
        return getAmount1Delta(d.a, d.b, d.l, d.roundUp);
      },
      () => {
        const d = deltasJ[j++ & (INPUTS - 1)]!;
        return SqrtPriceMath.getAmount1Delta(d.a, d.b, d.l, d.roundUp);
      },
    );
    record('getAmount1Delta', ours1, ref1);
  }

  // --- SwapMath.computeSwapStep: exact output, and exact input capped at its target — the
  // branches where v3 and v4 compute the same thing (an exact-input step stopping short of its
  // target splits amountIn/fee differently in v4, see src/math/swapMath.ts)
  const steps: { cur: bigint; target: bigint; l: bigint; rem: bigint; fee: number }[] = [];
  while (steps.length < INPUTS) {
    const t = int(-200_000, 200_000);
    const cur = getSqrtPriceAtTick(t) + BigInt(int(0, 2 ** 20));
    const target = getSqrtPriceAtTick(t + int(-2000, 2000));
    const l = big(int(15, 24));
    const fee = [100, 500, 3000, 10_000][int(0, 3)]!;
    const exactIn = rand() < 0.5;
    const zeroForOne = cur >= target;
    const toTarget = exactIn
      ? zeroForOne
        ? getAmount0Delta(target, cur, l, true)
        : getAmount1Delta(cur, target, l, true)
      : zeroForOne
        ? getAmount1Delta(target, cur, l, false)
        : getAmount0Delta(cur, target, l, false);
    // exact input: enough to pay the fee and reach the target; exact output: a part of the way
    const amount = exactIn ? (toTarget * 1_000_000n) / BigInt(1_000_000 - fee) + 1n + BigInt(int(0, 1000)) : (toTarget * BigInt(int(1, 1000))) / 1000n + 1n;
    steps.push({ cur, target, l, rem: exactIn ? -amount : amount, fee });
  }
  const stepsJ = steps.map((s) => ({ cur: J(s.cur), target: J(s.target), l: J(s.l), rem: J(-s.rem), fee: s.fee }));
  for (let k = 0; k < INPUTS; k++) {
    const s = steps[k]!;
    const j = stepsJ[k]!;
    const o = computeSwapStep(s.cur, s.target, s.l, s.rem, s.fee);
    same('computeSwapStep', [o.sqrtPriceNextX96, o.amountIn, o.amountOut, o.feeAmount], SwapMath.computeSwapStep(j.cur, j.target, j.l, j.rem, j.fee).map(B));
  }
  {
    let i = 0;
    let j = 0;
    const [ours, ref] = measurePair(
      () => {
        const s = steps[i++ & (INPUTS - 1)]!;
        return computeSwapStep(s.cur, s.target, s.l, s.rem, s.fee);
      },
      () => {
        const s = stepsJ[j++ & (INPUTS - 1)]!;
        return SwapMath.computeSwapStep(s.cur, s.target, s.l, s.rem, s.fee);
      },
    );
    record('computeSwapStep', ours, ref);
  }

  // --- LiquidityAmounts.getLiquidityForAmounts (= v3-sdk maxLiquidityForAmounts, useFullPrecision false)
  const mints = Array.from({ length: INPUTS }, () => {
    const t = int(-200_000, 200_000);
    const lo = t - int(1, 5000);
    const hi = t + int(1, 5000);
    return { p: getSqrtPriceAtTick(t + int(-6000, 6000)), a: getSqrtPriceAtTick(lo), b: getSqrtPriceAtTick(hi), x0: big(int(6, 24)), x1: big(int(6, 24)) };
  });
  const mintsJ = mints.map((m) => ({ p: J(m.p), a: J(m.a), b: J(m.b), x0: J(m.x0), x1: J(m.x1) }));
  for (let k = 0; k < INPUTS; k++) {
    const m = mints[k]!;
    const j = mintsJ[k]!;
    same('getLiquidityForAmounts', getLiquidityForAmounts(m.p, m.a, m.b, m.x0, m.x1), B(maxLiquidityForAmounts(j.p, j.a, j.b, j.x0, j.x1, false)));
  }
  {
    let i = 0;
    let j = 0;
    const [ours, ref] = measurePair(
      () => {
        const m = mints[i++ & (INPUTS - 1)]!;
        return getLiquidityForAmounts(m.p, m.a, m.b, m.x0, m.x1);
      },
      () => {
        const m = mintsJ[j++ & (INPUTS - 1)]!;
        return maxLiquidityForAmounts(m.p, m.a, m.b, m.x0, m.x1, false);
      },
    );
    record('getLiquidityForAmounts', ours, ref);
  }

  return rows;
}

/** The exact-math suite for bench/run.ts. */
export const exactMathSuite: Suite = { name: 'exact math (src/math vs @uniswap/v3-sdk)', run };
