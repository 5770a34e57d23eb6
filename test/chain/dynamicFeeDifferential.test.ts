/**
 * Dynamic LP fees on chain (issues 2 and 3): dynamic-fee pools (PoolKey.fee = DYNAMIC_FEE_FLAG)
 * whose hooks are v4-core's own test hooks, on the project's devnet, against our pool model.
 *
 * - DynamicFeesTestHook (afterInitialize + beforeSwap): sets the pool's stored LP fee through
 *   PoolManager.updateDynamicLPFee at initialize and before every swap (to the fee set with
 *   setFee), and returns a fee of 0 without the override flag (= no override). forcePoolFeeUpdate
 *   changes the stored fee between swaps.
 * - DynamicReturnFeeTestHook (beforeSwap): returns its fee with OVERRIDE_FEE_FLAG, a per-swap
 *   override that leaves the stored fee alone; this pool also has a protocol fee.
 *
 * Random swaps (both directions, exact input and output, crossing ticks) with the fee changed
 * between swaps run on chain and in src/math/pool's Pool, fed exactly what PoolManager sees:
 * the stored fee as the hook updates it and the hook's beforeSwap return as lpFeeOverride. Every
 * Swap log, decoded by our swapLogDecoder, must carry the model's amounts, price, liquidity, tick
 * and fee (the fee charged: LP fee combined with the protocol fee, never PoolKey.fee); a swap the
 * model refuses (fee above 100%, a 100% fee on an exact output) must revert on chain with the same
 * error; liquidity changes move balances by the model's callerDelta; StateView's slot0 (incl.
 * lpFee), fee growth, ticks and positions equal the model's periodically and at the end.
 *
 * Seeds are fixed (FC_SEED) unless FC_SEED=random, which draws new swap sequences (printed).
 */
import { id as keccakId } from 'ethers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { POOL_MANAGER_TOPICS } from '../../src/adapters/chain/abi/poolManagerEvents.js';
import { poolIdOf, type PoolKey } from '../../src/adapters/chain/poolId.js';
import { decodeInitializeLog, decodeSwapLog } from '../../src/adapters/chain/swapLogDecoder.js';
import {
  DYNAMIC_FEE_FLAG,
  OVERRIDE_FEE_FLAG,
  Pool,
  PoolError,
  calculateSwapFee,
  getOneForZeroFee,
  getZeroForOneFee,
  type SwapResult,
} from '../../src/math/pool/index.js';
import { type PoolSpec, initialSqrtPrice, poolSpecArb, swapParams, swapSpecArb, type SwapSpec } from '../math/pool/poolArbitraries.js';
import { useDevnet } from '../support/devnet.js';
import { DifferentialRig, type TrackedPosition } from './support/differentialRig.js';
import { HOOK_FLAGS, loadV4CoreTestArtifact, placeHook, type PlacedHook } from './support/flaggedHook.js';
import { jsonBigint } from './support/jsonBigint.js';
import { mined } from './support/mined.js';
import { expectedSwapEvent, modelledFieldsOf } from './support/modelledSwapEvent.js';
import { countSwap, expectSwapMix, noSwapsCounted, type SwapCounts } from './support/swapCounts.js';

const FEES_HOOK = loadV4CoreTestArtifact('DynamicFeesTestHook');
const RETURN_FEE_HOOK = loadV4CoreTestArtifact('DynamicReturnFeeTestHook');
const SETTINGS = { takeClaims: false, settleUsingBurn: false };

/** Solidity signatures of the reverts a fee can cause; the chain's revert data must contain the selector. */
const REVERT_SIGNATURES: Partial<Record<string, string>> = {
  LPFeeTooLarge: 'LPFeeTooLarge(uint24)',
  InvalidFeeForExactOut: 'InvalidFeeForExactOut()',
  SafeCastOverflow: 'SafeCastOverflow()',
};

const devnet = useDevnet({ seed: 5, skipSeed: true });
let rig: DifferentialRig;

beforeAll(async () => {
  const { currency0, currency1 } = devnet().manifest.pools[0]!.key;
  rig = await DifferentialRig.build(devnet(), [currency0, currency1]);
  await mined(rig.pm.getFunction('setProtocolFeeController')(rig.deployerAddress));
});

/** The chain must refuse `call` as the model did (`error`); for fee errors, with the same Solidity error. */
async function expectSameRevert(call: Promise<unknown>, error: unknown, what: string): Promise<void> {
  expect(error, what).toBeInstanceOf(PoolError);
  const rejection = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(rejection, `${what}: the model threw ${(error as PoolError).code} but the chain did not revert`).toBeDefined();
  const signature = REVERT_SIGNATURES[(error as PoolError).code];
  if (signature !== undefined) {
    const data = (rejection as { data?: unknown }).data;
    expect(typeof data === 'string' ? data : '', `${what}: revert data`).toContain(keccakId(signature).slice(2, 10));
  }
}

/** The hooks under test and how each turns "the hook's fee" into what PoolManager sees. */
type HookKind = 'stored' | 'override';

/** A fee in pips a hook may be set to: mostly valid (incl. 0 and 100%), sometimes above 100% (reverts). */
const feeArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 100, 500, 3000, 10_000, 100_000, 999_999, 1_000_000) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000_001, max: OVERRIDE_FEE_FLAG - 1 }) },
);

interface Step {
  swap: SwapSpec;
  /** The hook's fee for this and later swaps; null keeps the previous one. */
  hookFee: number | null;
  /** A stored-fee change through the hook's forcePoolFeeUpdate before the swap; null = none. */
  forcedFee: number | null;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  swap: swapSpecArb,
  hookFee: fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: feeArb }),
  forcedFee: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: feeArb }),
});

/** Steps at these indices get fixed fees, so every seed sees a fee above 100%, a 100% fee on an exact output and a forced stored-fee update. */
const FIXED_STEPS: Record<number, Partial<Step> & { exactIn?: boolean }> = {
  30: { hookFee: 1_000_000, exactIn: false },
  31: { hookFee: 1_000_000, exactIn: true },
  32: { hookFee: 1_000_001 },
  33: { hookFee: 2_500 },
  45: { forcedFee: 1_234 },
  60: { forcedFee: 1_000_001, hookFee: 0 },
};

interface Tally extends SwapCounts {
  /** Swaps both sides refused, by error. */
  reverted: Record<string, number>;
  /** Distinct fees charged (Swap event `fee`). */
  feesCharged: Set<number>;
  /** Swaps whose charged fee differs from the pool's stored LP fee after the swap (override pools). */
  overridden: number;
  forcedUpdates: number;
}

/** The seed for a test: derived from FC_SEED (default fixed), or fresh under FC_SEED=random. */
function seedFor(offset: number): number {
  const configured = fc.readConfigureGlobal().seed;
  const seed = configured === undefined ? Math.floor(Math.random() * 2 ** 31) : (configured + offset) | 0;
  console.log(`dynamic-fee differential seed: ${seed}`);
  return seed;
}

/** A hooked dynamic-fee pool on chain and in the model, with positions added on both. */
interface HookedPool {
  kind: HookKind;
  hook: PlacedHook;
  key: PoolKey;
  poolId: string;
  spec: PoolSpec;
  model: Pool;
  positions: TrackedPosition[];
  /** The hook's `fee` storage (what setFee last stored). */
  hookFee: number;
}

async function openPool(kind: HookKind, tickSpacing: number, initialHookFee: number, seed: number, tag: bigint): Promise<HookedPool> {
  const { provider } = devnet();
  const hook =
    kind === 'stored'
      ? await placeHook(provider, rig.deployer, FEES_HOOK, HOOK_FLAGS.AFTER_INITIALIZE | HOOK_FLAGS.BEFORE_SWAP, tag)
      : await placeHook(provider, rig.deployer, RETURN_FEE_HOOK, HOOK_FLAGS.BEFORE_SWAP, tag);
  // no immutables: the runtime code at the flagged address is the artifact's, byte for byte
  expect(hook.code).toBe((kind === 'stored' ? FEES_HOOK : RETURN_FEE_HOOK).deployedBytecode);
  await mined(hook.contract.getFunction('setManager')(rig.pm.target));
  await mined(hook.contract.getFunction('setFee')(initialHookFee));

  const key: PoolKey = { currency0: rig.currency0, currency1: rig.currency1, fee: DYNAMIC_FEE_FLAG, tickSpacing, hooks: hook.address };
  const poolId = poolIdOf(key);
  const sample = fc.sample(poolSpecArb, { seed, numRuns: 1 })[0]!;
  const spec: PoolSpec = { ...sample, tickSpacing, fee: DYNAMIC_FEE_FLAG };
  const sqrtPrice = initialSqrtPrice(spec);
  const init = await mined(rig.pm.getFunction('initialize')(key, sqrtPrice));
  const initLog = init.logs.find((l) => l.topics[0] === POOL_MANAGER_TOPICS.Initialize)!;
  const decoded = decodeInitializeLog(initLog);
  expect({ poolId: decoded.poolId, fee: decoded.fee, hooks: decoded.hooks, sqrtPriceX96: decoded.sqrtPriceX96 }).toEqual({ poolId, fee: DYNAMIC_FEE_FLAG, hooks: hook.address, sqrtPriceX96: sqrtPrice });

  const model = new Pool({ tickSpacing, fee: DYNAMIC_FEE_FLAG });
  expect(model.initialize(sqrtPrice)).toBe(decoded.tick);
  if (kind === 'stored') model.setLPFee(initialHookFee); // afterInitialize → updateDynamicLPFee(fee)
  const positions = await rig.addPositions(model, key, spec, 100);
  await rig.expectSameState(model, poolId, positions);
  return { kind, hook, key, poolId, spec, model, positions, hookFee: initialHookFee };
}

/**
 * Runs random steps until `target` swaps have executed (at most `maxSteps`): each step may change
 * the hook's fee (setFee) and the stored fee (forcePoolFeeUpdate), then swaps on chain and in the
 * model. Every `checkEvery` swaps the whole StateView state is compared, and positions are resized.
 */
async function runSteps(pool: HookedPool, seed: number, target: number, maxSteps: number): Promise<Tally> {
  const steps = fc.sample(fc.array(stepArb, { minLength: maxSteps, maxLength: maxSteps }), { seed, numRuns: 1 })[0]!;
  const t: Tally = { ...noSwapsCounted(), reverted: {}, feesCharged: new Set(), overridden: 0, forcedUpdates: 0 };
  const { hook, key, poolId, spec, positions } = pool;
  const router = rig.swapRouter.getFunction('swap');
  for (let i = 0; i < steps.length && t.swaps < target; i++) {
    const fixed = FIXED_STEPS[i] ?? {};
    const step: Step = { ...steps[i]!, ...fixed, swap: { ...steps[i]!.swap, ...(fixed.exactIn === undefined ? {} : { exactIn: fixed.exactIn }) } };
    const what = `step ${i} (seed ${seed})`;

    if (step.forcedFee !== null) {
      // the hook calls PoolManager.updateDynamicLPFee (only the pool's hook may): the stored fee changes now
      const force = hook.contract.getFunction('forcePoolFeeUpdate');
      let refused: unknown;
      try {
        pool.model.setLPFee(step.forcedFee);
      } catch (e) {
        refused = e;
      }
      if (refused === undefined) {
        await mined(force(key, step.forcedFee));
        expect((await rig.stateView.getSlot0(poolId)).lpFee, what).toBe(step.forcedFee);
        t.forcedUpdates++;
      } else {
        await expectSameRevert(force.staticCall(key, step.forcedFee), refused, `${what}: forcePoolFeeUpdate(${step.forcedFee})`);
      }
    }
    if (step.hookFee !== null && step.hookFee !== pool.hookFee) {
      await mined(hook.contract.getFunction('setFee')(step.hookFee));
      pool.hookFee = step.hookFee;
    }

    const params = swapParams(pool.model, spec, step.swap);
    // what PoolManager sees: DynamicFeesTestHook stores its fee, then returns 0 (no override flag);
    // DynamicReturnFeeTestHook returns its fee with the override flag and stores nothing
    const trial = pool.model.clone();
    const lpFeeOverride = pool.kind === 'stored' ? 0 : (pool.hookFee | OVERRIDE_FEE_FLAG) & 0xffffff;
    let expected: SwapResult;
    try {
      if (pool.kind === 'stored') trial.setLPFee(pool.hookFee);
      expected = trial.swap({ ...params, lpFeeOverride });
    } catch (e) {
      await expectSameRevert(router.staticCall(key, params, SETTINGS, '0x'), e, `${what}: swap ${JSON.stringify(params, jsonBigint)} at hook fee ${pool.hookFee}`);
      const code = (e as PoolError).code;
      t.reverted[code] = (t.reverted[code] ?? 0) + 1;
      continue;
    }
    // the fee this swap is charged, from the fee rules alone: the hook's fee, combined with the protocol fee
    const protocolFee = params.zeroForOne ? getZeroForOneFee(trial.getSlot0().protocolFee) : getOneForZeroFee(trial.getSlot0().protocolFee);
    const charged = protocolFee === 0 ? pool.hookFee : calculateSwapFee(protocolFee, pool.hookFee);
    expect(expected.swapFee, what).toBe(charged);

    const receipt = await mined(router(key, params, SETTINGS, '0x'));
    pool.model = trial;
    const swapLogs = receipt.logs.filter((l) => l.topics[0] === POOL_MANAGER_TOPICS.Swap && l.topics[1] === poolId);
    expect(swapLogs, what).toHaveLength(1);
    const event = decodeSwapLog(swapLogs[0]!);
    expect(modelledFieldsOf(event), `${what}: ${JSON.stringify(params, jsonBigint)} at hook fee ${pool.hookFee}`).toEqual(expectedSwapEvent(expected, charged));
    expect(event.fee).not.toBe(key.fee);

    countSwap(t, params, expected);
    t.feesCharged.add(event.fee);
    if (pool.model.getSlot0().lpFee !== pool.hookFee) t.overridden++;

    // resize a position: the fees it collects were charged at the changing fees (balances must agree)
    if (t.swaps % 15 === 7) await rig.resize(pool.model, key, positions, t.swaps);
    if (t.swaps % 40 === 39) await rig.expectSameState(pool.model, poolId, positions);
  }
  // collect every position's fees (a poke): the LP receives exactly what the model credits
  for (const p of positions) await rig.modify(pool.model, key, p, 0n);
  await rig.expectSameState(pool.model, poolId, positions);
  return t;
}

function expectCoverage(t: Tally, target: number): void {
  expect(t.swaps).toBe(target);
  expectSwapMix(t, { perKind: 20, perDirection: 20, multiTick: 20 });
  expect(t.feesCharged.size).toBeGreaterThan(30);
  // the fixed steps: a 100% fee on an exact output, a fee above 100%
  expect(t.reverted['InvalidFeeForExactOut']).toBeGreaterThan(0);
  expect(t.reverted['LPFeeTooLarge']).toBeGreaterThan(0);
}

describe('dynamic LP fees: v4-core test hooks on the devnet vs the pool model', () => {
  it('DynamicFeesTestHook (stored fee updated at initialize and before each swap, forcePoolFeeUpdate between swaps): 110 random swaps at changing fees give identical Swap events, balances and state', async () => {
    const seed = seedFor(0);
    const pool = await openPool('stored', 60, 3000, seed, 0xd1fee1n);
    expect(pool.model.getSlot0().lpFee).toBe(3000);
    const t = await runSteps(pool, seed + 1, 110, 200);
    console.log(`dynamic-fee differential, DynamicFeesTestHook 60: ${JSON.stringify(t, jsonBigint)}`);
    expectCoverage(t, 110);
    expect(t.forcedUpdates).toBeGreaterThan(0);
    expect(t.overridden).toBe(0); // the stored fee is the one charged
  });

  it('DynamicReturnFeeTestHook (per-swap override with OVERRIDE_FEE_FLAG) with a protocol fee: 110 random swaps give identical Swap events, balances, state and protocol fees', async () => {
    const seed = seedFor(1000);
    const pool = await openPool('override', 10, 500, seed, 0xd1fee2n);
    expect(pool.model.getSlot0().lpFee).toBe(0); // no afterInitialize: a dynamic-fee pool starts at 0
    const protocolFee = 700 | (300 << 12);
    await mined(rig.pm.getFunction('setProtocolFee')(pool.key, protocolFee));
    pool.model.setProtocolFee(protocolFee);
    const [before0, before1] = await rig.protocolFeesAccrued(pool.key);
    const t = await runSteps(pool, seed + 1, 110, 200);
    console.log(`dynamic-fee differential, DynamicReturnFeeTestHook 10 + protocol fee: ${JSON.stringify(t, jsonBigint)}`);
    expectCoverage(t, 110);
    expect(t.overridden).toBeGreaterThan(50); // charged the override, not the stored fee
    const [after0, after1] = await rig.protocolFeesAccrued(pool.key);
    expect(after0 - before0).toBe(t.amountToProtocol0);
    expect(after1 - before1).toBe(t.amountToProtocol1);
    expect(t.amountToProtocol0 > 0n && t.amountToProtocol1 > 0n).toBe(true);
  });
});
