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
import { Contract, id as keccakId, type ContractTransactionResponse, type Signer, type TransactionReceipt, type TransactionResponse } from 'ethers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../src/adapters/chain/devnet/artifacts.js';
import { walletFor } from '../../src/adapters/chain/devnet/wallets.js';
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
import { type PoolSpec, initialSqrtPrice, poolSpecArb, positionRange, saltOf, swapParams, swapSpecArb, type SwapSpec } from '../math/pool/poolArbitraries.js';
import { useDevnet } from '../support/devnet.js';
import { HOOK_FLAGS, loadV4CoreTestArtifact, placeHook, type PlacedHook } from './support/flaggedHook.js';

const POOL_MANAGER = loadArtifact('PoolManager');
const SWAP_ROUTER = loadArtifact('PoolSwapTest');
const LIQ_ROUTER = loadArtifact('PoolModifyLiquidityTest');
const ERC20 = loadArtifact('MockERC20');
const STATE_VIEW = loadArtifact('StateView');
const FEES_HOOK = loadV4CoreTestArtifact('DynamicFeesTestHook');
const RETURN_FEE_HOOK = loadV4CoreTestArtifact('DynamicReturnFeeTestHook');
const MODIFY = 'modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)';
const SETTINGS = { takeClaims: false, settleUsingBurn: false };

/** Solidity signatures of the reverts a fee can cause; the chain's revert data must contain the selector. */
const REVERT_SIGNATURES: Partial<Record<string, string>> = {
  LPFeeTooLarge: 'LPFeeTooLarge(uint24)',
  InvalidFeeForExactOut: 'InvalidFeeForExactOut()',
  SafeCastOverflow: 'SafeCastOverflow()',
};

interface Rig {
  deployer: Signer;
  deployerAddress: string;
  lpAddress: string;
  pm: Contract;
  stateView: Contract;
  swapRouter: Contract;
  liqRouter: Contract;
  liqRouterAddress: string;
  token0: Contract;
  token1: Contract;
  currency0: string;
  currency1: string;
}

const devnet = useDevnet({ seed: 5, skipSeed: true });
let rig: Rig;

beforeAll(async () => {
  const { manifest, provider } = devnet();
  const account = (role: string) => manifest.accounts.find((a) => a.role === role)!;
  const deployer = walletFor(account('deployer'), provider);
  const swapper = walletFor(account('arbitrageur'), provider); // approved for PoolSwapTest
  const lp = walletFor(account('liquidity'), provider); // approved for PoolModifyLiquidityTest
  const { currency0, currency1 } = manifest.pools[0]!.key;
  for (const currency of [currency0, currency1]) {
    // exact outputs that drain a range cost up to int128.max of the input (MockERC20.mint is open)
    for (const w of [swapper, lp]) await mined(new Contract(currency, ERC20.abi, w).getFunction('mint')(await w.getAddress(), 2n ** 200n));
  }
  rig = {
    deployer,
    deployerAddress: await deployer.getAddress(),
    lpAddress: await lp.getAddress(),
    pm: new Contract(manifest.contracts.poolManager, POOL_MANAGER.abi, deployer),
    stateView: new Contract(manifest.contracts.stateView, STATE_VIEW.abi, provider),
    swapRouter: new Contract(manifest.contracts.poolSwapTest, SWAP_ROUTER.abi, swapper),
    liqRouter: new Contract(manifest.contracts.poolModifyLiquidityTest, LIQ_ROUTER.abi, lp),
    liqRouterAddress: manifest.contracts.poolModifyLiquidityTest,
    token0: new Contract(currency0, ERC20.abi, provider),
    token1: new Contract(currency1, ERC20.abi, provider),
    currency0,
    currency1,
  };
  await mined(rig.pm.getFunction('setProtocolFeeController')(rig.deployerAddress));
});

/** Waits for a sent transaction's receipt by polling (ethers' tx.wait() can hang under automine, ethers-io/ethers.js#4224); throws on a revert. */
async function mined(sent: Promise<ContractTransactionResponse | TransactionResponse | null>): Promise<TransactionReceipt> {
  const tx = await sent;
  if (tx === null) throw new Error('no transaction was sent');
  for (;;) {
    const receipt = await devnet().provider.getTransactionReceipt(tx.hash);
    if (receipt !== null) {
      if (receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
      return receipt;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

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

async function balances(): Promise<[bigint, bigint]> {
  const [b0, b1] = await Promise.all([rig.token0.getFunction('balanceOf')(rig.lpAddress), rig.token1.getFunction('balanceOf')(rig.lpAddress)]);
  return [BigInt(b0 as bigint), BigInt(b1 as bigint)];
}

interface Position {
  tickLower: number;
  tickUpper: number;
  salt: string;
  liquidity: bigint;
}

/** modifyLiquidity on chain and in the model; the LP's balance change must be the model's callerDelta (principal and fees). */
async function modify(model: Pool, key: PoolKey, p: Omit<Position, 'liquidity'>, liquidityDelta: bigint): Promise<void> {
  const expected = model.modifyLiquidity({ owner: rig.liqRouterAddress, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidityDelta, salt: p.salt });
  const [b0, b1] = await balances();
  await mined(rig.liqRouter.getFunction(MODIFY)(key, { tickLower: p.tickLower, tickUpper: p.tickUpper, liquidityDelta, salt: p.salt }, '0x'));
  const [a0, a1] = await balances();
  expect({ amount0: a0 - b0, amount1: a1 - b1 }).toEqual(expected.callerDelta);
}

/** StateView's slot0 (lpFee included), liquidity, fee growth, every initialized tick and every position must equal the model's. */
async function expectSameState(model: Pool, poolId: string, positions: Position[]): Promise<void> {
  const sv = rig.stateView;
  const [slot0, liquidity, growth] = await Promise.all([
    sv.getFunction('getSlot0')(poolId) as Promise<[bigint, bigint, bigint, bigint]>,
    sv.getFunction('getLiquidity')(poolId) as Promise<bigint>,
    sv.getFunction('getFeeGrowthGlobals')(poolId) as Promise<[bigint, bigint]>,
  ]);
  expect({ sqrtPriceX96: BigInt(slot0[0]), tick: Number(slot0[1]), protocolFee: Number(slot0[2]), lpFee: Number(slot0[3]) }).toEqual(model.getSlot0());
  expect(BigInt(liquidity)).toBe(model.getLiquidity());
  expect({ feeGrowthGlobal0X128: BigInt(growth[0]), feeGrowthGlobal1X128: BigInt(growth[1]) }).toEqual(model.getFeeGrowthGlobals());
  const ticks = model.initializedTicks();
  const onChainTicks = await Promise.all(ticks.map((t) => sv.getFunction('getTickInfo')(poolId, t.tick) as Promise<[bigint, bigint, bigint, bigint]>));
  ticks.forEach((t, i) => {
    const c = onChainTicks[i]!;
    expect({ liquidityGross: BigInt(c[0]), liquidityNet: BigInt(c[1]), feeGrowthOutside0X128: BigInt(c[2]), feeGrowthOutside1X128: BigInt(c[3]) }, `tick ${t.tick}`).toEqual(t.info);
  });
  const owner = rig.liqRouterAddress;
  const onChain = await Promise.all(
    positions.map((p) => sv.getFunction('getPositionInfo(bytes32,address,int24,int24,bytes32)')(poolId, owner, p.tickLower, p.tickUpper, p.salt) as Promise<[bigint, bigint, bigint]>),
  );
  positions.forEach((p, i) => {
    const c = onChain[i]!;
    expect({ liquidity: BigInt(c[0]), feeGrowthInside0LastX128: BigInt(c[1]), feeGrowthInside1LastX128: BigInt(c[2]) }, `position ${p.tickLower}..${p.tickUpper}`).toEqual(
      model.getPosition(owner, p.tickLower, p.tickUpper, p.salt),
    );
  });
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

interface Tally {
  swaps: number;
  exactIn: number;
  exactOut: number;
  zeroForOne: number;
  ticksCrossed: number;
  multiTick: number;
  /** Swaps both sides refused, by error. */
  reverted: Record<string, number>;
  /** Distinct fees charged (Swap event `fee`). */
  feesCharged: Set<number>;
  /** Swaps whose charged fee differs from the pool's stored LP fee after the swap (override pools). */
  overridden: number;
  forcedUpdates: number;
  amountToProtocol0: bigint;
  amountToProtocol1: bigint;
}

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v instanceof Set ? v.size : v);

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
  positions: Position[];
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
  const positions: Position[] = [];
  for (const [i, p] of spec.positions.entries()) {
    const range = positionRange(spec, p);
    const liquidity = (p.liquidity % 10n ** 24n) + 10n ** 12n; // realistic for 2^200-token balances
    const position = { ...range, salt: saltOf(100 + i), liquidity };
    await modify(model, key, position, liquidity);
    positions.push(position);
  }
  await expectSameState(model, poolId, positions);
  return { kind, hook, key, poolId, spec, model, positions, hookFee: initialHookFee };
}

/**
 * Runs random steps until `target` swaps have executed (at most `maxSteps`): each step may change
 * the hook's fee (setFee) and the stored fee (forcePoolFeeUpdate), then swaps on chain and in the
 * model. Every `checkEvery` swaps the whole StateView state is compared, and positions are resized.
 */
async function runSteps(pool: HookedPool, seed: number, target: number, maxSteps: number): Promise<Tally> {
  const steps = fc.sample(fc.array(stepArb, { minLength: maxSteps, maxLength: maxSteps }), { seed, numRuns: 1 })[0]!;
  const t: Tally = {
    swaps: 0, exactIn: 0, exactOut: 0, zeroForOne: 0, ticksCrossed: 0, multiTick: 0, reverted: {}, feesCharged: new Set(),
    overridden: 0, forcedUpdates: 0, amountToProtocol0: 0n, amountToProtocol1: 0n,
  };
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
        expect(Number((await rig.stateView.getFunction('getSlot0')(poolId) as [bigint, bigint, bigint, bigint])[3]), what).toBe(step.forcedFee);
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
      await expectSameRevert(router.staticCall(key, params, SETTINGS, '0x'), e, `${what}: swap ${JSON.stringify(params, big)} at hook fee ${pool.hookFee}`);
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
    expect(
      { amount0: event.amount0, amount1: event.amount1, sqrtPriceX96: event.sqrtPriceX96, liquidity: event.liquidity, tick: event.tick, fee: event.fee },
      `${what}: ${JSON.stringify(params, big)} at hook fee ${pool.hookFee}`,
    ).toEqual({
      amount0: expected.amount0,
      amount1: expected.amount1,
      sqrtPriceX96: expected.sqrtPriceX96,
      liquidity: expected.liquidity,
      tick: expected.tick,
      fee: charged,
    });
    expect(event.fee).not.toBe(key.fee);

    t.swaps++;
    t.feesCharged.add(event.fee);
    if (pool.model.getSlot0().lpFee !== pool.hookFee) t.overridden++;
    if (params.amountSpecified < 0n) t.exactIn++;
    else t.exactOut++;
    if (params.zeroForOne) {
      t.zeroForOne++;
      t.amountToProtocol0 += expected.amountToProtocol;
    } else {
      t.amountToProtocol1 += expected.amountToProtocol;
    }
    t.ticksCrossed += expected.ticksCrossed;
    if (expected.ticksCrossed > 1) t.multiTick++;

    if (t.swaps % 15 === 7) {
      // resize a position: the fees it collects were charged at the changing fees (balances must agree)
      const p = positions[t.swaps % positions.length]!;
      const delta = t.swaps % 2 === 0 ? -(p.liquidity / 3n) : p.liquidity / 2n + 1n;
      // PoolModifyLiquidityTest asserts an add is paid for in full: collect the fees first (a poke)
      if (delta > 0n) await modify(pool.model, key, p, 0n);
      await modify(pool.model, key, p, delta);
      p.liquidity += delta;
    }
    if (t.swaps % 40 === 39) await expectSameState(pool.model, poolId, positions);
  }
  // collect every position's fees (a poke): the LP receives exactly what the model credits
  for (const p of positions) await modify(pool.model, key, p, 0n);
  await expectSameState(pool.model, poolId, positions);
  return t;
}

function expectCoverage(t: Tally, target: number): void {
  expect(t.swaps).toBe(target);
  expect(t.exactIn).toBeGreaterThan(20);
  expect(t.exactOut).toBeGreaterThan(20);
  expect(t.zeroForOne).toBeGreaterThan(20);
  expect(t.swaps - t.zeroForOne).toBeGreaterThan(20);
  expect(t.multiTick).toBeGreaterThan(20);
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
    console.log(`dynamic-fee differential, DynamicFeesTestHook 60: ${JSON.stringify(t, big)}`);
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
    const [before0, before1] = await Promise.all([
      rig.pm.getFunction('protocolFeesAccrued')(rig.currency0) as Promise<bigint>,
      rig.pm.getFunction('protocolFeesAccrued')(rig.currency1) as Promise<bigint>,
    ]);
    const t = await runSteps(pool, seed + 1, 110, 200);
    console.log(`dynamic-fee differential, DynamicReturnFeeTestHook 10 + protocol fee: ${JSON.stringify(t, big)}`);
    expectCoverage(t, 110);
    expect(t.overridden).toBeGreaterThan(50); // charged the override, not the stored fee
    const [after0, after1] = await Promise.all([
      rig.pm.getFunction('protocolFeesAccrued')(rig.currency0) as Promise<bigint>,
      rig.pm.getFunction('protocolFeesAccrued')(rig.currency1) as Promise<bigint>,
    ]);
    expect(BigInt(after0) - BigInt(before0)).toBe(t.amountToProtocol0);
    expect(BigInt(after1) - BigInt(before1)).toBe(t.amountToProtocol1);
    expect(t.amountToProtocol0 > 0n && t.amountToProtocol1 > 0n).toBe(true);
  });
});
