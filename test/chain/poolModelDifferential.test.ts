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
import {
  Contract,
  ContractFactory,
  Interface,
  type ContractTransactionResponse,
  type Signer,
  type TransactionReceipt,
  type TransactionResponse,
} from 'ethers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ManifestPool } from '../../src/adapters/chain/devnet/manifest.js';
import { walletFor } from '../../src/adapters/chain/devnet/wallets.js';
import { poolIdOf, type PoolKey } from '../../src/adapters/chain/poolId.js';
import { Pool, PoolError, type PoolSnapshot, type SwapResult } from '../../src/math/pool/index.js';
import { MAX_TICK, MIN_TICK, getTickAtSqrtPrice } from '../../src/math/tickMath.js';
import { type PoolSpec, poolSpecArb, positionRange, saltOf, swapParams, swapSpecArb } from '../math/pool/poolArbitraries.js';
import { useDevnet } from '../support/devnet.js';
import type { SwapEvent as DecodedSwapEvent } from '../../src/adapters/chain/poolManagerEvents.js';
import { loadArtifact } from '../../src/adapters/chain/devnet/artifacts.js';

const POOL_MANAGER = loadArtifact('PoolManager');
const SWAP_ROUTER = loadArtifact('PoolSwapTest');
const LIQ_ROUTER = loadArtifact('PoolModifyLiquidityTest');
const DONATE_ROUTER = loadArtifact('PoolDonateTest');
const ERC20 = loadArtifact('MockERC20');
const STATE_VIEW = loadArtifact('StateView');
const PM_IFACE = new Interface(POOL_MANAGER.abi);
const MODIFY = 'modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)';

interface Rig {
  /** The PoolManager owner (sets the protocol fee). */
  deployer: Signer;
  deployerAddress: string;
  /** Adds, resizes and pokes positions through PoolModifyLiquidityTest; donates. */
  lpAddress: string;
  pm: Contract;
  stateView: Contract;
  swapRouter: Contract;
  liqRouter: Contract;
  liqRouterAddress: string;
  donateRouter: Contract;
  token0: Contract;
  token1: Contract;
}

const devnet = useDevnet({ seed: 11 });
let rig: Rig;

beforeAll(async () => {
  const { manifest, provider } = devnet();
  const account = (role: string) => manifest.accounts.find((a) => a.role === role)!;
  const deployer = walletFor(account('deployer'), provider);
  const swapper = walletFor(account('arbitrageur'), provider); // approved for PoolSwapTest
  const lp = walletFor(account('liquidity'), provider); // approved for PoolModifyLiquidityTest
  const pool = manifest.pools[0]!;
  const donateFactory = new ContractFactory(DONATE_ROUTER.abi, DONATE_ROUTER.bytecode, deployer);
  const donateRouter = (await donateFactory.deploy(manifest.contracts.poolManager)) as Contract;
  await mined(Promise.resolve(donateRouter.deploymentTransaction()!));
  for (const currency of [pool.key.currency0, pool.key.currency1]) {
    // exact-output swaps that drain a range can cost up to int128.max of the input token (MockERC20.mint is open)
    for (const w of [swapper, lp]) await mined(new Contract(currency, ERC20.abi, w).getFunction('mint')(await w.getAddress(), 2n ** 200n));
    await mined(new Contract(currency, ERC20.abi, lp).getFunction('approve')(await donateRouter.getAddress(), 2n ** 255n));
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
    donateRouter: donateRouter.connect(lp) as Contract,
    token0: new Contract(pool.key.currency0, ERC20.abi, provider),
    token1: new Contract(pool.key.currency1, ERC20.abi, provider),
  };
});

/**
 * Waits for a sent transaction's receipt by polling for it; throws on a revert. (ethers'
 * tx.wait() was seen to hang here under CPU load until some later transaction mined another
 * block: it re-checks on block events, and under automine a missed check gets no further block;
 * ethers-io/ethers.js#4224.)
 */
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

async function balances(): Promise<[bigint, bigint]> {
  const [b0, b1] = await Promise.all([rig.token0.getFunction('balanceOf')(rig.lpAddress), rig.token1.getFunction('balanceOf')(rig.lpAddress)]);
  return [BigInt(b0 as bigint), BigInt(b1 as bigint)];
}

/** modifyLiquidity on chain and in the model; the signer's balance change must be the model's callerDelta. */
async function modify(model: Pool, key: PoolKey, tickLower: number, tickUpper: number, liquidityDelta: bigint, salt: string): Promise<void> {
  const expected = model.modifyLiquidity({ owner: rig.liqRouterAddress, tickLower, tickUpper, liquidityDelta, salt });
  const [b0, b1] = await balances();
  await mined(rig.liqRouter.getFunction(MODIFY)(key, { tickLower, tickUpper, liquidityDelta, salt }, '0x'));
  const [a0, a1] = await balances();
  expect({ amount0: a0 - b0, amount1: a1 - b1 }).toEqual(expected.callerDelta);
}

/** The fields of a decoded Swap event the model must reproduce. */
type SwapEvent = Pick<DecodedSwapEvent, 'amount0' | 'amount1' | 'sqrtPriceX96' | 'liquidity' | 'tick' | 'fee'>;

function swapEventOf(receipt: TransactionReceipt, poolId: string): SwapEvent {
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

/** StateView's view of the pool must equal the model's: slot0, liquidity, fee growth, ticks, positions. */
async function expectSameState(model: Pool, poolId: string, positions: { tickLower: number; tickUpper: number; salt: string }[]): Promise<void> {
  const sv = rig.stateView;
  const [slot0, liquidity, growth] = await Promise.all([
    sv.getFunction('getSlot0')(poolId) as Promise<[bigint, bigint, bigint, bigint]>,
    sv.getFunction('getLiquidity')(poolId) as Promise<bigint>,
    sv.getFunction('getFeeGrowthGlobals')(poolId) as Promise<[bigint, bigint]>,
  ]);
  const m = model.getSlot0();
  expect({ sqrtPriceX96: BigInt(slot0[0]), tick: Number(slot0[1]), protocolFee: Number(slot0[2]), lpFee: Number(slot0[3]) }).toEqual(m);
  expect(BigInt(liquidity)).toBe(model.getLiquidity());
  expect({ feeGrowthGlobal0X128: BigInt(growth[0]), feeGrowthGlobal1X128: BigInt(growth[1]) }).toEqual(model.getFeeGrowthGlobals());
  const ticks = model.initializedTicks();
  const onChainTicks = await Promise.all(ticks.map((t) => sv.getFunction('getTickInfo')(poolId, t.tick) as Promise<[bigint, bigint, bigint, bigint]>));
  ticks.forEach((t, i) => {
    const c = onChainTicks[i]!;
    expect({ liquidityGross: BigInt(c[0]), liquidityNet: BigInt(c[1]), feeGrowthOutside0X128: BigInt(c[2]), feeGrowthOutside1X128: BigInt(c[3]) }, `tick ${t.tick}`).toEqual(t.info);
  });
  const owner = rig.liqRouterAddress;
  const onChainPositions = await Promise.all(
    positions.map(
      (p) =>
        sv.getFunction('getPositionInfo(bytes32,address,int24,int24,bytes32)')(poolId, owner, p.tickLower, p.tickUpper, p.salt) as Promise<[bigint, bigint, bigint]>,
    ),
  );
  positions.forEach((p, i) => {
    const c = onChainPositions[i]!;
    expect({ liquidity: BigInt(c[0]), feeGrowthInside0LastX128: BigInt(c[1]), feeGrowthInside1LastX128: BigInt(c[2]) }).toEqual(
      model.getPosition(owner, p.tickLower, p.tickUpper, p.salt),
    );
  });
}

/** Reads a pool's full swap-relevant state from StateView, finding initialized ticks through the tick bitmap. */
async function readPoolSnapshot(poolId: string, tickSpacing: number, fee: number): Promise<PoolSnapshot> {
  const sv = rig.stateView;
  const [slot0, liquidity, growth] = await Promise.all([
    sv.getFunction('getSlot0')(poolId) as Promise<[bigint, bigint, bigint, bigint]>,
    sv.getFunction('getLiquidity')(poolId) as Promise<bigint>,
    sv.getFunction('getFeeGrowthGlobals')(poolId) as Promise<[bigint, bigint]>,
  ]);
  const firstWord = Math.floor(MIN_TICK / tickSpacing) >> 8;
  const lastWord = Math.floor(MAX_TICK / tickSpacing) >> 8;
  const wordPositions = Array.from({ length: lastWord - firstWord + 1 }, (_, i) => firstWord + i);
  const words = await Promise.all(wordPositions.map((w) => sv.getFunction('getTickBitmap')(poolId, w) as Promise<bigint>));
  const tickIndices: number[] = [];
  words.forEach((word, i) => {
    for (let bit = 0; bit < 256; bit++) {
      if ((BigInt(word) >> BigInt(bit)) & 1n) tickIndices.push((wordPositions[i]! * 256 + bit) * tickSpacing);
    }
  });
  const infos = await Promise.all(tickIndices.map((tick) => sv.getFunction('getTickInfo')(poolId, tick) as Promise<[bigint, bigint, bigint, bigint]>));
  return {
    tickSpacing,
    fee,
    sqrtPriceX96: BigInt(slot0[0]),
    tick: Number(slot0[1]),
    protocolFee: Number(slot0[2]),
    lpFee: Number(slot0[3]),
    liquidity: BigInt(liquidity),
    feeGrowthGlobal0X128: BigInt(growth[0]),
    feeGrowthGlobal1X128: BigInt(growth[1]),
    ticks: tickIndices.map((tick, i) => ({
      tick,
      liquidityGross: BigInt(infos[i]![0]),
      liquidityNet: BigInt(infos[i]![1]),
      feeGrowthOutside0X128: BigInt(infos[i]![2]),
      feeGrowthOutside1X128: BigInt(infos[i]![3]),
    })),
    positions: [],
  };
}

interface Tally {
  swaps: number;
  exactIn: number;
  exactOut: number;
  zeroForOne: number;
  limited: number;
  ticksCrossed: number;
  multiTick: number;
  reverted: number;
  amountToProtocol0: bigint;
  amountToProtocol1: bigint;
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
  positions: { tickLower: number; tickUpper: number; salt: string; liquidity: bigint }[],
  count: number,
  seed: number,
  donate?: (amount0: bigint, amount1: bigint) => Promise<void>,
): Promise<Tally> {
  const poolId = poolIdOf(key);
  const specs = fc.sample(fc.array(swapSpecArb, { minLength: count, maxLength: count }), { seed, numRuns: 1 })[0]!;
  const t: Tally = { swaps: 0, exactIn: 0, exactOut: 0, zeroForOne: 0, limited: 0, ticksCrossed: 0, multiTick: 0, reverted: 0, amountToProtocol0: 0n, amountToProtocol1: 0n, donations: 0 };
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
    expect(event, `swap ${i}: ${JSON.stringify(params, big)}`).toEqual({
      amount0: expected.amount0,
      amount1: expected.amount1,
      sqrtPriceX96: expected.sqrtPriceX96,
      liquidity: expected.liquidity,
      tick: expected.tick,
      fee: expected.swapFee,
    });
    t.swaps++;
    if (params.amountSpecified < 0n) t.exactIn++;
    else t.exactOut++;
    if (params.zeroForOne) {
      t.zeroForOne++;
      t.amountToProtocol0 += expected.amountToProtocol;
    } else {
      t.amountToProtocol1 += expected.amountToProtocol;
    }
    if (expected.sqrtPriceX96 === params.sqrtPriceLimitX96) t.limited++;
    t.ticksCrossed += expected.ticksCrossed;
    if (expected.ticksCrossed > 1) t.multiTick++;

    if (i % 15 === 7 && positions.length > 0) {
      // resize one position (fees are credited on chain and in the model: balances must agree)
      const p = positions[i % positions.length]!;
      const delta = i % 2 === 0 ? -(p.liquidity / 3n) : p.liquidity / 2n + 1n;
      // PoolModifyLiquidityTest asserts an add is paid for in full: collect the fees first (a poke)
      if (delta > 0n) await modify(model, key, p.tickLower, p.tickUpper, 0n, p.salt);
      await modify(model, key, p.tickLower, p.tickUpper, delta, p.salt);
      p.liquidity += delta;
    }
    if (donate !== undefined && i % 50 === 25 && model.getLiquidity() > 0n) {
      // PoolDonateTest on chain, Pool.donate in the model: fee growth is compared below
      await donate(10n ** 15n + BigInt(i), 3n * 10n ** 14n + BigInt(i));
      model.donate(10n ** 15n + BigInt(i), 3n * 10n ** 14n + BigInt(i));
      t.donations++;
    }
    if (i % 40 === 39) await expectSameState(model, poolId, positions);
  }
  await expectSameState(model, poolId, positions);
  return t;
}

/** Adds the spec's positions (owner: the liquidity router) on chain and in the model. */
async function addPositions(model: Pool, key: PoolKey, spec: PoolSpec, firstSalt: number) {
  const positions: { tickLower: number; tickUpper: number; salt: string; liquidity: bigint }[] = [];
  for (const [i, p] of spec.positions.entries()) {
    const range = positionRange(spec, p);
    // keep liquidity realistic for 1e30-token balances: at most ~1e24
    const liquidity = (p.liquidity % 10n ** 24n) + 10n ** 12n;
    const salt = saltOf(firstSalt + i);
    await modify(model, key, range.tickLower, range.tickUpper, liquidity, salt);
    positions.push({ ...range, salt, liquidity });
  }
  return positions;
}

/**
 * The model of a devnet pool built by replaying what happened on chain: initialize at the
 * Initialize event's price, then every seeded position (PoolManager's owner of a position added
 * through PoolModifyLiquidityTest is the router). The replayed model must hold exactly the state
 * StateView reports.
 */
async function replayedModel(pool: ManifestPool): Promise<{ model: Pool; positions: { tickLower: number; tickUpper: number; salt: string; liquidity: bigint }[] }> {
  const { provider, seeded } = devnet();
  const logs = await provider.getLogs({ address: rig.pm.target as string, fromBlock: 0, topics: [PM_IFACE.getEvent('Initialize')!.topicHash, pool.id] });
  expect(logs).toHaveLength(1);
  const init = PM_IFACE.parseLog(logs[0]!)!;
  const model = new Pool({ tickSpacing: pool.key.tickSpacing, fee: pool.key.fee });
  expect(model.initialize(BigInt(init.args.getValue('sqrtPriceX96') as bigint))).toBe(Number(init.args.getValue('tick') as bigint));
  const positions = [];
  for (const p of seeded.filter((x) => x.poolId === pool.id)) {
    model.modifyLiquidity({ owner: rig.liqRouterAddress, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidityDelta: p.liquidity, salt: p.salt });
    positions.push({ tickLower: p.tickLower, tickUpper: p.tickUpper, salt: p.salt, liquidity: p.liquidity });
  }
  expect(positions.length).toBeGreaterThan(3);
  await expectSameState(model, pool.id, positions);
  return { model, positions };
}

function keyOf(pool: ManifestPool): PoolKey {
  return { ...pool.key };
}

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

describe('pool model vs the real v4 PoolManager on the devnet', () => {
  it('WETH/USDC fee 3000 / spacing 60: 130 random swaps give identical Swap events, balances and state', async () => {
    const pool = devnet().manifest.pools.find((p) => p.key.fee === 3000)!;
    const key = keyOf(pool);
    const { model, positions } = await replayedModel(pool);
    const initialTick = model.getSlot0().tick;
    const spec = { ...fc.sample(poolSpecArb, { seed: 31, numRuns: 1 })[0]!, tickSpacing: 60, fee: 3000, initialTick };
    positions.push(...(await addPositions(model, key, spec, 1000)));
    const t = await runSwaps(model, key, spec, positions, 130, 41, async (a0, a1) => {
      await mined(rig.donateRouter.getFunction('donate')(key, a0, a1, '0x'));
    });
    console.log(`on-chain differential, fee 3000/60: ${JSON.stringify(t, big)}`);
    expect(t.swaps + t.reverted).toBe(130);
    expect(t.swaps).toBeGreaterThanOrEqual(100);
    expect(t.exactIn).toBeGreaterThan(20);
    expect(t.exactOut).toBeGreaterThan(20);
    expect(t.zeroForOne).toBeGreaterThan(30);
    expect(t.swaps - t.zeroForOne).toBeGreaterThan(30);
    expect(t.limited).toBeGreaterThan(10);
    expect(t.multiTick).toBeGreaterThan(40);
    expect(t.donations).toBeGreaterThan(0);

    // seed a fresh model from chain reads alone (StateView: slot0, liquidity, fee growth, the tick
    // bitmap and every initialized tick): it must hold the same state and swap exactly like the chain
    const fromChain = Pool.fromSnapshot(await readPoolSnapshot(pool.id, key.tickSpacing, key.fee));
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
    positions.push(...(await addPositions(model, key, spec, 2000)));
    const t = await runSwaps(model, key, spec, positions, 130, 42);
    console.log(`on-chain differential, fee 500/10 + protocol fee: ${JSON.stringify(t, big)}`);
    const [accrued0, accrued1] = await Promise.all([
      rig.pm.getFunction('protocolFeesAccrued')(key.currency0) as Promise<bigint>,
      rig.pm.getFunction('protocolFeesAccrued')(key.currency1) as Promise<bigint>,
    ]);
    expect(BigInt(accrued0)).toBe(t.amountToProtocol0);
    expect(BigInt(accrued1)).toBe(t.amountToProtocol1);
    expect(t.amountToProtocol0 > 0n && t.amountToProtocol1 > 0n).toBe(true);
    expect(t.swaps).toBeGreaterThanOrEqual(100);
    expect(t.exactIn).toBeGreaterThan(20);
    expect(t.exactOut).toBeGreaterThan(20);
    expect(t.zeroForOne).toBeGreaterThan(30);
    expect(t.swaps - t.zeroForOne).toBeGreaterThan(30);
    expect(t.multiTick).toBeGreaterThan(40);
  });
});
