/**
 * The on-chain judge of the pool model (issue 3): random swaps — both directions, exact input
 * and exact output, crossing initialized ticks, many with price limits — executed on the real
 * Uniswap v4 PoolManager (through v4-core's PoolSwapTest router on anvil) and in our in-memory
 * Pool from the same state (the same modifyLiquidity calls replayed into the model). Every Swap
 * event must carry exactly the model's amount0, amount1, sqrtPriceX96, liquidity, tick and fee.
 * Liquidity changes must move the caller's token balances by exactly the model's callerDelta
 * (principal and fees). Periodically and at the end, StateView's slot0, liquidity, fee growth,
 * every initialized tick and every position must equal the model's (donations included); with a protocol fee set,
 * PoolManager.protocolFeesAccrued must equal the model's amountToProtocol.
 *
 * It runs on the project's devnet (src/adapters/chain/devnet via test/support/devnet.ts: anvil on a
 * free port, the real v4-core / v4-periphery contracts, WETH/USDC pools with a seeded liquidity
 * book). The model is built by replaying the pool's Initialize and every seeded position, and must
 * then match StateView before a single swap.
 */
import { Contract, ContractFactory, Interface, type TransactionReceipt } from 'ethers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ManifestPool } from '../../src/adapters/chain/devnet/manifest.js';
import { poolIdOf, type PoolKey } from '../../src/adapters/chain/poolId.js';
import { readPoolModel } from '../../src/adapters/chain/swap/poolModelReader.js';
import { Pool, PoolError, type SwapResult } from '../../src/math/pool/index.js';
import { getTickAtSqrtPrice } from '../../src/math/tickMath.js';
import { type PoolSpec, poolSpecArb, swapParams, swapSpecArb } from '../math/pool/poolArbitraries.js';
import { useDevnet } from '../support/devnet.js';
import { loadArtifact } from '../../src/adapters/chain/devnet/artifacts.js';
import { DifferentialRig, type TrackedPosition } from './support/differentialRig.js';
import { jsonBigint } from './support/jsonBigint.js';
import { mined } from './support/mined.js';
import { expectedSwapEvent, type ModelledSwapEvent } from './support/modelledSwapEvent.js';
import { countSwap, expectSwapMix, noSwapsCounted, type SwapCounts, type SwapMix } from './support/swapCounts.js';

const POOL_MANAGER = loadArtifact('PoolManager');
const DONATE_ROUTER = loadArtifact('PoolDonateTest');
const ERC20 = loadArtifact('MockERC20');
const PM_IFACE = new Interface(POOL_MANAGER.abi);

/** At least this many of each swap kind, direction and multi-tick crossings in 130 swaps (exclusive). */
const MIX: SwapMix = { perKind: 20, perDirection: 30, multiTick: 40 };

const devnet = useDevnet({ seed: 11 });
let rig: DifferentialRig;
/** PoolDonateTest, connected to the LP (approved for both currencies). */
let donateRouter: Contract;

beforeAll(async () => {
  const { manifest } = devnet();
  const { currency0, currency1 } = manifest.pools[0]!.key;
  rig = await DifferentialRig.build(devnet(), [currency0, currency1]);
  const deployed = (await new ContractFactory(DONATE_ROUTER.abi, DONATE_ROUTER.bytecode, rig.deployer).deploy(manifest.contracts.poolManager)) as Contract;
  await mined(Promise.resolve(deployed.deploymentTransaction()));
  for (const currency of [currency0, currency1]) {
    await mined(new Contract(currency, ERC20.abi, rig.lp).getFunction('approve')(await deployed.getAddress(), 2n ** 255n));
  }
  donateRouter = deployed.connect(rig.lp) as Contract;
});

/** The Swap event of `poolId` in a receipt, decoded with the PoolManager artifact's ABI. */
function swapEventOf(receipt: TransactionReceipt, poolId: string): ModelledSwapEvent {
  for (const log of receipt.logs) {
    const parsed = PM_IFACE.parseLog(log);
    if (parsed?.name === 'Swap' && parsed.args.getValue('id') === poolId) {
      return {
        amount0: BigInt(parsed.args.getValue('amount0') as bigint),
        amount1: BigInt(parsed.args.getValue('amount1') as bigint),
        sqrtPriceX96: BigInt(parsed.args.getValue('sqrtPriceX96') as bigint),
        liquidity: BigInt(parsed.args.getValue('liquidity') as bigint),
        tick: Number(parsed.args.getValue('tick') as bigint),
        fee: Number(parsed.args.getValue('fee') as bigint),
      };
    }
  }
  throw new Error(`no Swap event for ${poolId} in ${receipt.hash}`);
}

interface Tally extends SwapCounts {
  /** Swaps that stopped at their price limit. */
  limited: number;
  /** Swaps both sides refused. */
  reverted: number;
  donations: number;
}

/**
 * Replays `count` random swaps (seeded) on chain and in the model; every `checkEvery` swaps the
 * full StateView state is compared, and every `modifyEvery` swaps one position changes size.
 */
async function runSwaps(
  model: Pool,
  key: PoolKey,
  spec: PoolSpec,
  positions: TrackedPosition[],
  count: number,
  seed: number,
  donate?: (amount0: bigint, amount1: bigint) => Promise<void>,
): Promise<Tally> {
  const poolId = poolIdOf(key);
  const specs = fc.sample(fc.array(swapSpecArb, { minLength: count, maxLength: count }), { seed, numRuns: 1 })[0]!;
  const t: Tally = { ...noSwapsCounted(), limited: 0, reverted: 0, donations: 0 };
  for (let i = 0; i < specs.length; i++) {
    const params = swapParams(model, spec, specs[i]!);
    const before = model.clone();
    let expected: SwapResult;
    try {
      expected = model.swap(params);
    } catch (e) {
      // the model reverts (int128 overflow of an exact output that drains the pool): so must the chain
      expect(e).toBeInstanceOf(PoolError);
      await expect(rig.swapRouter.getFunction('swap').staticCall(key, params, { takeClaims: false, settleUsingBurn: false }, '0x')).rejects.toThrow();
      expect(model.getSlot0()).toEqual(before.getSlot0());
      t.reverted++;
      continue;
    }
    const receipt = await mined(rig.swapRouter.getFunction('swap')(key, params, { takeClaims: false, settleUsingBurn: false }, '0x'));
    const event = swapEventOf(receipt, poolId);
    expect(event, `swap ${i}: ${JSON.stringify(params, jsonBigint)}`).toEqual(expectedSwapEvent(expected, expected.swapFee));
    countSwap(t, params, expected);
    if (expected.sqrtPriceX96 === params.sqrtPriceLimitX96) t.limited++;

    // resize one position (fees are credited on chain and in the model: balances must agree)
    if (i % 15 === 7 && positions.length > 0) await rig.resize(model, key, positions, i);
    if (donate !== undefined && i % 50 === 25 && model.getLiquidity() > 0n) {
      // PoolDonateTest on chain, Pool.donate in the model: fee growth is compared below
      await donate(10n ** 15n + BigInt(i), 3n * 10n ** 14n + BigInt(i));
      model.donate(10n ** 15n + BigInt(i), 3n * 10n ** 14n + BigInt(i));
      t.donations++;
    }
    if (i % 40 === 39) await rig.expectSameState(model, poolId, positions);
  }
  await rig.expectSameState(model, poolId, positions);
  return t;
}

/**
 * The model of a devnet pool built by replaying what happened on chain: initialize at the
 * Initialize event's price, then every seeded position (PoolManager's owner of a position added
 * through PoolModifyLiquidityTest is the router). The replayed model must hold exactly the state
 * StateView reports.
 */
async function replayedModel(pool: ManifestPool): Promise<{ model: Pool; positions: TrackedPosition[] }> {
  const { provider, seeded } = devnet();
  const logs = await provider.getLogs({ address: rig.pm.target as string, fromBlock: 0, topics: [PM_IFACE.getEvent('Initialize')!.topicHash, pool.id] });
  expect(logs).toHaveLength(1);
  const init = PM_IFACE.parseLog(logs[0]!)!;
  const model = new Pool({ tickSpacing: pool.key.tickSpacing, fee: pool.key.fee });
  expect(model.initialize(BigInt(init.args.getValue('sqrtPriceX96') as bigint))).toBe(Number(init.args.getValue('tick') as bigint));
  const positions: TrackedPosition[] = [];
  for (const p of seeded.filter((x) => x.poolId === pool.id)) {
    model.modifyLiquidity({ owner: rig.liqRouterAddress, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidityDelta: p.liquidity, salt: p.salt });
    positions.push({ tickLower: p.tickLower, tickUpper: p.tickUpper, salt: p.salt, liquidity: p.liquidity });
  }
  expect(positions.length).toBeGreaterThan(3);
  await rig.expectSameState(model, pool.id, positions);
  return { model, positions };
}

function keyOf(pool: ManifestPool): PoolKey {
  return { ...pool.key };
}

describe('pool model vs the real v4 PoolManager on the devnet', () => {
  it('WETH/USDC fee 3000 / spacing 60: 130 random swaps give identical Swap events, balances and state', async () => {
    const pool = devnet().manifest.pools.find((p) => p.key.fee === 3000)!;
    const key = keyOf(pool);
    const { model, positions } = await replayedModel(pool);
    const initialTick = model.getSlot0().tick;
    const spec = { ...fc.sample(poolSpecArb, { seed: 31, numRuns: 1 })[0]!, tickSpacing: 60, fee: 3000, initialTick };
    positions.push(...(await rig.addPositions(model, key, spec, 1000)));
    const t = await runSwaps(model, key, spec, positions, 130, 41, async (a0, a1) => {
      await mined(donateRouter.getFunction('donate')(key, a0, a1, '0x'));
    });
    console.log(`on-chain differential, fee 3000/60: ${JSON.stringify(t, jsonBigint)}`);
    expect(t.swaps + t.reverted).toBe(130);
    expect(t.swaps).toBeGreaterThanOrEqual(100);
    expectSwapMix(t, MIX);
    expect(t.limited).toBeGreaterThan(10);
    expect(t.donations).toBeGreaterThan(0);

    // seed a fresh model from chain reads alone (readPoolModel over every bitmap word: StateView's
    // slot0, liquidity, fee growth, the tick bitmap and every initialized tick): it must hold the
    // same state and swap exactly like the chain
    const read = await readPoolModel({ provider: devnet().provider, stateView: devnet().manifest.contracts.stateView, poolId: pool.id, key, radiusWords: 1 << 16 });
    expect(read.complete).toBe(true);
    const fromChain = read.pool;
    const { positions: _p, ...chainState } = fromChain.toSnapshot();
    const { positions: _m, ...modelState } = model.toSnapshot();
    expect(chainState).toEqual(modelState);
    const t2 = await runSwaps(fromChain, key, spec, [], 20, 43);
    expect(t2.swaps + t2.reverted).toBe(20);
  });

  it('WETH/USDC fee 500 / spacing 10 with a protocol fee: 130 random swaps, protocol fees accrued as the model says', async () => {
    const pool = devnet().manifest.pools.find((p) => p.key.fee === 500)!;
    const key = keyOf(pool);
    const { model, positions } = await replayedModel(pool);
    await mined(rig.pm.getFunction('setProtocolFeeController')(rig.deployerAddress));
    const protocolFee = 1000 | (400 << 12);
    await mined(rig.pm.getFunction('setProtocolFee')(key, protocolFee));
    model.setProtocolFee(protocolFee);
    const initialTick = getTickAtSqrtPrice(model.getSlot0().sqrtPriceX96);
    const spec = { ...fc.sample(poolSpecArb, { seed: 32, numRuns: 1 })[0]!, tickSpacing: 10, fee: 500, initialTick };
    positions.push(...(await rig.addPositions(model, key, spec, 2000)));
    const t = await runSwaps(model, key, spec, positions, 130, 42);
    console.log(`on-chain differential, fee 500/10 + protocol fee: ${JSON.stringify(t, jsonBigint)}`);
    const [accrued0, accrued1] = await rig.protocolFeesAccrued(key);
    expect(accrued0).toBe(t.amountToProtocol0);
    expect(accrued1).toBe(t.amountToProtocol1);
    expect(t.amountToProtocol0 > 0n && t.amountToProtocol1 > 0n).toBe(true);
    expect(t.swaps).toBeGreaterThanOrEqual(100);
    expectSwapMix(t, MIX);
  });
});
